/* The public face of the index: doppel_index and doppel_report over dp_index. */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "doppel.h"
#include "model/encoder.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"

struct doppel_index {
    dp_index *ix;
};

/* What the report owns behind the const pointers it hands out. */
typedef struct owned_pair {
    doppel_pair pub;
    char *a, *b;
    doppel_passage *v;
} owned_pair;

typedef struct owned_skipped {
    doppel_skipped pub;
    char *id, *reason;
} owned_skipped;

struct doppel_report {
    owned_pair *pairs;
    size_t n_pairs, cap_pairs, next_pair;
    owned_skipped *skipped;
    size_t n_skipped, next_skipped;
    doppel_summary sum;
};

void doppel_index_opts_default(doppel_index_opts *o)
{
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    *o = (doppel_index_opts){.kgram = so.k, .threshold = so.threshold, .min_match = so.min_match,
                             .max_docs = so.max_docs, .top_k = so.top_k, .all_pairs_limit = so.all_pairs_limit};
}

/* Public options onto the sweep's (what the public API does not expose keeps its default). */
static int sweep_opts(const doppel_index_opts *o, dp_sweep_opts *so)
{
    dp_sweep_opts_default(so);
    if (!o)
        return DOPPEL_OK;
    if (o->kgram < 2 || o->kgram > 64 || !(o->threshold <= 1.0f) || o->max_docs < 2)
        return DOPPEL_ERR_INVALID;
    so->k = o->kgram, so->ignore_quotes = o->ignore_quotes != 0, so->ignore_references = o->ignore_references != 0;
    so->threshold = o->threshold, so->min_match = o->min_match, so->max_docs = o->max_docs;
    so->top_k = o->top_k, so->all_pairs_limit = o->all_pairs_limit, so->all_pairs = o->all_pairs != 0;
    return DOPPEL_OK;
}

static int wrap(doppel_index **out, dp_index *ix)
{
    doppel_index *pi = malloc(sizeof *pi);
    if (!pi) {
        dp_index_free(ix);
        return DOPPEL_ERR_NOMEM;
    }
    pi->ix = ix;
    *out = pi;
    return DOPPEL_OK;
}

int doppel_index_create(doppel_index **out, const doppel_model *model, int threads,
                        const doppel_index_opts *opts, doppel_diag *diag)
{
    dp_sweep_opts so;
    if (!out || sweep_opts(opts, &so))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    *out = NULL;
    dp_index *ix;
    int rc = dp_index_create(&ix, model ? dp_model_of(model) : NULL, threads, &so, diag);
    return rc ? rc : wrap(out, ix);
}

int doppel_index_load(doppel_index **out, const char *path, const doppel_model *model, int threads,
                      const doppel_index_opts *opts, doppel_diag *diag)
{
    dp_sweep_opts so;
    if (!out || !path || sweep_opts(opts, &so))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    *out = NULL;
    dp_index *ix;
    int rc = dp_index_load(&ix, path, model ? dp_model_of(model) : NULL, 0, threads, &so, diag);
    return rc ? rc : wrap(out, ix);
}

int doppel_index_save(const doppel_index *ix, const char *path, doppel_diag *diag)
{
    if (!ix || !path)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    return dp_index_save(ix->ix, path, diag);
}

void doppel_index_free(doppel_index *ix)
{
    if (!ix)
        return;
    dp_index_free(ix->ix);
    free(ix);
}

int doppel_index_set_opts(doppel_index *ix, const doppel_index_opts *opts)
{
    dp_sweep_opts so;
    if (!ix || !opts || sweep_opts(opts, &so))
        return DOPPEL_ERR_INVALID;
    dp_sweep *sw = dp_index_sweep(ix->ix);
    so.template_sim = dp_sweep_get_opts(sw)->template_sim;
    return dp_sweep_set_opts(sw, &so);
}

int doppel_index_add_template(doppel_index *ix, const char *bytes, size_t len, doppel_diag *diag)
{
    if (!ix || (!bytes && len))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    return dp_index_add_template(ix->ix, bytes, len, diag);
}

int doppel_index_add(doppel_index *ix, const char *id, const char *bytes, size_t len, int is_reference,
                     doppel_diag *diag)
{
    if (!ix || !id || (!bytes && len))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    return dp_index_add(ix->ix, id, bytes ? bytes : "", len, is_reference, diag);
}

