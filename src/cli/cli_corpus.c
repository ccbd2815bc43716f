#include "cli/cli_corpus.h"

#include "cli/cli.h"
#include "cli/cli_input.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "io/reader.h"

#include <stdlib.h>
#include <sys/stat.h>

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

int cli_read_one(const dp_corpus_opts *opts, const char *path, dp_corpus_item *item, bool *extracted)
{
    if (extracted)
        *extracted = false;
    struct stat st;
    if (stat(path, &st) != 0)
        return DOPPEL_ERR_NOT_FOUND;
    dp_corpus_opts co = *opts;
    co.by_dir = S_ISDIR(st.st_mode);
    dp_corpus *c = NULL;
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = dp_corpus_create(&c, &co);
    if (!rc)
        rc = co.by_dir ? dp_corpus_add_submission(c, path) : dp_corpus_add_path(c, path, &d);
    while (!rc && !(rc = dp_corpus_next(c, item, &d)) && item->kind == DP_CORPUS_SKIPPED && item->in_submission)
        ; /* a file left out of its submission: the submission goes on without it */
    if (!rc && item->kind == DP_CORPUS_END)
        rc = DOPPEL_ERR_NOT_FOUND;
    dp_docsrc src;
    if (!rc && co.read == dp_io_reader_read) { /* the format reader's record of it, taken */
        if (!(rc = dp_io_reader_take(co.read_ctx, item, &src)) && extracted)
            *extracted = src.extracted || src.segs;
        dp_docsrc_free(&src);
    }
    dp_corpus_free(c);
    return rc;
}

static int sweep_template(void *sw, const char *bytes, size_t len, doppel_diag *diag)
{
    return dp_sweep_add_template(sw, bytes, len, diag);
}

int cli_add_templates(dp_sweep *sw, const char *const *templates, size_t n)
{
    return cli_read_templates(templates, n, sweep_template, sw);
}

int cli_corpus_chunks(const dp_dist *d, dp_corpus *c)
{
    size_t nj = dp_corpus_jsonl_count(c);
    if (!nj)
        return DOPPEL_OK;
    uint64_t *mine = calloc(nj, sizeof *mine);
    size_t *from = calloc((size_t)d->size, sizeof *from);
    uint8_t *all = NULL;
    if (!mine || !from)
        dp_dist_fail(d, "out of memory");
    dp_corpus_chunk_lines(c, (size_t)d->rank, (size_t)d->size, mine);
    dp_dist_allgather(d, mine, nj * sizeof *mine, &all, from);
    int rc = dp_corpus_set_chunks(c, (size_t)d->size, (const uint64_t *)(void *)all); /* malloc'd: aligned */
    free(mine), free(from), free(all);
    return rc;
}
