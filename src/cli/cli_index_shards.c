/* Sharded indexes on the command line: index add --mpi writes one, and an index saved
 * over one removes its shards (sweep/shards.h says what one is and why the manifest is
 * written last). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_corpus.h"
#include "cli/cli_index.h"
#include "cli/cli_dpmodel.h"
#include "cli/cli_model.h"
#include "cli/cli_tmp.h"
#include "core/atomic_file.h"
#include "core/diag.h"
#include "mpi/dist.h"
#include "mpi/dist_sentences.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"
#include "sweep/shards.h"

int cli_index_save(const doppel_index *ix, const char *path)
{
    dp_shards old;
    int sharded = dp_shards_read(path, &old, NULL) == DOPPEL_OK;
    doppel_diag d;
    dp_diag_clear(&d);
    cli_signals_hold(); /* the index is built: only its writing is left */
    dp_atomic_remove_stale(path);
    int rc = doppel_index_save(ix, path, &d);
    cli_signals_release();
    if (!rc && sharded) /* path is one file now: the old manifest's shards are read no more */
        dp_shards_remove(path, &old);
    if (sharded)
        dp_shards_free(&old);
    return rc ? cli_runtime_error(path, rc, &d) : EXIT_OK;
}

/* ---- index add --mpi ----------------------------------------------------- */

/* What one rank holds of the job. */
typedef struct add_job {
    const dp_dist *d;
    const char *path;
    dp_index *ix;      /* the public handle's (pix) */
    doppel_index *pix;
    size_t existing; /* the documents it took from the index, numbered first.. in it */
    uint64_t first;
    size_t fed, shared, encoded; /* items added; sentence vectors shared; encoded here */
} add_job;

/* After each item: the ranks share the sentence vectors they encoded, every so often
 * (mpi/dist_sentences.h). */
static void share_sentences(void *ctx)
{
    add_job *j = ctx;
    if (++j->fed % DP_DIST_SENTENCES_EVERY == 0)
        dp_dist_share_sentences(j->d, dp_index_sweep(j->ix), &j->shared, &j->encoded, 0);
}

/*
 * An id is in the index once, whichever ranks read it: every id goes to the rank owning
 * its hash (dp_dist_repeats), which keeps its first document (else its first skipped
 * entry) and tells the others to drop theirs, with a warning as one process gives.
 * Returns the documents this rank dropped.
 */
static size_t drop_duplicates(add_job *j)
{
    const dp_dist *d = j->d;
    dp_sweep *sw = dp_index_sweep(j->ix);
    size_t nd = dp_sweep_count(sw), n = nd + dp_index_skipped_count(j->ix), dropped = 0;
    const char **ids = calloc(n ? n : 1, sizeof *ids);
    uint64_t *order = calloc(n ? n : 1, sizeof *order);
    char **first = calloc(n ? n : 1, sizeof *first);
    if (!ids || !order || !first)
        dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *reason;
        if (i < nd)
            ids[i] = dp_sweep_doc_at(sw, i)->id;
        else
            dp_index_skipped_at(j->ix, i - nd, &ids[i], &reason);
        /* documents before skipped entries; the index's documents by number, new ones
         * after all of them, in rank order */
        order[i] = i >= nd          ? ((uint64_t)1 << 63) + ((uint64_t)d->rank << 32) + (i - nd)
                   : i < j->existing ? j->first + i
                                     : ((uint64_t)1 << 62) + ((uint64_t)d->rank << 32) + i;
    }
    dp_dist_repeats(d, ids, ids, order, n, first);
    char **drop = calloc(n ? n : 1, sizeof *drop); /* ids, removed after the walk */
    if (!drop)
        dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (first[i] && !(drop[i] = strdup(ids[i])))
            dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!drop[i])
            continue;
        if (i < nd) {
            fprintf(stderr, "doppel: warning: %s: skipped: '%s' is already in the index\n", drop[i], drop[i]);
            dp_sweep_remove(sw, drop[i]);
            dropped++;
        } else {
            dp_index_remove(j->ix, drop[i]); /* a skipped entry is found before a document */
        }
        free(drop[i]), free(first[i]);
    }
    free(drop), free(first), free(order), free(ids);
    return dropped;
}

/* This rank's shard name: INDEX.R, or INDEX.R.gG when the current manifest uses that. */
static char *shard_name(const char *path, const dp_shards *old, int rank, uint64_t gen)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char name[4096];
    snprintf(name, sizeof name, "%s.%d", base, rank);
    for (size_t s = 0; s < old->n; s++)
        if (strcmp(old->shard[s].name, name) == 0) {
            snprintf(name, sizeof name, "%s.%d.g%llu", base, rank, (unsigned long long)gen);
            break;
        }
    return strdup(name);
}

