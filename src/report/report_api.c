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

/* The caller's callbacks behind the writer's, which take the stage's types. */
typedef struct bridge {
    const doppel_write_opts *o;
    dp_doc_part *parts; /* the last marks' parts, as the writer takes them */
    size_t cap_parts;
} bridge;

static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    const bridge *b = ctx;
    return b->o->text(b->o->text_ctx, id, bytes, len, why);
}

static int marks_of(void *ctx, const char *id, dp_report_marks *out)
{
    bridge *b = ctx;
    doppel_marks m = {0};
    int rc = b->o->marks(b->o->text_ctx, id, &m);
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
    return b->o->extracted(b->o->text_ctx, id) ? "extracted" : NULL;
}

int doppel_report_write_jsonl(doppel_report *r, FILE *out, doppel_diag *diag)
{
    return doppel_report_write(r, NULL, out, diag);
}

int doppel_report_write(doppel_report *r, const doppel_write_opts *opts, FILE *out, doppel_diag *diag)
{
    if (!r || !out)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", !r ? "report" : "out");
    doppel_write_opts o = {.size = sizeof o, .seconds = -1};
    int rc = opts ? dp_sized_read(&o, sizeof o, opts, opts->size, offsetof(doppel_write_opts, format),
                                  "doppel_write_opts_init", diag)
                  : DOPPEL_OK;
    if (rc)
        return rc;
    static const dp_report_format formats[] = {
        [DOPPEL_FORMAT_JSONL] = DP_REPORT_JSONL, [DOPPEL_FORMAT_CSV] = DP_REPORT_CSV,
        [DOPPEL_FORMAT_HTML] = DP_REPORT_HTML, [DOPPEL_FORMAT_TABLE] = DP_REPORT_TABLE};
    if (o.format < 0 || (size_t)o.format >= sizeof formats / sizeof *formats)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "format %d: not a DOPPEL_FORMAT_*",
                           o.format);
    if (o.columns < 0)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "columns %d: must not be negative",
                           o.columns);
    bridge br = {&o, NULL, 0};
    dp_report_opts ro = {.aside = o.aside, .title = o.title, .columns = o.columns, .threshold = o.threshold,
                         .text = o.text ? text_of : NULL, .marks = o.marks ? marks_of : NULL,
                         .offsets = o.extracted ? offsets_of : NULL, .text_ctx = &br};
    dp_writer *w;
    if (!(o.threshold >= 0.0f && o.threshold <= 1.0f))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "threshold %g: must be 0..1",
                           (double)o.threshold);
    if ((rc = dp_writer_create(&w, formats[o.format], out, &ro, diag)))
        return rc;
    rc = dp_writer_begin(w);
    const doppel_skipped *s;
    while (!rc && (s = doppel_report_next_skipped(r)))
        rc = dp_writer_skipped(w, s);
    const doppel_pair *p;
    while (!rc && (p = doppel_report_next(r)))
        rc = dp_writer_pair(w, p); /* the library's pair is the sweep's (sweep/result.h) */
    dp_common_member *m = NULL;
    size_t cap = 0;
    const doppel_common *c;
    while (!rc && (c = doppel_report_next_common(r))) {
        if ((rc = dp_grow((void **)&m, &cap, c->n_members, sizeof *m)))
            break;
        for (size_t i = 0; i < c->n_members; i++)
            m[i] = (dp_common_member){c->members[i].id, c->members[i].start, c->members[i].end};
        rc = dp_writer_common(w, &(dp_common_passage){m, c->n_members});
    }
    free(m);
    if (!rc) {
        doppel_summary sum;
        doppel_report_summary(r, &sum);
        dp_summary ds = {.documents = sum.documents, .skipped = sum.skipped, .pairs_compared = sum.pairs_compared,
                         .pairs_reported = sum.pairs_reported, .common = doppel_report_common_count(r),
                         .seconds = o.seconds >= 0 ? o.seconds : dp_report_seconds(r)};
        if (o.all_scores)
            ds.score_bins = dp_report_score_bins(r, &ds.n_score_bins);
        rc = dp_writer_end(w, &ds);
    }
    if (!rc && fflush(out) != 0)
        rc = DOPPEL_ERR_IO;
    dp_writer_free(w);
    free(br.parts);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, rc == DOPPEL_ERR_IO ? "writing the report" : NULL)
              : DOPPEL_OK;
}
