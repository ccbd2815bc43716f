/*
 * PAN text-alignment detections (Potthast et al., PAN at CLEF): one XML file per compared
 * document in a directory written as a whole,
 *   <document reference="susp.txt">
 *   <feature name="detected-plagiarism" this_offset=".." this_length=".." source_reference="src.txt"
 *            source_offset=".." source_length=".."/>
 *   </document>
 * with offsets and lengths in Unicode code points of the decoded text (as PAN's plain-text
 * corpora count them), converted from the sweep's original byte spans. References are file
 * names (the ids' last component; whole ids when two documents share a last component).
 * With sources (b_is_source) only side a gets detections, and only against sources (a pair
 * of two compared documents, which copied the same source, is not PAN's question); otherwise
 * both sides of every pair do.
 */
#include <stdlib.h>
#include <string.h>

#include "core/atomic_dir.h"
#include "core/grow.h"
#include "report/markup.h"
#include "report/writer.h"
#include "text/decode.h"

typedef struct detection {
    char *doc, *src;             /* ids */
    uint64_t d_start, d_end;     /* bytes in doc */
    uint64_t s_start, s_end;     /* bytes in src */
} detection;

typedef struct {
    dp_writer base;
    detection *v;
    size_t n, cap;
} pan_writer;

static int push(pan_writer *w, const char *doc, const char *src, uint64_t ds, uint64_t de, uint64_t ss, uint64_t se)
{
    if (dp_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v))
        return DOPPEL_ERR_NOMEM;
    detection d = {strdup(doc), strdup(src), ds, de, ss, se};
    if (!d.doc || !d.src) {
        free(d.doc), free(d.src);
        return DOPPEL_ERR_NOMEM;
    }
    w->v[w->n++] = d;
    return DOPPEL_OK;
}

static int pan_begin(dp_writer *w) { return DOPPEL_OK; }

static int pan_pair(dp_writer *base, const dp_pair_result *r)
{
    pan_writer *w = (pan_writer *)base;
    int rc = DOPPEL_OK;
    for (size_t i = 0; i < r->n_passages && !rc; i++) {
        const dp_passage *p = &r->passages[i];
        rc = push(w, r->a, r->b, p->a_start, p->a_end, p->b_start, p->b_end);
        if (!rc && !base->opts.b_is_source)
            rc = push(w, r->b, r->a, p->b_start, p->b_end, p->a_start, p->a_end);
    }
    return rc;
}

static int pan_skipped(dp_writer *w, const dp_skipped *s) { return DOPPEL_OK; }
static int pan_cluster(dp_writer *w, const char *const *m, size_t n) { return DOPPEL_OK; }

static int by_doc_offset(const void *x, const void *y)
{
    const detection *a = x, *b = y;
    int c = strcmp(a->doc, b->doc);
    if (c)
        return c;
    if (a->d_start != b->d_start)
        return a->d_start < b->d_start ? -1 : 1;
    return (a->d_end > b->d_end) - (a->d_end < b->d_end);
}

static int by_string(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static const char *last_part(const char *id)
{
    size_t n = strlen(id);
    while (n > 1 && id[n - 1] == '/')
        n--;
    const char *p = id + n;
    while (p > id && p[-1] != '/')
        p--;
    return p;
}

/* The name a document is referred to by: its last path component, or the whole id (whole_ids). */
static void reference(const char *id, int whole_ids, char *out, size_t cap)
{
    const char *p = whole_ids ? id : last_part(id);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    snprintf(out, cap, "%.*s", (int)n, p);
}

/* A document's decoded text, for code point offsets. */
typedef struct cp_text {
    const char *id;
    dp_text t;
    int ok;
} cp_text;

static int load(const dp_writer *w, cp_text *c, const char *id)
{
    if (c->ok && strcmp(c->id, id) == 0)
        return DOPPEL_OK;
    if (c->ok)
        dp_text_free(&c->t);
    c->ok = 0;
    char *bytes = NULL;
    size_t len = 0;
    const char *why = NULL;
    if (!w->opts.text)
        return DOPPEL_ERR_INVALID;
    int rc = w->opts.text(w->opts.text_ctx, id, &bytes, &len, &why);
    if (!rc)
        rc = dp_text_decode(&c->t, bytes, len, DP_ENC_AUTO, NULL);
    free(bytes);
    if (!rc)
        c->ok = 1, c->id = id;
    return rc;
}

/* Code points of the decoded text before original byte offset off. */
static uint64_t code_points(const dp_text *t, uint64_t off)
{
    size_t end = dp_text_decoded_pos(t, (size_t)off);
    uint64_t n = 0;
    for (size_t i = 0; i < end; i++)
        n += ((unsigned char)t->utf8[i] & 0xC0) != 0x80;
    return n;
}

/* Writes doc's file (its detections are v[0..n)) into dir. */
static int write_doc(pan_writer *w, const char *dir, const char *doc, const detection *v, size_t n, int whole_ids,
                     cp_text *dt, cp_text *st)
{
    char ref[4096], path[8192];
    reference(doc, whole_ids, ref, sizeof ref);
    size_t k = strlen(ref);
    char *dot = strrchr(ref, '.');
    char file[4096];
    snprintf(file, sizeof file, "%.*s.xml", (int)(dot && dot != ref ? (size_t)(dot - ref) : k), ref);
    for (char *p = file; *p; p++)
        if (*p == '/')
            *p = '_';
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wx"); /* x: two documents never share a file */
    if (!f)
        return DOPPEL_ERR_IO;
    int rc = n ? load(&w->base, dt, doc) : DOPPEL_OK;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document reference=\"", f);
    dp_markup_escape(f, ref, strlen(ref));
    fputs("\">\n", f);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = load(&w->base, st, v[i].src)))
            break;
        uint64_t ts = code_points(&dt->t, v[i].d_start), te = code_points(&dt->t, v[i].d_end);
        uint64_t ss = code_points(&st->t, v[i].s_start), se = code_points(&st->t, v[i].s_end);
        char sref[4096];
        reference(v[i].src, whole_ids, sref, sizeof sref);
        fprintf(f, "<feature name=\"detected-plagiarism\" this_offset=\"%llu\" this_length=\"%llu\" source_reference=\"",
                (unsigned long long)ts, (unsigned long long)(te - ts));
        dp_markup_escape(f, sref, strlen(sref));
        fprintf(f, "\" source_offset=\"%llu\" source_length=\"%llu\"/>\n", (unsigned long long)ss,
                (unsigned long long)(se - ss));
    }
    fputs("</document>\n", f);
    if (fclose(f) != 0 && !rc)
        rc = DOPPEL_ERR_IO;
    return rc;
}

