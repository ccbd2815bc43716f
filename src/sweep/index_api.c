/* The public face of the index: doppel_index and doppel_report over dp_index. */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diag.h"
#include "core/grow.h"
#include "core/sized.h"
#include "doppel.h"
#include "model/encoder.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"
#include "sweep/shards.h"

struct doppel_index {
    dp_index *ix;
    /* Queries build the sweep's fingerprint index on first use; this makes that one
     * write happen once, so concurrent readers of the index only read. */
    pthread_mutex_t prepare;
    doppel_progress_fn progress;
    void *progress_ctx;
};

/* One query or sweep: its report, and whether its progress function asked to stop. */
typedef struct run_ctx {
    doppel_report *r;
    const doppel_index *pi;
    int stop;
} run_ctx;

/* What the report owns behind the const pointers it hands out. */
typedef struct owned_pair {
    doppel_pair pub; /* own's view */
    dp_owned_pair own;
} owned_pair;

typedef struct owned_skipped {
    doppel_skipped pub;
    char *id, *reason;
} owned_skipped;

/* A common passage: its members, and their ids in one block. */
typedef struct owned_common {
    doppel_common pub;
    doppel_common_member *m;
    char *ids;
} owned_common;

struct doppel_report {
    owned_pair *pairs;
    size_t n_pairs, cap_pairs, next_pair;
    owned_skipped *skipped;
    size_t n_skipped, next_skipped;
    owned_common *common;
    size_t n_common, cap_common, next_common;
    doppel_summary sum;
    double seconds; /* the run's wall time */
    uint64_t score_bins[DP_SWEEP_SCORE_BINS]; /* every compared pair by score */
};

#define NULL_ARG(diag, name) dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", name)

/* The bytes of 1.0's doppel_index_opts (its last field, padded as the struct is): what
 * doppel_index_opts_default writes, since a 1.0 binary passes a struct of that size however
 * the struct grows later. */
#define INDEX_OPTS_1_0_END (offsetof(doppel_index_opts, sentence_threshold) + sizeof(float))
#define INDEX_OPTS_1_0_SIZE                                                                                  \
    ((INDEX_OPTS_1_0_END + _Alignof(doppel_index_opts) - 1) / _Alignof(doppel_index_opts) *               \
     _Alignof(doppel_index_opts))
_Static_assert(INDEX_OPTS_1_0_SIZE <= sizeof(doppel_index_opts), "1.0's fields stay first");

void doppel_index_opts_init(doppel_index_opts *o, size_t size)
{
    if (!o)
        return;
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    const doppel_index_opts defaults = {.size = sizeof defaults, .kgram = so.k, .threshold = so.threshold,
                                        .min_match = so.min_match, .max_docs = so.max_docs, .top_k = so.top_k,
                                        .all_pairs_limit = so.all_pairs_limit,
                                        .sentence_threshold = so.sent_threshold};
    dp_sized_init(o, size, &defaults, sizeof defaults);
}

void doppel_index_opts_default(doppel_index_opts *o)
{
    doppel_index_opts_init(o, INDEX_OPTS_1_0_SIZE);
}

/* The caller's options (as many fields as its o->size covers) over the defaults. */
static int full_opts(const doppel_index_opts *o, doppel_index_opts *full, doppel_diag *diag)
{
    doppel_index_opts_init(full, sizeof *full);
    return o ? dp_sized_read(full, sizeof *full, o, o->size, offsetof(doppel_index_opts, kgram),
                             "doppel_index_opts_default", diag)
             : DOPPEL_OK;
}

/* Public options onto the sweep's (what the public API does not expose keeps its default);
 * diag names the option out of range. */