int doppel_index_add_skipped(doppel_index *ix, const char *id, const char *reason)
{
    if (!ix || !id || !reason)
        return DOPPEL_ERR_INVALID;
    return dp_index_skip(ix->ix, id, reason);
}

int doppel_index_remove(doppel_index *ix, const char *id)
{
    if (!ix || !id)
        return DOPPEL_ERR_INVALID;
    return dp_index_remove(ix->ix, id);
}

size_t doppel_index_count(const doppel_index *ix) { return ix ? dp_sweep_count(dp_index_sweep_const(ix->ix)) : 0; }

void doppel_report_free(doppel_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_pairs; i++) {
        free(r->pairs[i].a), free(r->pairs[i].b), free(r->pairs[i].v);
    }
    for (size_t i = 0; i < r->n_skipped; i++)
        free(r->skipped[i].id), free(r->skipped[i].reason);
    free(r->pairs), free(r->skipped);
    free(r);
}

/* Copies one reported pair into the report. */
static int collect(void *ctx, const dp_pair_result *pr, uint32_t a, uint32_t b)
{
    (void)a, (void)b;
    doppel_report *r = ctx;
    if (r->n_pairs == r->cap_pairs) {
        size_t cap = r->cap_pairs ? 2 * r->cap_pairs : 16;
        owned_pair *g = realloc(r->pairs, cap * sizeof *g);
        if (!g)
            return DOPPEL_ERR_NOMEM;
        r->pairs = g, r->cap_pairs = cap;
    }
    owned_pair *p = &r->pairs[r->n_pairs];
    doppel_passage *v = malloc((pr->n_passages ? pr->n_passages : 1) * sizeof *v);
    char *ida = strdup(pr->a), *idb = strdup(pr->b);
    if (!v || !ida || !idb) {
        free(v), free(ida), free(idb);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < pr->n_passages; i++) {
        const dp_passage *x = &pr->passages[i];
        v[i] = (doppel_passage){x->a_start, x->a_end, x->b_start, x->b_end, x->score, x->kind};
    }
    p->pub = (doppel_pair){ida, idb, pr->score, pr->a_coverage, pr->b_coverage, v, pr->n_passages};
    p->a = ida, p->b = idb, p->v = v;
    r->n_pairs++;
    return DOPPEL_OK;
}

static void finish(doppel_report *r, const dp_sweep_stats *st)
{
    r->sum.documents = st->documents;
    r->sum.skipped = r->n_skipped;
    r->sum.pairs_compared = st->pairs_compared;
    r->sum.pairs_reported = st->pairs_reported;
}

int doppel_index_query(doppel_index *ix, const char *id, const char *bytes, size_t len, doppel_report **out,
                       doppel_diag *diag)
{
    if (!ix || !id || !out || (!bytes && len))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    *out = NULL;
    doppel_report *r = calloc(1, sizeof *r);
    if (!r)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    dp_sweep_stats st;
    int rc = dp_sweep_query(dp_index_sweep(ix->ix), id, bytes ? bytes : "", len, collect, r, &st, diag);
    if (rc) {
        doppel_report_free(r);
        return rc;
    }
    finish(r, &st);
    *out = r;
    return DOPPEL_OK;
}

int doppel_index_sweep(doppel_index *ix, doppel_report **out, doppel_diag *diag)
{
    if (!ix || !out)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    *out = NULL;
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
    if (!rc)
        rc = dp_sweep_run(dp_index_sweep(ix->ix), collect, NULL, r, &st);
    if (rc) {
        doppel_report_free(r);
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    }
    finish(r, &st);
    *out = r;
    return DOPPEL_OK;
}

const doppel_pair *doppel_report_next(doppel_report *r)
{
    return r && r->next_pair < r->n_pairs ? &r->pairs[r->next_pair++].pub : NULL;
}

const doppel_skipped *doppel_report_next_skipped(doppel_report *r)
{
    return r && r->next_skipped < r->n_skipped ? &r->skipped[r->next_skipped++].pub : NULL;
}

void doppel_report_summary(const doppel_report *r, doppel_summary *out)
{
    if (r && out)
        *out = r->sum;
}
