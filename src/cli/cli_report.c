#include "cli/cli_report.h"

#include "cli/cli.h"
#include "core/diag.h"

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