/* The ids in v[n], sorted, each once (n >= 1 or v may be empty). */
static size_t sort_unique(const char **v, size_t n)
{
    if (n)
        qsort(v, n, sizeof *v, by_string);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
            v[u++] = v[i];
    return u;
}

static int pan_end(dp_writer *base, const dp_summary *s)
{
    pan_writer *w = (pan_writer *)base;
    const dp_report_opts *o = &base->opts;
    if (!o->out_dir)
        return DOPPEL_ERR_INVALID;
    /* the compared documents (each gets a file): as listed, else those with detections */
    const char *const *docs = NULL;
    size_t n_docs = 0;
    if (o->documents)
        o->documents(o->text_ctx, &docs, &n_docs);
    const char **targets = malloc((n_docs + w->n + 1) * sizeof *targets);
    const char **names = malloc((n_docs + 2 * w->n + 1) * sizeof *names);
    if (!targets || !names) {
        free(targets), free(names);
        return DOPPEL_ERR_NOMEM;
    }
    size_t n_targets = 0, n_names = 0;
    for (size_t i = 0; i < n_docs; i++)
        targets[n_targets++] = names[n_names++] = docs[i];
    for (size_t i = 0; i < w->n; i++) {
        if (!o->documents)
            targets[n_targets++] = w->v[i].doc;
        names[n_names++] = w->v[i].doc, names[n_names++] = w->v[i].src;
    }
    n_targets = sort_unique(targets, n_targets);
    n_names = sort_unique(names, n_names);
    if (o->b_is_source && o->documents) {
        size_t u = 0;
        for (size_t i = 0; i < w->n; i++)
            if (bsearch(&w->v[i].src, targets, n_targets, sizeof *targets, by_string))
                free(w->v[i].doc), free(w->v[i].src);
            else
                w->v[u++] = w->v[i];
        w->n = u;
    }
    /* last components as references, unless two documents share one */
    int whole_ids = 0;
    for (size_t i = 1; i < n_names && !whole_ids; i++)
        whole_ids = strcmp(last_part(names[i - 1]), last_part(names[i])) == 0;
    if (w->n)
        qsort(w->v, w->n, sizeof *w->v, by_doc_offset);
    dp_atomic_dir ad;
    int rc = dp_atomic_dir_open(&ad, o->out_dir, NULL);
    cp_text dt = {0}, st = {0};
    size_t d = 0;
    for (size_t i = 0; i < n_targets && !rc; i++) {
        while (d < w->n && strcmp(w->v[d].doc, targets[i]) < 0)
            d++;
        size_t e = d;
        while (e < w->n && strcmp(w->v[e].doc, targets[i]) == 0)
            e++;
        rc = write_doc(w, ad.tmp_path, targets[i], w->v + d, e - d, whole_ids, &dt, &st);
        d = e;
    }
    if (dt.ok)
        dp_text_free(&dt.t);
    if (st.ok)
        dp_text_free(&st.t);
    free(targets), free(names);
    if (!rc)
        rc = dp_atomic_dir_commit(&ad, o->force, NULL);
    else
        dp_atomic_dir_abort(&ad);
    return rc;
}

static void pan_destroy(dp_writer *base)
{
    pan_writer *w = (pan_writer *)base;
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].doc), free(w->v[i].src);
    free(w->v);
    free(w);
}

static const dp_writer_ops pan_ops = {pan_begin, pan_pair, pan_skipped, pan_cluster, pan_end, pan_destroy, NULL};

int dp_writer_pan_create(dp_writer **out)
{
    pan_writer *w = calloc(1, sizeof *w);
    if (!w)
        return DOPPEL_ERR_NOMEM;
    w->base.ops = &pan_ops;
    *out = &w->base;
    return DOPPEL_OK;
}
