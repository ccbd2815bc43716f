#include "cli/cli_corpus.h"

#include "cli/cli.h"
#include "core/diag.h"
#include "core/readfile.h"

#include <stdlib.h>

/* Templates are read whole, up to this size (a handout, not a corpus). */
#define TEMPLATE_MAX_BYTES ((size_t)64 << 20)

int cli_corpus_open(dp_corpus **out, const dp_corpus_opts *opts, const cli_sources *src)
{
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = dp_corpus_create(out, opts);
    if (rc)
        return cli_runtime_error(NULL, rc, NULL);
    for (int i = 0; i < src->n_paths; i++)
        if ((rc = dp_corpus_add_path(*out, src->paths[i], &d)))
            return cli_runtime_error(src->paths[i], rc, &d);
    for (size_t i = 0; i < src->n_jsonl; i++)
        if ((rc = dp_corpus_add_jsonl(*out, src->jsonl[i], &d)))
            return cli_runtime_error(src->jsonl[i], rc, &d);
    for (size_t i = 0; i < src->n_lists; i++)
        if ((rc = dp_corpus_add_list(*out, src->lists[i], &d)))
            return cli_runtime_error(src->lists[i], rc, &d);
    return EXIT_OK;
}

int cli_add_templates(dp_sweep *sw, const char *const *templates, size_t n)
{
    doppel_diag d;
    dp_diag_clear(&d);
    for (size_t i = 0; i < n; i++) {
        char *bytes;
        size_t len;
        int rc = dp_read_file(templates[i], TEMPLATE_MAX_BYTES, &bytes, &len, &d);
        if (!rc) {
            rc = dp_sweep_add_template(sw, bytes, len, &d);
            free(bytes);
        }
        if (rc)
            return cli_runtime_error(templates[i], rc, &d);
    }
    return EXIT_OK;
}
