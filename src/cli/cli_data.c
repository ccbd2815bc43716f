#include "cli/cli_data.h"

#include <stdio.h>

#include "cli/cli.h"
#include "core/diag.h"

static void warn_line(void *ctx, uint64_t line, const char *message)
{
    doppel_diag d;
    dp_diag_clear(&d);
    dp_diag_set(&d, DOPPEL_ERR_FORMAT, DP_NO_POS, line, "%s", message);
    cli_warn(*(const char **)ctx, DOPPEL_ERR_FORMAT, &d);
}

int cli_data_read(dp_dataset *ds, const char *path, dp_data_format fmt)
{
    doppel_diag d;
    dp_diag_clear(&d);
    dp_data_counts c;
    int rc = dp_dataset_read(ds, path, fmt, warn_line, &path, &c, &d);
    if (rc)
        return cli_runtime_error(path, rc, &d);
    fprintf(stderr, "doppel: %s: %llu pairs (%s), %llu malformed lines skipped\n", path,
            (unsigned long long)c.pairs, dp_data_format_name(fmt), (unsigned long long)c.skipped);
    return EXIT_OK;
}