/* Whether a file may be written at spath: nothing is there, or the shard of a write that
 * never got its manifest (an index file no manifest names). */
static int may_write(const char *spath)
{
    struct stat st;
    if (lstat(spath, &st) != 0)
        return 1;
    dp_index_info info;
    if (S_ISREG(st.st_mode) && dp_index_peek(spath, &info, NULL) == DOPPEL_OK)
        return 1;
    fprintf(stderr, "doppel: %s: exists and is no shard of an unfinished write (nothing written); move it away\n",
            spath);
    return 0;
}

/* One rank's record for the manifest: [u64 size][u32 crc][u64 documents][u64 skipped]
 * [u32 name length][name]. */
static void put_record(const dp_dist *d, dp_bytes *b, const dp_shard *r)
{
    uint32_t nl = (uint32_t)strlen(r->name);
    dp_bytes_put(d, b, &r->size, sizeof r->size);
    dp_bytes_put(d, b, &r->crc, sizeof r->crc);
    dp_bytes_put(d, b, &r->documents, sizeof r->documents);
    dp_bytes_put(d, b, &r->skipped, sizeof r->skipped);
    dp_bytes_put(d, b, &nl, sizeof nl);
    dp_bytes_put(d, b, r->name, nl);
}

/* Rank 0: the manifest of every rank's record, written over path. */
static int commit(const dp_dist *d, const char *path, const uint8_t *all, size_t len, const dp_shards *old,
                  const dp_index *ix)
{
    dp_shards m = {0};
    m.has_model = dp_index_has_model(ix, &m.model_id);
    m.generation = old->generation + 1;
    if (!(m.shard = calloc((size_t)d->size, sizeof *m.shard)))
        return cli_runtime_error(path, DOPPEL_ERR_NOMEM, NULL);
    m.n = (size_t)d->size;
    dp_bytes_reader rd = {all, all + len};
    for (size_t s = 0; s < m.n; s++) {
        dp_shard *r = &m.shard[s];
        uint32_t nl;
        dp_bytes_get(d, &rd, &r->size, sizeof r->size);
        dp_bytes_get(d, &rd, &r->crc, sizeof r->crc);
        dp_bytes_get(d, &rd, &r->documents, sizeof r->documents);
        dp_bytes_get(d, &rd, &r->skipped, sizeof r->skipped);
        dp_bytes_get(d, &rd, &nl, sizeof nl);
        if ((size_t)(rd.end - rd.p) < nl || !(r->name = strndup((const char *)rd.p, nl)))
            dp_dist_fail(d, "a shard record is shorter than it says");
        rd.p += nl;
    }
    doppel_diag dg;
    dp_diag_clear(&dg);
    cli_signals_hold(); /* every shard is written: only the commit is left */
    dp_atomic_remove_stale(path);
    int rc = dp_shards_write(path, &m, &dg);
    cli_signals_release();
    dp_shards_free(&m);
    return rc ? cli_runtime_error(path, rc, &dg) : EXIT_OK;
}

/* This rank's share of the index's documents and of the new ones (cli_corpus_share: one
 * process's order, the index's then the new, kept shard by shard), reading only the
 * shards that hold its part of the index. */
static int load_share(add_job *j, dp_corpus *corpus, const dp_index_info *info, const dp_model *model,
                      int threads)
{
    uint64_t ia, ib;
    int at_end, rc = cli_corpus_share(j->d, info->documents, corpus, NULL, &ia, &ib, &at_end);
    if (rc)
        return cli_runtime_error(NULL, rc, NULL);
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    doppel_diag dg;
    dp_diag_clear(&dg);
    dp_index *ix;
    rc = dp_index_load_part(&ix, j->path, model, 0, threads, &so, ia, ib, at_end, &dg);
    if (rc || (rc = dp_index_wrap(&j->pix, ix, &dg)))
        return cli_runtime_error(j->path, rc, &dg);
    j->ix = dp_index_of(j->pix);
    j->first = ia;
    j->existing = dp_sweep_count(dp_index_sweep(j->ix));
    return EXIT_OK;
}

