/* cli_docs: a corpus read as the program reads it (src/io's formats, reports refused)
 * behind the public types of cli/cli_input.h. */
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_corpus.h"
#include "cli/cli_extract.h"
#include "cli/cli_input.h"
#include "core/diag.h"
#include "report/writer.h"

struct cli_docs {
    cli_extract x;
    dp_corpus_opts co;
    dp_corpus *corpus;
    dp_corpus_item it;
    cli_doc doc;
};

int cli_docs_open(cli_docs **out, const cli_docs_opts *o, const cli_sources *src)
{
    cli_docs *d = calloc(1, sizeof *d);
    if (!(*out = d))
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    int status = cli_extract_init(&d->x, &(dp_extract_opts){0}, NULL, false);
    if (status) {
        free(d);
        *out = NULL;
        return status;
    }
    d->co = (dp_corpus_opts){.max_bytes = o->max_bytes, .by_dir = o->by_dir, .include = o->include,
                             .n_include = o->n_include, .exclude = o->exclude, .n_exclude = o->n_exclude,
                             .reject = dp_report_sniff};
    cli_extract_hook(&d->x, &d->co); /* the formats the sweep reads */
    return cli_corpus_open(&d->corpus, &d->co, src);
}

void cli_docs_free(cli_docs *d)
{
    if (!d)
        return;
    dp_corpus_item_clear(&d->it);
    dp_corpus_free(d->corpus);
    cli_extract_free(&d->x);
    free(d);
}

dp_corpus *cli_docs_corpus(cli_docs *d) { return d->corpus; }

int cli_docs_next(cli_docs *d, const cli_doc **doc)
{
    *doc = NULL;
    doppel_diag dg;
    dp_diag_clear(&dg);
    int rc = dp_corpus_next(d->corpus, &d->it, &dg);
    if (rc)
        return cli_runtime_error(NULL, rc, &dg);
    const dp_corpus_item *it = &d->it;
    if (it->kind == DP_CORPUS_END)
        return EXIT_OK;
    d->doc = (cli_doc){.id = it->id, .reason = it->reason, .duplicate = it->duplicate};
    if (it->kind == DP_CORPUS_DOC) {
        dp_docsrc src; /* the format reader's record of it, taken before the next is read */
        int status = cli_extract_take(&d->x, it, 1, &src);
        if (status)
            return status;
        d->doc = (cli_doc){.id = it->id, .bytes = it->bytes, .len = it->len, .is_path = it->is_path,
                           .extracted = src.extracted || src.segs};
        dp_docsrc_free(&src);
    }
    *doc = &d->doc;
    return EXIT_OK;
}
