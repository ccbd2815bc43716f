#include "cli/cli_report.h"

#include <sys/stat.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "sweep/corpus.h"

double cli_seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

int cli_report_finish(dp_writer *w, dp_report_output *out, const char *out_path, const dp_summary *sum)
{
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = dp_writer_end(w, sum);
    if (!rc)
        rc = dp_report_output_commit(out, &d);
    if (rc)
        return cli_runtime_error(out_path, rc, &d);
    out->f = NULL;
    return EXIT_OK;
}

int cli_index_doc_text(const char *id, char **bytes, size_t *len, const char **why)
{
    struct stat st;
    if (stat(id, &st) == 0 && S_ISDIR(st.st_mode)) {
        *why = "an index keeps no texts, and this --by-dir submission's files are not recorded in it";
        return DOPPEL_ERR_NOT_FOUND;
    }
    int rc = dp_read_file(id, DP_CORPUS_DEFAULT_MAX_BYTES, bytes, len, NULL);
    if (rc)
        *why = "an index keeps no texts, and no readable file has this name";
    return rc;
}