static int sweep_opts(const doppel_index_opts *opts, dp_sweep_opts *so, doppel_diag *diag)
{
    doppel_index_opts o;
    int rc = full_opts(opts, &o, diag);
    if (rc)
        return rc;
    dp_sweep_opts_default(so);
    if (o.kgram < 2 || o.kgram > 64)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "kgram %u: must be 2..64", o.kgram);
    if (!(o.threshold <= 1.0f))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "threshold %g: must be at most 1 (negative: the default)", (double)o.threshold);
    if (!(o.sentence_threshold <= 1.0f))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "sentence_threshold %g: must be at most 1 (negative: the default)",
                           (double)o.sentence_threshold);
    if (o.max_docs < 2)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "max_docs %u: must be at least 2",
                           o.max_docs);
    so->k = o.kgram, so->ignore_quotes = o.ignore_quotes != 0, so->ignore_references = o.ignore_references != 0;
    so->threshold = o.threshold, so->min_match = o.min_match, so->max_docs = o.max_docs;
    so->top_k = o.top_k, so->all_pairs_limit = o.all_pairs_limit, so->all_pairs = o.all_pairs != 0;
    so->sent_threshold = o.sentence_threshold;
    so->precision = DP_PRECISION_FP32; /* as in 1.0: doppel_index_set_precision chooses */
    return DOPPEL_OK;
}

static int stop_asked(void *ctx) { return ((const run_ctx *)ctx)->stop; }

static void on_progress(void *ctx, size_t done, size_t total)
{
    run_ctx *c = ctx;
    if (c->pi->progress && !c->stop)
        c->stop = c->pi->progress(c->pi->progress_ctx, done, total) != 0;
}

/* Builds what queries and sweeps build on first use, once, whatever the threads. */
static int prepare(doppel_index *pi)
{
    pthread_mutex_lock(&pi->prepare);
    int rc = dp_sweep_prepare(dp_index_sweep(pi->ix));
    pthread_mutex_unlock(&pi->prepare);
    return rc;
}