int cli_index_add_mpi(const char *path, const char *model_opt, int threads, const cli_docs_opts *o,
                      const cli_sources *src, int is_ref)
{
    dp_dist dist;
    if (dp_dist_start(&dist))
        return EXIT_USAGE;
    const dp_dist *d = &dist;
    add_job j = {.d = d, .path = path};
    dp_shards old = {0};
    dp_model *model = NULL;
    dp_encoder *enc = NULL;
    cli_docs *docs = NULL;
    cli_index_files *files = NULL;
    char *name = NULL, *spath = NULL;
    int written = 0, status = EXIT_OK, rc;
    size_t added = 0, skipped = 0;
    const char *mpath;
    doppel_diag dg;
    dp_diag_clear(&dg);
    dp_index_info info;
    if ((rc = dp_index_peek_any(path, &info, &dg))) {
        status = cli_runtime_error(path, rc, &dg);
    } else {
        if (dp_shards_read(path, &old, NULL) != DOPPEL_OK)
            old = (dp_shards){0}; /* one index file: generation 0 */
        if ((info.has_model || model_opt) && (status = cli_encoder_open(model_opt, threads, DP_PRECISION_AUTO, &model, &enc, &mpath)))
            goto agree;
        cli_sources mine = *src; /* each rank adds its byte range of the --list files */
        mine.dist = d;
        if (!(status = cli_docs_open(&docs, o, &mine)) &&
            !(status = load_share(&j, cli_docs_corpus(docs), &info, model, threads)))
            status = cli_index_files_open(&files, path, j.pix);
    }
agree:
    if (!dp_dist_all_ok(d, status != EXIT_OK, "the index is left as it was")) {
        status = EXIT_RUNTIME;
        goto done;
    }
    /* every rank has its part: with a model (on all of them or none) they share the
     * sentence vectors they encode, each taking part until all have encoded theirs */
    int share = dp_sweep_sentcache(dp_index_sweep(j.ix)) != NULL;
    status = cli_index_add_docs(j.pix, files, docs, is_ref, &added, &skipped, share ? share_sentences : NULL, &j);
    while (share && !dp_dist_share_sentences(d, dp_index_sweep(j.ix), &j.shared, &j.encoded, 1))
        ;
    if (!dp_dist_all_ok(d, status != EXIT_OK, "the index is left as it was")) {
        status = EXIT_RUNTIME;
        goto done;
    }
    size_t dropped = drop_duplicates(&j); /* skipped, as one process skips them */
    added -= dropped, skipped += dropped;
    /* the shards, under names the current manifest does not use */
    dp_shard rec = {0};
    if (!(name = shard_name(path, &old, d->rank, old.generation + 1)) || !(spath = dp_shards_path(path, name))) {
        status = cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    } else if (!may_write(spath)) {
        status = EXIT_RUNTIME;
    } else {
        rec.name = name;
        dp_atomic_remove_stale(spath);
        if ((rc = dp_shards_save(j.ix, spath, &rec, &dg)))
            status = cli_runtime_error(spath, rc, &dg);
        else
            written = 1;
    }
    /* every shard is written, or none stays: then rank 0 commits the manifest */
    if (dp_dist_all_ok(d, status != EXIT_OK, "the index is left as it was")) {
        dp_bytes b = {0};
        put_record(d, &b, &rec);
        uint8_t *all;
        size_t len;
        dp_dist_gather(d, b.p, b.n, &all, &len);
        free(b.p);
        if (d->rank == 0)
            status = commit(d, path, all, len, &old, j.ix);
        free(all);
        if (dp_dist_all_ok(d, status != EXIT_OK, "the index is left as it was"))
            goto committed;
    }
    status = EXIT_RUNTIME;
    if (written)
        unlink(spath); /* no manifest names it */
    goto done;
committed:;
    uint64_t before, all_added, all_skipped, all_docs;
    dp_dist_scan(d, added, &before, &all_added);
    dp_dist_scan(d, skipped, &before, &all_skipped);
    dp_dist_scan(d, dp_sweep_count(dp_index_sweep(j.ix)), &before, &all_docs);
    if (d->rank == 0) {
        dp_shards_remove(path, &old); /* the new manifest names none of them */
        printf("added %llu, skipped %llu; %s holds %llu documents in %d shard%s\n", (unsigned long long)all_added,
               (unsigned long long)all_skipped, path, (unsigned long long)all_docs, d->size, d->size == 1 ? "" : "s");
    }
done:
    free(name), free(spath);
    cli_docs_free(docs);
    cli_index_files_free(files);
    doppel_index_free(j.pix);
    dp_encoder_free(enc);
    dp_model_free(model);
    dp_shards_free(&old);
    dp_dist_end(&dist);
    return status ? status : EXIT_OK;
}
