#include "cli/cli_corpus.h"

#include "cli/cli.h"
#include "cli/cli_input.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "io/reader.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    size_t at = 0, k = src->dist ? (size_t)src->dist->rank : 0, n = src->dist ? (size_t)src->dist->size : 1;
    if (src->n_lists && (rc = dp_corpus_add_lists(*out, src->lists, src->n_lists, k, n, &at, &d)))
        return cli_runtime_error(src->lists[at], rc, &d);
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

/* A file listed in two ranks' byte ranges is one document, the first in the job's order
 * (a listed unit's number: the units of lower ranks' ranges, then its own). */
static int same_files(const dp_dist *d, dp_corpus *docs, uint64_t before)
{
    dp_corpus_file *f;
    size_t n;
    if (dp_corpus_listed_files(docs, &f, &n))
        dp_dist_fail(d, "out of memory");
    char **keys = calloc(n ? n : 1, sizeof *keys), **first = calloc(n ? n : 1, sizeof *first);
    const char **where = calloc(n ? n : 1, sizeof *where);
    uint64_t *order = calloc(n ? n : 1, sizeof *order);
    if (!keys || !first || !where || !order)
        dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char key[48];
        snprintf(key, sizeof key, "%" PRIx64 ":%" PRIx64, f[i].dev, f[i].ino);
        if (!(keys[i] = strdup(key)))
            dp_dist_fail(d, "out of memory");
        where[i] = f[i].id, order[i] = before + f[i].unit;
    }
    dp_dist_repeats(d, (const char *const *)keys, where, order, n, first);
    int rc = DOPPEL_OK;
    for (size_t i = 0; i < n; i++) {
        if (first[i] && !rc)
            rc = dp_corpus_same_file(docs, f[i].unit, first[i]);
        free(keys[i]), free(first[i]);
    }
    free(keys), free(first), free(where), free(order), free(f);
    return rc;
}

/* x, a number among all ranks' listed units, as one among this rank's: 0 .. mine. */
static uint64_t listed_here(uint64_t x, uint64_t before, uint64_t mine)
{
    return x < before ? 0 : x - before < mine ? x - before : mine;
}

int cli_corpus_share(const dp_dist *d, uint64_t ni, dp_corpus *docs, dp_corpus *refc, uint64_t *ia, uint64_t *ib,
                     int *tail)
{
    uint64_t n[4] = {ni, 0, 0, 0}, part[4][2], mine = dp_corpus_listed_units(docs), before = 0;
    size_t *from = calloc((size_t)d->size, sizeof *from);
    uint8_t *all = NULL;
    if (!from)
        dp_dist_fail(d, "out of memory");
    dp_dist_allgather(d, &mine, sizeof mine, &all, from);
    const uint64_t *held = (const uint64_t *)(void *)all; /* malloc'd: aligned */
    for (int r = 0; r < d->size; r++)
        before += r < d->rank ? held[r] : 0, n[2] += held[r];
    int rc = n[2] ? same_files(d, docs, before) : DOPPEL_OK;
    if (cli_corpus_chunks(d, docs) || (refc && cli_corpus_chunks(d, refc)))
        rc = DOPPEL_ERR_NOMEM;
    if (!rc && (dp_corpus_count_units(docs, &n[1]) || (refc && dp_corpus_count_units(refc, &n[3]))))
        rc = DOPPEL_ERR_IO;
    if (!rc) {
        n[1] -= mine; /* the units before the lists: the same on every rank */
        dp_dist_share_held(d, n, 4, 2, held, part, tail);
        *ia = part[0][0], *ib = part[0][1];
        uint64_t a = part[1][0] < n[1] ? part[1][0] : n[1] + listed_here(part[2][0], before, mine);
        uint64_t b = part[1][1] < n[1] ? part[1][1] : n[1] + listed_here(part[2][1], before, mine);
        dp_corpus_restrict(docs, a, b);
        if (refc)
            dp_corpus_restrict(refc, part[3][0], part[3][1]);
    }
    free(from), free(all);
    return rc;
}
