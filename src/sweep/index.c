#include "sweep/index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/grow.h"
#include "model/encoder.h"

typedef struct skipped_doc {
    char *id, *reason;
} skipped_doc;

struct dp_index {
    dp_sweep *sw;
    dp_encoder *enc; /* NULL without a model, or when loaded without one */
    int has_model;   /* built with a model */
    uint32_t model_id;
    int threads;     /* the encoder's: dp_index_add_many's workers */
    skipped_doc *skipped;
    size_t n_skipped, cap_skipped;
};

int dp_index_create(dp_index **out, const dp_model *model, int threads, const dp_sweep_opts *opts,
                    doppel_diag *diag)
{
    *out = NULL;
    dp_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int rc = DOPPEL_OK;
    ix->threads = threads;
    if (model) {
        ix->has_model = 1;
        ix->model_id = dp_model_identity(model);
        rc = dp_encoder_create(&ix->enc, model, threads, diag);
        if (!rc)
            rc = dp_encoder_set_precision(ix->enc, opts ? (dp_precision)opts->precision : DP_PRECISION_AUTO, diag);
    }
    if (!rc)
        rc = dp_sweep_create(&ix->sw, ix->enc, model ? model->cfg.out_dim : 0, opts);
    if (rc) {
        dp_index_free(ix);
        return rc;
    }
    *out = ix;
    return DOPPEL_OK;
}

int dp_index_set_precision(dp_index *ix, dp_precision p, doppel_diag *diag)
{
    return ix->enc ? dp_encoder_set_precision(ix->enc, p, diag) : DOPPEL_OK;
}

int dp_index_create_unencoded(dp_index **out, uint32_t model_id, size_t dim, const dp_sweep_opts *opts)
{
    *out = NULL;
    dp_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return DOPPEL_ERR_NOMEM;
    ix->has_model = 1;
    ix->model_id = model_id;
    int rc = dp_sweep_create(&ix->sw, NULL, dim, opts);
    if (rc) {
        free(ix);
        return rc;
    }
    *out = ix;
    return DOPPEL_OK;
}

void dp_index_free(dp_index *ix)
{
    if (!ix)
        return;
    dp_sweep_free(ix->sw);
    dp_encoder_free(ix->enc);
    for (size_t i = 0; i < ix->n_skipped; i++)
        free(ix->skipped[i].id), free(ix->skipped[i].reason);
    free(ix->skipped);
    free(ix);
}

dp_sweep *dp_index_sweep(dp_index *ix) { return ix->sw; }
const dp_sweep *dp_index_sweep_const(const dp_index *ix) { return ix->sw; }

int dp_index_has_model(const dp_index *ix, uint32_t *model_id)
{
    if (model_id)
        *model_id = ix->has_model ? ix->model_id : 0;
    return ix->has_model;
}

int dp_index_add_template(dp_index *ix, const char *bytes, size_t len, doppel_diag *diag)
{
    return dp_sweep_add_template(ix->sw, bytes, len, diag);
}

static size_t find_skipped(const dp_index *ix, const char *id)
{
    for (size_t i = 0; i < ix->n_skipped; i++)
        if (strcmp(ix->skipped[i].id, id) == 0)
            return i;
    return SIZE_MAX;
}

static void drop_skipped(dp_index *ix, size_t s)
{
    free(ix->skipped[s].id), free(ix->skipped[s].reason);
    memmove(ix->skipped + s, ix->skipped + s + 1, (ix->n_skipped - s - 1) * sizeof *ix->skipped);
    ix->n_skipped--;
}

int dp_index_skip(dp_index *ix, const char *id, const char *reason)
{
    if (find_skipped(ix, id) != SIZE_MAX)
        return DOPPEL_OK;
    if (DP_GROW(ix->skipped, ix->cap_skipped, ix->n_skipped + 1, 16))
        return DOPPEL_ERR_NOMEM;
    skipped_doc *e = &ix->skipped[ix->n_skipped];
    e->id = strdup(id);
    e->reason = strdup(reason);
    if (!e->id || !e->reason) {
        free(e->id), free(e->reason);
        return DOPPEL_ERR_NOMEM;
    }
    ix->n_skipped++;
    return DOPPEL_OK;
}

/* What dp_sweep_add's rc for document id means to the index: a document without usable
 * text is listed as skipped; one added is no longer listed. */
static int settle(dp_index *ix, const char *id, int rc, const doppel_diag *d)
{
    if (rc == DOPPEL_ERR_EMPTY || rc == DOPPEL_ERR_ENCODING || rc == DOPPEL_ERR_BINARY || rc == DOPPEL_ERR_TOO_LARGE) {
        int src = dp_index_skip(ix, id, d->message[0] ? d->message : doppel_strerror(rc));
        if (src)
            rc = src;
    } else if (rc == DOPPEL_OK) {
        size_t s = find_skipped(ix, id);
        if (s != SIZE_MAX)
            drop_skipped(ix, s);
    }
    return rc;
}

static int already_in(doppel_diag *diag, const char *id)
{
    return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "'%s' is already in the index", id);
}

int dp_index_add(dp_index *ix, const char *id, const char *bytes, size_t len, int is_reference,
                 doppel_diag *diag)
{
    if (dp_sweep_find(ix->sw, id) != SIZE_MAX)
        return already_in(diag, id);
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = settle(ix, id, dp_sweep_add(ix->sw, id, bytes, len, is_reference, &d), &d);
    if (rc && diag)
        *diag = d;
    return rc;
}

int dp_index_add_many(dp_index *ix, dp_sweep_add_item *items, const uint32_t *groups, size_t n)
{
    dp_sweep_add_item *fresh = malloc((n ? n : 1) * sizeof *fresh);
    if (!fresh)
        return DOPPEL_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) { /* an id indexed, or given earlier in items, is refused */
        dp_diag_clear(&items[i].diag);
        items[i].rc = DOPPEL_OK;
        bool seen = dp_sweep_find(ix->sw, items[i].id) != SIZE_MAX;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(items[k].id, items[i].id) == 0;
        if (seen)
            items[i].rc = already_in(&items[i].diag, items[i].id);
        else
            fresh[m++] = items[i];
    }
    int rc = dp_sweep_add_many_on(ix->sw, fresh, m, (size_t)ix->threads);
    for (size_t i = 0, k = 0; i < n && !rc; i++) {
        if (items[i].rc)
            continue;
        items[i] = fresh[k++];
        if (!items[i].rc && groups && groups[i])
            dp_sweep_set_group(ix->sw, items[i].index, groups[i]);
        items[i].rc = settle(ix, items[i].id, items[i].rc, &items[i].diag);
    }
    free(fresh);
    return rc;
}

int dp_index_remove(dp_index *ix, const char *id)
{
    size_t s = find_skipped(ix, id);
    if (s != SIZE_MAX) {
        drop_skipped(ix, s);
        return DOPPEL_OK;
    }
    return dp_sweep_remove(ix->sw, id);
}

size_t dp_index_skipped_count(const dp_index *ix) { return ix->n_skipped; }

void dp_index_skipped_at(const dp_index *ix, size_t i, const char **id, const char **reason)
{
    *id = ix->skipped[i].id;
    *reason = ix->skipped[i].reason;
}
