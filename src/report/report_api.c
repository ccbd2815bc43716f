/* The public report writers: a doppel_report through a format's dp_writer. */
#include <stddef.h>
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
        dp_sized_init(o, size, &(doppel_write_opts){.size = sizeof *o}, sizeof *o);
}

int doppel_report_write_jsonl(doppel_report *r, FILE *out, doppel_diag *diag)
{
    return doppel_report_write(r, NULL, out, diag);
}

int doppel_report_write(doppel_report *r, const doppel_write_opts *opts, FILE *out, doppel_diag *diag)
{
    if (!r || !out)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", !r ? "report" : "out");
    doppel_write_opts o = {.size = sizeof o};
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
    dp_report_opts ro = {.aside = o.aside, .title = o.title, .columns = o.columns, .text = o.text,
                         .text_ctx = o.text_ctx};
    dp_writer *w;
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
        rc = dp_writer_end(w, &(dp_summary){.documents = sum.documents, .skipped = sum.skipped,
                                            .pairs_compared = sum.pairs_compared,
                                            .pairs_reported = sum.pairs_reported, .seconds = dp_report_seconds(r),
                                            .common = doppel_report_common_count(r)});
    }
    if (!rc && fflush(out) != 0)
        rc = DOPPEL_ERR_IO;
    dp_writer_free(w);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, rc == DOPPEL_ERR_IO ? "writing the report" : NULL)
              : DOPPEL_OK;
}
