#include "model/average.h"

#include "core/diag.h"

static int same_config(const dp_model_config *x, const dp_model_config *y)
{
    return x->embed_dim == y->embed_dim && x->hidden == y->hidden && x->layers == y->layers &&
           x->out_dim == y->out_dim && x->buckets == y->buckets && x->pooling == y->pooling &&
           x->hash_seed == y->hash_seed && x->minn == y->minn && x->maxn == y->maxn &&
           x->strip_accents == y->strip_accents;
}

int dp_model_average(dp_model **out, const dp_model *a, const dp_model *b, float t, doppel_diag *diag)
{
    *out = NULL;
    if (!(t >= 0.0f && t <= 1.0f))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "average: weight %g is outside [0, 1]", (double)t);
    if (!same_config(&a->cfg, &b->cfg))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "average: the two models differ in architecture");
    if (a->q8.q || b->q8.q)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "average: a model holds an int8 embedding table");
    int rc = dp_model_alloc(out, &a->cfg, diag);
    if (rc)
        return rc;
    float *o = (*out)->block;
    const float s = 1.0f - t;
    for (size_t i = 0; i < a->nparams; i++)
        o[i] = s * a->block[i] + t * b->block[i];
    return DOPPEL_OK;
}
