/* The public report writers: a doppel_report through a format's dp_writer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/diag.h"
#include "core/grow.h"
#include "core/sized.h"
#include "doppel.h"
#include "report/writer.h"
#include "sweep/index.h"

void doppel_write_opts_init(doppel_write_opts *o, size_t size)
{
    if (o)
        dp_sized_init(o, size, &(doppel_write_opts){.size = sizeof *o, .seconds = -1}, sizeof *o);
}

/* A public writer: the format's dp_writer, with the caller's callbacks behind the writer's,
 * which take the stage's types. */
struct doppel_writer {
    dp_writer *w;
    doppel_write_opts o;
    dp_doc_part *parts; /* the last marks' parts, as the writer takes them */
    size_t cap_parts;
};
typedef struct doppel_writer bridge;

static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    const bridge *b = ctx;
    return b->o.text(b->o.text_ctx, id, bytes, len, why);
}

static int marks_of(void *ctx, const char *id, dp_report_marks *out)
{
    bridge *b = ctx;
    doppel_marks m = {0};
    int rc = b->o.marks(b->o.text_ctx, id, &m);
    if (rc)
        return rc;
    if (dp_grow((void **)&b->parts, &b->cap_parts, m.n_parts, sizeof *b->parts))
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < m.n_parts; i++) /* the writer reads the paths only */
        b->parts[i] = (dp_doc_part){(char *)(uintptr_t)m.parts[i].path, m.parts[i].start, m.parts[i].len};
    *out = (dp_report_marks){m.excluded, m.n_excluded, m.n_parts ? b->parts : NULL, m.n_parts};
    return DOPPEL_OK;
}

static const char *offsets_of(void *ctx, const char *id)
{
    const bridge *b = ctx;
    return b->o.extracted(b->o.text_ctx, id) ? "extracted" : NULL;
}

static void documents_of(void *ctx, const char *const **ids, size_t *n)
{
    const bridge *b = ctx;
    b->o.documents(b->o.text_ctx, ids, n);
}

/* A failed write's diag (rc DOPPEL_OK passes through). */
static int failed(int rc, doppel_diag *diag)
{
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, rc == DOPPEL_ERR_IO ? "writing the report" : NULL)
              : DOPPEL_OK;
}

int doppel_writer_create(doppel_writer **out, const doppel_write_opts *opts, FILE *f, doppel_diag *diag)
{
    if (!out || !f)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", !out ? "w" : "out");
    *out = NULL;
    doppel_write_opts o;
    doppel_write_opts_init(&o, sizeof o);
    int rc = opts ? dp_sized_read(&o, sizeof o, opts, opts->size, offsetof(doppel_write_opts, format),
                                  "doppel_write_opts_init", diag)
                  : DOPPEL_OK;
    if (rc)
        return rc;
    static const dp_report_format formats[] = {
        [DOPPEL_FORMAT_JSONL] = DP_REPORT_JSONL, [DOPPEL_FORMAT_CSV] = DP_REPORT_CSV,
        [DOPPEL_FORMAT_HTML] = DP_REPORT_HTML,   [DOPPEL_FORMAT_TABLE] = DP_REPORT_TABLE,
        [DOPPEL_FORMAT_PAN] = DP_REPORT_PAN};
    if (o.format < 0 || (size_t)o.format >= sizeof formats / sizeof *formats)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "format %d: not a DOPPEL_FORMAT_*",
                           o.format);
    if (o.columns < 0)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "columns %d: must not be negative",
                           o.columns);
    if (!(o.threshold >= 0.0f && o.threshold <= 1.0f))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "threshold %g: must be 0..1",
                           (double)o.threshold);
    if (o.format == DOPPEL_FORMAT_PAN && !o.out_dir)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "format PAN writes a directory: out_dir is NULL");
    if (o.n_about && !o.about)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "about is NULL with n_about %zu", o.n_about);
    bridge *b = calloc(1, sizeof *b);
    if (!b)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    b->o = o;
    dp_report_opts ro = {.aside = o.aside, .title = o.title, .columns = o.columns, .threshold = o.threshold,
                         .text = o.text ? text_of : NULL, .marks = o.marks ? marks_of : NULL,
                         .offsets = o.extracted ? offsets_of : NULL, .text_ctx = b, .about = o.about,
                         .n_about = o.n_about, .out_dir = o.out_dir, .force = o.force != 0,
                         .b_is_source = o.b_is_source != 0, .documents = o.documents ? documents_of : NULL};
    if ((rc = dp_writer_create(&b->w, formats[o.format], f, &ro, diag))) {
        free(b);
        return rc;
    }
    if ((rc = dp_writer_begin(b->w))) {
        doppel_writer_free(b);
        return failed(rc, diag);
    }
    *out = b;
    return DOPPEL_OK;
}

