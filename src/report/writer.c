/* Format dispatch and report output (stdout or an atomically written file). */
#include "report/writer.h"

#include <errno.h>
#include <string.h>

#include "core/diag.h"

int dp_writer_create(dp_writer **w, dp_report_format format, FILE *out,
                     const dp_report_opts *opts, doppel_diag *diag)
{
    *w = NULL;
    int rc;
    switch (format) {
    case DP_REPORT_JSONL: rc = dp_writer_jsonl_create(w); break;
    case DP_REPORT_CSV: rc = dp_writer_csv_create(w); break;
    case DP_REPORT_HTML: rc = dp_writer_html_create(w); break;
    case DP_REPORT_TABLE: rc = dp_writer_table_create(w); break;
    case DP_REPORT_PAN: rc = dp_writer_pan_create(w); break;
    default:
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "unknown report format %d", (int)format);
    }
    if (rc != DOPPEL_OK)
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    (*w)->out = out;
    if (opts)
        (*w)->opts = *opts;
    return DOPPEL_OK;
}

void dp_writer_free(dp_writer *w)
{
    if (w)
        w->ops->destroy(w);
}

int dp_writer_begin(dp_writer *w) { return w->ops->begin(w); }
int dp_writer_pair(dp_writer *w, const dp_pair_result *r) { return w->ops->pair(w, r); }
int dp_writer_skipped(dp_writer *w, const dp_skipped *s) { return w->ops->skipped(w, s); }
int dp_writer_end(dp_writer *w, const dp_summary *s) { return w->ops->end(w, s); }

int dp_writer_common(dp_writer *w, const dp_common_passage *c)
{
    return w->ops->common ? w->ops->common(w, c) : DOPPEL_OK;
}

int dp_writer_cluster(dp_writer *w, const char *const *members, size_t n)
{
    return w->ops->cluster(w, members, n);
}

int dp_writer_io_status(const dp_writer *w)
{
    return ferror(w->out) ? DOPPEL_ERR_IO : DOPPEL_OK;
}

bool dp_report_format_parse(const char *name, dp_report_format *out)
{
    static const struct {
        const char *name;
        dp_report_format f;
    } names[] = {{"jsonl", DP_REPORT_JSONL}, {"csv", DP_REPORT_CSV},
                 {"html", DP_REPORT_HTML}, {"table", DP_REPORT_TABLE}, {"pan", DP_REPORT_PAN}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    return false;
}