int dp_index_wrap(doppel_index **out, dp_index *ix, doppel_diag *diag)
{
    doppel_index *pi = calloc(1, sizeof *pi);
    if (!pi || pthread_mutex_init(&pi->prepare, NULL) != 0) {
        free(pi);
        dp_index_free(ix);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    pi->ix = ix;
    dp_sweep_on_stop(dp_index_sweep(ix), stop_asked);
    *out = pi;
    return DOPPEL_OK;
}

dp_index *dp_index_of(doppel_index *ix) { return ix->ix; }

int doppel_index_create(doppel_index **out, const doppel_model *model, int threads,
                        const doppel_index_opts *opts, doppel_diag *diag)
{
    if (!out)
        return NULL_ARG(diag, "out");
    *out = NULL;
    dp_sweep_opts so;
    int rc = sweep_opts(opts, &so, diag);
    if (rc)
        return rc;
    dp_index *ix;
    rc = dp_index_create(&ix, model ? dp_model_of(model) : NULL, threads, &so, diag);
    return rc ? rc : dp_index_wrap(out, ix, diag);
}

/* Both loads: flags are dp_index_load_any's (DP_INDEX_MODEL_OPTIONAL or 0). */
static int load_index(doppel_index **out, const char *path, const dp_model *model, unsigned flags, int threads,
                      const doppel_index_opts *opts, doppel_diag *diag)
{
    if (!out || !path)
        return NULL_ARG(diag, !out ? "out" : "path");
    *out = NULL;
    dp_sweep_opts so;
    int rc = sweep_opts(opts, &so, diag);
    if (rc)
        return rc;
    dp_index *ix;
    rc = dp_index_load_any(&ix, path, model, flags, threads, &so, diag);
    return rc ? rc : dp_index_wrap(out, ix, diag);
}

int doppel_index_load(doppel_index **out, const char *path, const doppel_model *model, int threads,
                      const doppel_index_opts *opts, doppel_diag *diag)
{
    return load_index(out, path, model ? dp_model_of(model) : NULL, 0, threads, opts, diag);
}

int doppel_index_load_unencoded(doppel_index **out, const char *path, int threads, const doppel_index_opts *opts,
                                doppel_diag *diag)
{
    return load_index(out, path, NULL, DP_INDEX_MODEL_OPTIONAL, threads, opts, diag);
}

int doppel_index_peek(const char *path, doppel_index_file_info *info, doppel_diag *diag)
{
    if (!path || !info)
        return NULL_ARG(diag, !path ? "path" : "info");
    dp_index_info in;
    int rc = dp_sized_check(info->size, offsetof(doppel_index_file_info, format_version), "info",
                            "set it to sizeof(doppel_index_file_info)", diag);
    if (rc || (rc = dp_index_peek_any(path, &in, diag)))
        return rc;
    dp_shards m;
    uint32_t shards = 0;
    if (dp_shards_read(path, &m, NULL) == DOPPEL_OK) {
        shards = (uint32_t)m.n;
        dp_shards_free(&m);
    }
    doppel_index_file_info full = {
        .format_version = in.version, .has_model = in.has_model, .model_id = in.model_id,
        .dim = in.dim, .kgram = in.k, .documents = in.documents, .templates = in.templates,
        .skipped = in.skipped, .shards = shards};
    dp_sized_init(info, info->size, &full, sizeof full);
    return DOPPEL_OK;
}

int doppel_index_save(const doppel_index *ix, const char *path, doppel_diag *diag)
{
    if (!ix || !path)
        return NULL_ARG(diag, !ix ? "index" : "path");
    return dp_index_save(ix->ix, path, diag);
}

void doppel_index_free(doppel_index *ix)
{
    if (!ix)
        return;
    dp_index_free(ix->ix);
    pthread_mutex_destroy(&ix->prepare);
    free(ix);
}

int doppel_index_set_opts(doppel_index *ix, const doppel_index_opts *opts, doppel_diag *diag)
{
    if (!ix || !opts)
        return NULL_ARG(diag, !ix ? "index" : "opts");
    dp_sweep_opts so;
    int rc = sweep_opts(opts, &so, diag);
    if (rc)
        return rc;
    dp_sweep *sw = dp_index_sweep(ix->ix);
    const dp_sweep_opts *now = dp_sweep_get_opts(sw);
    if (dp_sweep_count(sw) + dp_sweep_template_count(sw) > 0) {
        const char *fixed = so.k != now->k                                   ? "kgram"
                            : so.ignore_quotes != now->ignore_quotes         ? "ignore_quotes"
                            : so.ignore_references != now->ignore_references ? "ignore_references"
                                                                             : NULL;
        if (fixed)
            return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                               "%s differs from the index's: it is fixed once documents are added", fixed);
    }
    so.template_sim = now->template_sim;
    rc = dp_sweep_set_opts(sw, &so);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

int doppel_index_set_precision(doppel_index *ix, doppel_precision p, doppel_diag *diag)
{
    if (!ix)
        return NULL_ARG(diag, "index");
    return dp_index_set_precision(ix->ix, (dp_precision)p, diag);
}

int doppel_index_get_opts(const doppel_index *ix, doppel_index_opts *out, doppel_diag *diag)
{
    if (!ix || !out)
        return NULL_ARG(diag, !ix ? "index" : "out");
    int rc = dp_sized_check(out->size, offsetof(doppel_index_opts, kgram), "out",
                            "start from doppel_index_opts_init()", diag);
    if (rc)
        return rc;
    const dp_sweep *sw = dp_index_sweep_const(ix->ix);
    const dp_sweep_opts *so = dp_sweep_get_opts(sw);
    int lexical = dp_sweep_dim(sw) == 0;
    doppel_index_opts o = {
        .kgram = so->k,
        .ignore_quotes = so->ignore_quotes,
        .ignore_references = so->ignore_references,
        .threshold = so->threshold >= 0.0f ? so->threshold
                     : lexical             ? DP_SWEEP_THRESHOLD_LEXICAL
                                           : DP_SWEEP_THRESHOLD_MODEL,
        .min_match = so->min_match,
        .max_docs = so->max_docs,
        .top_k = so->top_k,
        .all_pairs_limit = so->all_pairs_limit,
        .all_pairs = so->all_pairs,
        .sentence_threshold = so->sent_threshold >= 0.0f ? so->sent_threshold
                              : lexical                  ? DP_SWEEP_SENT_THRESHOLD_LEXICAL
                                                         : DP_SWEEP_SENT_THRESHOLD_MODEL,
    };
    dp_sized_init(out, out->size, &o, sizeof o);
    return DOPPEL_OK;
}

void doppel_index_set_progress(doppel_index *ix, doppel_progress_fn fn, void *ctx)
{
    if (ix)
        ix->progress = fn, ix->progress_ctx = ctx;
}

int doppel_index_add_template(doppel_index *ix, const char *bytes, size_t len, doppel_diag *diag)
{
    if (!ix || (!bytes && len))
        return NULL_ARG(diag, !ix ? "index" : "bytes");
    return dp_index_add_template(ix->ix, bytes, len, diag);
}

int doppel_index_add(doppel_index *ix, const char *id, const char *bytes, size_t len, int is_reference,
                     doppel_diag *diag)
{
    if (!ix || !id || (!bytes && len))
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : "bytes");
    return dp_index_add(ix->ix, id, bytes ? bytes : "", len, is_reference, diag);
}

