/* cli_reader: the program's reading of one document (src/io's formats, --by-dir folders)
 * behind the public types of cli/cli_input.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_corpus.h"
#include "cli/cli_extract.h"
#include "cli/cli_input.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "report/writer.h"

struct cli_reader {
    cli_extract x;
    dp_corpus_opts co;
};

int cli_reader_open(cli_reader **out, bool keep_extracted)
{
    cli_reader *r = calloc(1, sizeof *r);
    if (!(*out = r))
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    r->co = (dp_corpus_opts){.reject = dp_report_sniff};
    int status = cli_extract_init(&r->x, &(dp_extract_opts){0}, NULL, keep_extracted);
    if (status) {
        free(r);
        *out = NULL;
        return status;
    }
    cli_extract_hook(&r->x, &r->co);
    return EXIT_OK;
}

void cli_reader_free(cli_reader *r)
{
    if (!r)
        return;
    cli_extract_free(&r->x);
    free(r);
}

const dp_corpus_opts *cli_reader_corpus_opts(const cli_reader *r) { return &r->co; }

void cli_document_clear(cli_document *doc)
{
    for (size_t i = 0; i < doc->n_parts; i++)
        free(doc->part_paths_[i]);
    free(doc->part_paths_), free(doc->parts), free(doc->bytes);
    *doc = (cli_document){0};
}

/* The item's bytes and parts, taken into doc. */
static int take(dp_corpus_item *it, cli_document *doc)
{
    if (it->n_parts && (!(doc->parts = calloc(it->n_parts, sizeof *doc->parts)) ||
                        !(doc->part_paths_ = calloc(it->n_parts, sizeof *doc->part_paths_))))
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < it->n_parts; i++) {
        doc->part_paths_[i] = it->parts[i].path, it->parts[i].path = NULL;
        doc->parts[i] = (doppel_doc_part){doc->part_paths_[i], it->parts[i].start, it->parts[i].len};
    }
    doc->n_parts = it->n_parts;
    doc->bytes = it->bytes, doc->len = it->len, it->bytes = NULL;
    return DOPPEL_OK;
}

int cli_read_document(cli_reader *r, const char *file, cli_document *doc)
{
    *doc = (cli_document){0};
    doppel_diag d;
    dp_diag_clear(&d);
    int rc;
    if (strcmp(file, "-") == 0) {
        if ((rc = dp_read_file(file, DP_CORPUS_DEFAULT_MAX_BYTES, &doc->bytes, &doc->len, &d)))
            return cli_runtime_error(file, rc, &d);
        return EXIT_OK;
    }
    dp_corpus_item it = {0};
    rc = cli_read_one(&r->co, file, &it, &doc->extracted);
    int status = EXIT_OK;
    if (rc == DOPPEL_ERR_NOT_FOUND) {
        status = cli_runtime_error(file, dp_diag_errno(&d, ENOENT, "open"), &d);
    } else if (rc) {
        status = cli_runtime_error(file, rc, NULL);
    } else if (it.kind == DP_CORPUS_SKIPPED) {
        fprintf(stderr, "doppel: %s: not a document to query: %s\n", file, it.reason);
        status = EXIT_RUNTIME;
    } else if ((rc = take(&it, doc))) {
        status = cli_runtime_error(file, rc, NULL);
    }
    dp_corpus_item_clear(&it);
    if (status)
        cli_document_clear(doc);
    return status;
}
