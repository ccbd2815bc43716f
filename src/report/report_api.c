/* The public report writer: a doppel_report through the JSONL dp_writer. */
#include <stdlib.h>

#include "core/diag.h"
#include "core/grow.h"
#include "doppel.h"
#include "report/writer.h"
#include "sweep/index.h"

int doppel_report_write_jsonl(doppel_report *r, FILE *out, doppel_diag *diag)
{
    if (!r || !out)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", !r ? "report" : "out");
    dp_writer *w;
    int rc = dp_writer_create(&w, DP_REPORT_JSONL, out, NULL, diag);
    if (rc)
        return rc;
    rc = dp_writer_begin(w);
    const doppel_skipped *s;
    while (!rc && (s = doppel_report_next_skipped(r)))
        rc = dp_writer_skipped(w, &(dp_skipped){s->id, s->reason});
    dp_passage *v = NULL;
    size_t cap = 0;
    const doppel_pair *p;
    while (!rc && (p = doppel_report_next(r))) {
        if ((rc = dp_grow((void **)&v, &cap, p->n_passages, sizeof *v)))
            break;
        for (size_t i = 0; i < p->n_passages; i++) {
            const doppel_passage *q = &p->passages[i];
            v[i] = (dp_passage){q->a_start, q->a_end, q->b_start, q->b_end, q->score, (uint8_t)q->kind};
        }
        rc = dp_writer_pair(w, &(dp_pair_result){p->a, p->b, p->score, p->a_coverage, p->b_coverage, v,
                                                 p->n_passages});
    }
    free(v);
    if (!rc) {
        doppel_summary sum;
        doppel_report_summary(r, &sum);
        rc = dp_writer_end(w, &(dp_summary){.documents = sum.documents, .skipped = sum.skipped,
                                            .pairs_compared = sum.pairs_compared,
                                            .pairs_reported = sum.pairs_reported, .seconds = dp_report_seconds(r)});
    }
    if (!rc && fflush(out) != 0)
        rc = DOPPEL_ERR_IO;
    dp_writer_free(w);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, rc == DOPPEL_ERR_IO ? "writing the report" : NULL)
              : DOPPEL_OK;
}
