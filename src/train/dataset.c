#include "train/dataset.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/grow.h"
#include "core/readfile.h"
#include "train/data_tsv.h"

/* Column layout of each format; -1 = absent. */
typedef struct fmt_spec {
    const char *name;
    int min_fields;
    int a, b, c, label;
    float lo, hi;     /* accepted label range; hi < 0: any number >= lo, range from the data */
    int binary;       /* labels must be lo or hi */
    const char *head; /* first column's name in a header line */
} fmt_spec;

static const fmt_spec specs[] = {
    [DP_DATA_STSB] = {"stsb", 7, 5, 6, -1, 4, 0.0f, 5.0f, 0, "genre"},
    [DP_DATA_SICK] = {"sick", 4, 1, 2, -1, 3, 1.0f, 5.0f, 0, "pair_ID"},
    [DP_DATA_MSRP] = {"msrp", 5, 3, 4, -1, 0, 0.0f, 1.0f, 1, "Quality"},
    [DP_DATA_PAWS] = {"paws", 4, 1, 2, -1, 3, 0.0f, 1.0f, 1, "id"},
    [DP_DATA_KJVWEB] = {"kjvweb", 5, 3, 4, -1, -1, 0.0f, 1.0f, 1, "book"},
    [DP_DATA_TSV] = {"tsv", 3, 0, 1, -1, 2, 0.0f, -1.0f, 0, "text_a"},
    [DP_DATA_TRIPLETS] = {"triplets", 3, 0, 1, 2, -1, 0.0f, 1.0f, 1, "anchor"},
    [DP_DATA_TOPIC] = {"topic", 4, 2, 3, -1, 1, 0.0f, 1.0f, 1, "kind"},
    [DP_DATA_GROUPS] = {"groups", 4, 1, 2, 3, -1, 0.0f, 1.0f, 1, "group"},
    [DP_DATA_PROSE] = {"prose", 0, -1, -1, -1, -1, 0.0f, 1.0f, 1, NULL},
    [DP_DATA_BROWN] = {"brown", 0, -1, -1, -1, -1, 0.0f, 1.0f, 1, NULL},
};

#define N_FORMATS ((int)(sizeof specs / sizeof specs[0]))

dp_data_format dp_data_format_parse(const char *name)
{
    for (int f = DP_DATA_STSB; f < N_FORMATS; f++)
        if (strcmp(name, specs[f].name) == 0)
            return (dp_data_format)f;
    return (dp_data_format)0;
}

const char *dp_data_format_name(dp_data_format f) { return f >= DP_DATA_STSB && (int)f < N_FORMATS ? specs[f].name : "?"; }

void dp_dataset_init(dp_dataset *ds) { memset(ds, 0, sizeof *ds); }

void dp_dataset_free(dp_dataset *ds)
{
    for (size_t i = 0; i < ds->nbufs; i++)
        free(ds->bufs[i]);
    free(ds->bufs);
    for (int s = 0; s < ds->nsources; s++) {
        free(ds->src[s].cuts.first);
        free(ds->src[s].cuts.at);
    }
    free(ds->pairs);
    memset(ds, 0, sizeof *ds);
}

static int push_pair(dp_dataset *ds, const dp_pair *p)
{
    if (DP_GROW(ds->pairs, ds->cap, ds->n + 1, 1024))
        return DOPPEL_ERR_NOMEM;
    ds->pairs[ds->n++] = *p;
    return DOPPEL_OK;
}