/* The bytes of 1.4's doppel_add_item: the least item_size doppel_index_add_many takes. */
#define ADD_ITEM_1_4_SIZE sizeof(doppel_add_item)

/* Item i of the caller's array (stride size) into *it; DOPPEL_ERR_INVALID when a byte
 * past the fields this library knows is set, or an argument is missing. */
static int read_item(const doppel_add_item *items, size_t i, size_t size, doppel_add_item *it, doppel_diag *diag)
{
    const unsigned char *at = (const unsigned char *)items + i * size;
    memcpy(it, at, sizeof *it);
    for (size_t b = sizeof *it; b < size; b++)
        if (at[b])
            return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                               "items[%zu]: byte %zu is set, past the fields of this library's doppel_add_item "
                               "(libdoppel %s)", i, b, doppel_version());
    if (!it->id || (!it->bytes && it->len))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "items[%zu].%s is NULL", i,
                           !it->id ? "id" : "bytes");
    return DOPPEL_OK;
}

int doppel_index_add_many(doppel_index *ix, doppel_add_item *items, size_t n, size_t item_size, doppel_diag *diag)
{
    if (!ix || (!items && n))
        return NULL_ARG(diag, !ix ? "index" : "items");
    if (item_size < ADD_ITEM_1_4_SIZE)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "item_size is %zu: pass sizeof(doppel_add_item), at least %zu", item_size,
                           ADD_ITEM_1_4_SIZE);
    if (!n)
        return DOPPEL_OK;
    dp_sweep_add_item *add = malloc(n * sizeof *add);
    uint32_t *groups = malloc(n * sizeof *groups);
    int rc = add && groups ? DOPPEL_OK : dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    for (size_t i = 0; i < n && !rc; i++) {
        doppel_add_item it;
        if (!(rc = read_item(items, i, item_size, &it, diag))) {
            add[i] = (dp_sweep_add_item){.id = it.id, .bytes = it.bytes ? it.bytes : "", .len = it.len,
                                         .is_reference = it.is_reference};
            groups[i] = it.group;
        }
    }
    if (!rc && (rc = dp_index_add_many(ix->ix, add, groups, n)))
        dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    for (size_t i = 0; i < n && !rc; i++) {
        doppel_add_item *it = (doppel_add_item *)(void *)((unsigned char *)items + i * item_size);
        it->rc = add[i].rc;
        if (add[i].rc)
            it->diag = add[i].diag;
    }
    free(add), free(groups);
    return rc;
}

int doppel_index_add_skipped(doppel_index *ix, const char *id, const char *reason, doppel_diag *diag)
{
    if (!ix || !id || !reason)
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : "reason");
    if (dp_sweep_find(dp_index_sweep(ix->ix), id) != SIZE_MAX)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "'%s' is already in the index", id);
    int rc = dp_index_skip(ix->ix, id, reason);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

int doppel_index_remove(doppel_index *ix, const char *id, doppel_diag *diag)
{
    if (!ix || !id)
        return NULL_ARG(diag, !ix ? "index" : "id");
    int rc = dp_index_remove(ix->ix, id);
    if (rc == DOPPEL_ERR_NOT_FOUND)
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, "no document '%s' in the index", id);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

size_t doppel_index_count(const doppel_index *ix) { return ix ? dp_sweep_count(dp_index_sweep_const(ix->ix)) : 0; }