#define NO_WRITER(diag) dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "w is NULL")

int doppel_writer_skipped(doppel_writer *w, const doppel_skipped *s, doppel_diag *diag)
{
    if (!w || !s || !s->id || !s->reason)
        return !w ? NO_WRITER(diag) : dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "skipped entry or its id or reason is NULL");
    return failed(dp_writer_skipped(w->w, s), diag);
}

int doppel_writer_pair(doppel_writer *w, const doppel_pair *p, doppel_diag *diag)
{
    if (!w || !p || !p->a || !p->b || (p->n_passages && !p->passages))
        return !w ? NO_WRITER(diag) : dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "pair or its ids or passages NULL");
    return failed(dp_writer_pair(w->w, p), diag); /* the library's pair is the sweep's (sweep/result.h) */
}

int doppel_writer_common(doppel_writer *w, const doppel_common *c, doppel_diag *diag)
{
    if (!w || !c || (c->n_members && !c->members))
        return !w ? NO_WRITER(diag) : dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "common passage or its members NULL");
    /* the library's member is the sweep's (sweep/result.h) */
    return failed(dp_writer_common(w->w, &(dp_common_passage){c->members, c->n_members}), diag);
}

int doppel_writer_cluster(doppel_writer *w, const char *const *ids, size_t n, doppel_diag *diag)
{
    if (!w || (n && !ids))
        return !w ? NO_WRITER(diag) : dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "ids is NULL");
    return failed(dp_writer_cluster(w->w, ids, n), diag);
}

void doppel_write_summary_init(doppel_write_summary *s, size_t size)
{
    if (s)
        dp_sized_init(s, size, &(doppel_write_summary){.size = sizeof *s}, sizeof *s);
}

int doppel_writer_end(doppel_writer *w, const doppel_write_summary *s, doppel_diag *diag)
{
    if (!w || !s)
        return !w ? NO_WRITER(diag) : dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "summary is NULL");
    doppel_write_summary full;
    doppel_write_summary_init(&full, sizeof full);
    int rc = dp_sized_read(&full, sizeof full, s, s->size, offsetof(doppel_write_summary, documents),
                           "doppel_write_summary_init", diag);
    if (rc)
        return rc;
    if (full.n_score_bins && !full.score_bins)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "score_bins is NULL with n_score_bins %zu",
                           full.n_score_bins);
    dp_summary ds = {.documents = full.documents, .skipped = full.skipped, .pairs_compared = full.pairs_compared,
                     .pairs_reported = full.pairs_reported, .common = full.common_passages, .seconds = full.seconds,
                     .score_bins = full.n_score_bins ? full.score_bins : NULL, .n_score_bins = full.n_score_bins};
    return failed(dp_writer_end(w->w, &ds), diag);
}

void doppel_writer_free(doppel_writer *w)
{
    if (!w)
        return;
    dp_writer_free(w->w);
    free(w->parts);
    free(w);
}

int doppel_report_write_jsonl(doppel_report *r, FILE *out, doppel_diag *diag)
{
    return doppel_report_write(r, NULL, out, diag);
}

int doppel_report_write(doppel_report *r, const doppel_write_opts *opts, FILE *out, doppel_diag *diag)
{
    if (!r || !out)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", !r ? "report" : "out");
    doppel_writer *w;
    int rc = doppel_writer_create(&w, opts, out, diag);
    if (rc)
        return rc;
    const doppel_skipped *s;
    while (!rc && (s = doppel_report_next_skipped(r)))
        rc = doppel_writer_skipped(w, s, diag);
    const doppel_pair *p;
    while (!rc && (p = doppel_report_next(r)))
        rc = doppel_writer_pair(w, p, diag);
    const doppel_common *c;
    while (!rc && (c = doppel_report_next_common(r)))
        rc = doppel_writer_common(w, c, diag);
    if (!rc) {
        doppel_summary sum;
        doppel_report_summary(r, &sum);
        doppel_write_summary ws;
        doppel_write_summary_init(&ws, sizeof ws);
        ws.documents = sum.documents, ws.skipped = sum.skipped, ws.pairs_compared = sum.pairs_compared;
        ws.pairs_reported = sum.pairs_reported, ws.common_passages = doppel_report_common_count(r);
        ws.seconds = w->o.seconds >= 0 ? w->o.seconds : dp_report_seconds(r);
        if (w->o.all_scores)
            ws.score_bins = dp_report_score_bins(r, &ws.n_score_bins);
        rc = doppel_writer_end(w, &ws, diag);
    }
    if (!rc && fflush(out) != 0)
        rc = failed(DOPPEL_ERR_IO, diag);
    doppel_writer_free(w);
    return rc;
}