static void warn_line(dp_data_warn_fn warn, void *ctx, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warn_line(dp_data_warn_fn warn, void *ctx, uint64_t line, const char *fmt, ...)
{
    if (!warn)
        return;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn(ctx, line, msg);
}

/* A text field must be non-empty and fit the 32-bit length. */
static int take_text(dp_str *t, dp_span s)
{
    if (s.len == 0 || s.len > UINT32_MAX)
        return 0;
    *t = (dp_str){s.s, (uint32_t)s.len};
    return 1;
}

/* Only the generic TSV, whose header has no fixed name, is recognised by its label. */
static int is_header(const fmt_spec *sp, const dp_span *f, int nf)
{
    double v;
    if (dp_span_is(f[0], sp->head))
        return 1;
    return sp == &specs[DP_DATA_TSV] && nf > sp->label && !dp_span_number(f[sp->label], &v);
}

/* Parses one line into *p; returns NULL or the reason it is malformed. */
static const char *parse_line(const fmt_spec *sp, const dp_span *f, int nf, dp_pair *p)
{
    if (nf < sp->min_fields)
        return "too few columns";
    const int col[3] = {sp->a, sp->b, sp->c};
    dp_str *dst[3] = {&p->a, &p->b, &p->c};
    for (int k = 0; k < 3; k++)
        if (col[k] >= 0 && !take_text(dst[k], f[col[k]]))
            return "empty text";
    double v;
    if (sp == &specs[DP_DATA_GROUPS]) {
        if (!dp_span_number(f[0], &v) || v < 0.0 || v > (double)UINT32_MAX || v != floor(v))
            return "group is not a whole number below 2^32";
        p->group = (uint32_t)v;
    }
    if (sp->label < 0) {
        p->label = 1.0f;
        return NULL;
    }
    if (!dp_span_number(f[sp->label], &v))
        return "label is not a number";
    if (fabs(v) > FLT_MAX) /* a double, but beyond float */
        return "label out of range";
    if (v < (double)sp->lo || (sp->hi >= 0.0f && v > (double)sp->hi))
        return "label out of range";
    if (sp->binary && v != (double)sp->lo && v != (double)sp->hi)
        return "label is not 0 or 1";
    p->label = (float)v;
    return NULL;
}

int dp_dataset_read(dp_dataset *ds, const char *path, dp_data_format fmt, dp_data_warn_fn warn, void *ctx,
                    dp_data_counts *counts, doppel_diag *diag)
{
    dp_data_counts cnt = {0, 0, 0};
    if (fmt < DP_DATA_STSB || fmt >= DP_DATA_PROSE)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "not a pair data format");
    if (ds->nsources >= DP_DATA_MAX_SOURCES)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "more than %d data sources",
                           DP_DATA_MAX_SOURCES);
    if (DP_GROW(ds->bufs, ds->cap_bufs, ds->nbufs + 1, 4))
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    char *data;
    size_t len;
    int rc = dp_read_file(path, (size_t)1 << 30, &data, &len, diag);
    if (rc)
        return rc;
    ds->bufs[ds->nbufs++] = data;

    const fmt_spec *sp = &specs[fmt];
    int source = ds->nsources;
    dp_source_info *si = &ds->src[source];
    *si = (dp_source_info){fmt, sp->lo, sp->hi, !sp->binary && sp->hi >= 0.0f, ds->n, 0, {NULL, NULL}};
    float maxlab = sp->lo;
    size_t first = ds->n;
    dp_tsv_reader r;
    dp_tsv_init(&r, data, len);
    dp_span line, f[8];
    while (dp_tsv_next(&r, &line)) {
        if (line.len == 0)
            continue;
        cnt.lines++;
        int nf = dp_tsv_split(line, f, 8);
        if (cnt.lines == 1 && is_header(sp, f, nf))
            continue;
        dp_pair p;
        memset(&p, 0, sizeof p);
        const char *why = parse_line(sp, f, nf, &p);
        if (why) {
            warn_line(warn, ctx, r.line, "%s: %s, line skipped", sp->name, why);
            cnt.skipped++;
            continue;
        }
        p.source = (uint16_t)source;
        if ((rc = push_pair(ds, &p))) {
            ds->n = first;
            return dp_diag_set(diag, rc, DP_NO_POS, r.line, NULL);
        }
        if (p.label > maxlab)
            maxlab = p.label;
        if (p.label != 0.0f && p.label != 1.0f && sp->hi < 0.0f)
            si->graded = 1;
        cnt.pairs++;
    }
    /* A generic TSV's range is what it holds: 0/1 labels, or scores up to their maximum. */
    if (si->hi < 0.0f)
        si->hi = maxlab > 1.0f ? maxlab : 1.0f;
    si->n = ds->n - first;
    ds->nsources++;
    if (counts)
        *counts = cnt;
    return DOPPEL_OK;
}

int dp_dataset_add_source(dp_dataset *ds, dp_data_format fmt, char *buf, const dp_pair *pairs, size_t n,
                          dp_passage_cuts cuts, doppel_diag *diag)
{
    int rc = DOPPEL_OK;
    if (DP_GROW(ds->bufs, ds->cap_bufs, ds->nbufs + 1, 4)) {
        free(buf);
        rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    } else {
        ds->bufs[ds->nbufs++] = buf;
    }
    if (!rc && ds->nsources >= DP_DATA_MAX_SOURCES)
        rc = dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "more than %d data sources",
                         DP_DATA_MAX_SOURCES);
    size_t first = ds->n;
    for (size_t i = 0; i < n && !rc; i++) {
        dp_pair p = pairs[i];
        p.source = (uint16_t)ds->nsources;
        if (push_pair(ds, &p)) {
            ds->n = first;
            rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
        }
    }
    if (rc) {
        free(cuts.first);
        free(cuts.at);
        return rc;
    }
    ds->src[ds->nsources++] = (dp_source_info){fmt, 0.0f, 1.0f, 0, first, n, cuts};
    return DOPPEL_OK;
}

float dp_pair_norm_label(const dp_dataset *ds, const dp_pair *p)
{
    const dp_source_info *si = &ds->src[p->source];
    return (p->label - si->lo) / (si->hi - si->lo);
}