const char *doppel_index_id(const doppel_index *ix, size_t i)
{
    if (!ix || i >= doppel_index_count(ix))
        return NULL;
    return dp_sweep_doc_at(dp_index_sweep_const(ix->ix), i)->id;
}

size_t doppel_index_dim(const doppel_index *ix) { return ix ? dp_sweep_dim(dp_index_sweep_const(ix->ix)) : 0; }

/* The number of document id of ix, or SIZE_MAX with diag saying so. */
static size_t num_of(const doppel_index *ix, const char *id, doppel_diag *diag)
{
    size_t i = dp_sweep_find(dp_index_sweep_const(ix->ix), id);
    if (i == SIZE_MAX)
        dp_diag_set(diag, DOPPEL_ERR_NOT_FOUND, DP_NO_POS, DP_NO_POS, "no document '%s' in the index", id);
    return i;
}

/* Document id of ix, or NULL with diag saying so. */
static const dp_sweep_doc *doc_of(const doppel_index *ix, const char *id, doppel_diag *diag)
{
    size_t i = num_of(ix, id, diag);
    return i == SIZE_MAX ? NULL : dp_sweep_doc_at(dp_index_sweep_const(ix->ix), i);
}

int doppel_index_doc_vector(const doppel_index *ix, const char *id, float *out, size_t dim, doppel_diag *diag)
{
    if (!ix || !id || !out)
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : "out");
    const dp_sweep *sw = dp_index_sweep_const(ix->ix);
    if (dp_sweep_dim(sw) == 0)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "the index has no model, so its documents have no vectors");
    if (dim != dp_sweep_dim(sw))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "dim %zu: the index's vectors have %zu",
                           dim, dp_sweep_dim(sw));
    const dp_sweep_doc *d = doc_of(ix, id, diag);
    if (!d)
        return DOPPEL_ERR_NOT_FOUND;
    memcpy(out, d->dvec, dim * sizeof *out);
    return DOPPEL_OK;
}

int doppel_index_doc_words(const doppel_index *ix, const char *id, uint64_t *words, doppel_diag *diag)
{
    if (!ix || !id || !words)
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : "words");
    const dp_sweep_doc *d = doc_of(ix, id, diag);
    if (!d)
        return DOPPEL_ERR_NOT_FOUND;
    *words = d->n_words;
    return DOPPEL_OK;
}

int doppel_index_doc_invalid(const doppel_index *ix, const char *id, uint64_t *count, uint64_t *first,
                             doppel_diag *diag)
{
    if (!ix || !id || !count || !first)
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : !count ? "count" : "first");
    const dp_sweep_doc *d = doc_of(ix, id, diag);
    if (!d)
        return DOPPEL_ERR_NOT_FOUND;
    *count = d->invalid;
    *first = d->invalid ? d->first_invalid : UINT64_MAX;
    return DOPPEL_OK;
}

int doppel_index_doc_excluded(const doppel_index *ix, const char *id, uint64_t *spans, size_t cap, size_t *n,
                              doppel_diag *diag)
{
    if (!ix || !id || !n || (cap && !spans))
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : !n ? "n" : "spans");
    const dp_sweep_doc *d = doc_of(ix, id, diag);
    if (!d)
        return DOPPEL_ERR_NOT_FOUND;
    uint64_t *all = malloc((2 * d->n_sents + 1) * sizeof *all);
    if (!all)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    *n = dp_sweep_doc_excluded(d, all);
    int rc = DOPPEL_OK;
    if (cap >= *n && *n)
        memcpy(spans, all, 2 * *n * sizeof *spans);
    else if (cap && cap < *n)
        rc = dp_diag_set(diag, DOPPEL_ERR_TOO_LARGE, DP_NO_POS, DP_NO_POS, "%zu spans, room for %zu", *n, cap);
    free(all);
    return rc;
}

