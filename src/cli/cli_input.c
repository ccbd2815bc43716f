#include "cli/cli_input.h"

#include <stdlib.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "doppel_io.h"

/* Templates are read whole, up to this size (a handout, not a corpus). */
#define TEMPLATE_MAX_BYTES ((uint64_t)64 << 20)

int cli_read_templates(const char *const *templates, size_t n, cli_template_fn add, void *ctx)
{
    doppel_diag d;
    dp_diag_clear(&d);
    for (size_t i = 0; i < n; i++) {
        char *bytes;
        size_t len;
        int rc = doppel_read_file(templates[i], TEMPLATE_MAX_BYTES, &bytes, &len, &d);
        if (!rc) {
            rc = add(ctx, bytes, len, &d);
            free(bytes);
        }
        if (rc)
            return cli_runtime_error(templates[i], rc, &d);
    }
    return EXIT_OK;
}