int doppel_index_doc_origin(const doppel_index *ix, const char *id, doppel_doc_origin *out, doppel_diag *diag)
{
    if (!ix || !id || !out)
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : "out");
    int rc = dp_sized_check(out->size, offsetof(doppel_doc_origin, source), "out",
                            "set it to sizeof(doppel_doc_origin)", diag);
    if (rc)
        return rc;
    const dp_sweep_doc *d = doc_of(ix, id, diag);
    if (!d)
        return DOPPEL_ERR_NOT_FOUND;
    doppel_doc_origin o = {.source = d->source, .extracted = d->extracted,
                           .has_checksum = d->has_sum, .text_crc = d->text_crc, .text_len = d->text_len};
    dp_sized_init(out, out->size, &o, sizeof o);
    return DOPPEL_OK;
}

int doppel_index_set_doc_origin(doppel_index *ix, const char *id, const doppel_doc_origin *o, doppel_diag *diag)
{
    if (!ix || !id || !o)
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : "o");
    int rc = dp_sized_check(o->size, offsetof(doppel_doc_origin, extracted) + sizeof o->extracted, "o",
                            "set it to sizeof(doppel_doc_origin)", diag);
    if (rc)
        return rc;
    size_t i = num_of(ix, id, diag);
    if (i == SIZE_MAX)
        return DOPPEL_ERR_NOT_FOUND;
    rc = dp_sweep_set_origin(dp_index_sweep(ix->ix), i, o->source, o->extracted);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

int doppel_index_set_reference(doppel_index *ix, const char *id, int is_reference, doppel_diag *diag)
{
    if (!ix || !id)
        return NULL_ARG(diag, !ix ? "index" : "id");
    size_t i = num_of(ix, id, diag);
    if (i == SIZE_MAX)
        return DOPPEL_ERR_NOT_FOUND;
    dp_sweep_set_reference(dp_index_sweep(ix->ix), i, is_reference != 0);
    return DOPPEL_OK;
}

const char *doppel_passage_kind_name(int kind)
{
    return kind >= DOPPEL_PASSAGE_VERBATIM && kind <= DOPPEL_PASSAGE_PARAPHRASE ? dp_passage_kind_name(kind) : NULL;
}

void doppel_report_free(doppel_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_pairs; i++) {
        dp_owned_pair_free(&r->pairs[i].own);
    }
    for (size_t i = 0; i < r->n_skipped; i++)
        free(r->skipped[i].id), free(r->skipped[i].reason);
    for (size_t i = 0; i < r->n_common; i++)
        free(r->common[i].m), free(r->common[i].ids);
    free(r->pairs), free(r->skipped), free(r->common);
    free(r);
}

/* Copies one reported pair into the report. */
static int collect(void *ctx, const dp_pair_result *pr, uint32_t a, uint32_t b)
{
    (void)a, (void)b;
    doppel_report *r = ((run_ctx *)ctx)->r;
    if (DP_GROW(r->pairs, r->cap_pairs, r->n_pairs + 1, 16))
        return DOPPEL_ERR_NOMEM;
    owned_pair *p = &r->pairs[r->n_pairs];
    if (dp_pair_copy(&p->own, pr))
        return DOPPEL_ERR_NOMEM;
    p->pub = dp_owned_pair_view(&p->own);
    r->n_pairs++;
    return DOPPEL_OK;
}

/* Copies one common passage into the report. */
static int collect_common(void *ctx, const dp_common_passage *c)
{
    doppel_report *r = ((run_ctx *)ctx)->r;
    if (dp_grow((void **)&r->common, &r->cap_common, r->n_common + 1, sizeof *r->common))
        return DOPPEL_ERR_NOMEM;
    size_t bytes = 0;
    for (size_t i = 0; i < c->n_members; i++)
        bytes += strlen(c->members[i].id) + 1;
    doppel_common_member *m = malloc((c->n_members ? c->n_members : 1) * sizeof *m);
    char *ids = malloc(bytes ? bytes : 1), *at = ids;
    if (!m || !ids) {
        free(m), free(ids);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < c->n_members; i++) {
        size_t n = strlen(c->members[i].id) + 1;
        memcpy(at, c->members[i].id, n);
        m[i] = (doppel_common_member){at, c->members[i].start, c->members[i].end};
        at += n;
    }
    r->common[r->n_common++] = (owned_common){{sizeof(doppel_common), m, c->n_members}, m, ids};
    return DOPPEL_OK;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double dp_report_seconds(const doppel_report *r) { return r->seconds; }

const uint64_t *dp_report_score_bins(const doppel_report *r, size_t *n)
{
    *n = DP_SWEEP_SCORE_BINS;
    return r->score_bins;
}

static void finish(doppel_report *r, const dp_sweep_stats *st, double t0)
{
    r->seconds = now_seconds() - t0;
    r->sum.documents = st->documents;
    r->sum.skipped = r->n_skipped;
    r->sum.pairs_compared = st->pairs_compared;
    r->sum.pairs_reported = st->pairs_reported;
    memcpy(r->score_bins, st->score_bins, sizeof r->score_bins);
}

int doppel_index_query(doppel_index *ix, const char *id, const char *bytes, size_t len, doppel_report **out,
                       doppel_diag *diag)
{
    if (!ix || !id || !out || (!bytes && len))
        return NULL_ARG(diag, !ix ? "index" : !id ? "id" : !out ? "out" : "bytes");
    *out = NULL;
    double t0 = now_seconds();
    doppel_report *r = calloc(1, sizeof *r);
    if (!r)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    dp_sweep_stats st;
    run_ctx c = {r, ix, 0};
    int rc = prepare(ix);
    if (rc)
        dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    else
        rc = dp_sweep_query(dp_index_sweep(ix->ix), id, bytes ? bytes : "", len, collect, collect_common, &c, &st,
                            diag);
    if (rc) {
        doppel_report_free(r);
        return rc;
    }
    finish(r, &st, t0);
    *out = r;
    return DOPPEL_OK;
}

int doppel_index_sweep(doppel_index *ix, doppel_report **out, doppel_diag *diag)
{
    if (!ix || !out)
        return NULL_ARG(diag, !ix ? "index" : "out");
    *out = NULL;
    double t0 = now_seconds();
    doppel_report *r = calloc(1, sizeof *r);
    size_t ns = dp_index_skipped_count(ix->ix);
    if (!r || !(r->skipped = calloc(ns ? ns : 1, sizeof *r->skipped))) {
        free(r);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    int rc = DOPPEL_OK;
    for (size_t i = 0; i < ns && !rc; i++) {
        const char *id, *reason;
        dp_index_skipped_at(ix->ix, i, &id, &reason);
        char *cid = strdup(id), *creason = strdup(reason);
        r->skipped[r->n_skipped++] = (owned_skipped){{cid, creason}, cid, creason};
        if (!cid || !creason)
            rc = DOPPEL_ERR_NOMEM;
    }
    dp_sweep_stats st;
    run_ctx c = {r, ix, 0};
    if (!rc)
        rc = prepare(ix);
    if (!rc)
        rc = dp_sweep_run(dp_index_sweep(ix->ix), collect, on_progress, &c, &st);
    if (!rc) /* not the sweep's own callback: other threads may be reading the index */
        rc = dp_sweep_common(dp_index_sweep(ix->ix), collect_common, &c, &st.common_passages);
    if (rc) {
        doppel_report_free(r);
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS,
                           rc == DOPPEL_ERR_INTERRUPTED ? "the progress function asked to stop" : NULL);
    }
    finish(r, &st, t0);
    *out = r;
    return DOPPEL_OK;
}

const doppel_pair *doppel_report_next(doppel_report *r)
{
    return r && r->next_pair < r->n_pairs ? &r->pairs[r->next_pair++].pub : NULL;
}

const doppel_common *doppel_report_next_common(doppel_report *r)
{
    return r && r->next_common < r->n_common ? &r->common[r->next_common++].pub : NULL;
}

size_t doppel_report_common_count(const doppel_report *r) { return r ? r->n_common : 0; }

const doppel_skipped *doppel_report_next_skipped(doppel_report *r)
{
    return r && r->next_skipped < r->n_skipped ? &r->skipped[r->next_skipped++].pub : NULL;
}

void doppel_report_summary(const doppel_report *r, doppel_summary *out)
{
    if (r && out)
        *out = r->sum;
}
