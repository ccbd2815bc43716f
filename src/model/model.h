/*
 * The model: its hyperparameters and every parameter carved from one float block,
 * so gradients share the layout and the optimizer is one loop over the block.
 *
 * Block layout (float32, in this order; gate order r, z, n as in PyTorch's nn.GRU):
 *   embed                          [buckets][embed_dim]
 *   for layer l in 0..layers-1, for dir d in 0 (forward), 1 (backward):
 *     w_ih                         [3*hidden][in_l]   in_0 = embed_dim, in_l = 2*hidden
 *     w_hh                         [3*hidden][hidden]
 *     b_ih                         [3*hidden]
 *     b_hh                         [3*hidden]
 *   proj_w                         [out_dim][pool_dim]  pool_dim (dp_model_pool_dim): 2*hidden for
 *                                  MEAN or MAX, 4*hidden for MEANMAX, 4*hidden + embed_dim for
 *                                  MEANMAX_BAG
 *   proj_b                         [out_dim]
 *   attn                           [embed_dim]  ATTNMAX only
 */
#ifndef DP_MODEL_MODEL_H
#define DP_MODEL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"

#define DP_MAX_LAYERS 4

typedef enum {
    DP_POOL_MEAN = 1,
    DP_POOL_MAX = 2,
    DP_POOL_MEANMAX = 3, /* [mean ; max] of the concatenated directions */
    /* [mean ; max ; mean of the embedded tokens]: the bag of words and n-grams reaches the
     * projection directly, as in fastText, beside what the GRU makes of their order */
    DP_POOL_MEANMAX_BAG = 4,
    /* [attention-weighted mean ; max]: a token's weight is the softmax over its sequence of
     * attn · (its embedded token), a learnt salience of words and n-grams (as IDF weighs
     * them) so that a long sentence is not the mean of its function words; attn = 0 is the
     * plain mean, so a MEANMAX model is an ATTNMAX model with attn zero */
    DP_POOL_ATTNMAX = 5,
} dp_pooling;

typedef struct dp_model_config {
    uint32_t embed_dim;
    uint32_t hidden;
    uint32_t layers;        /* 1..DP_MAX_LAYERS */
    uint32_t out_dim;
    uint32_t buckets;       /* rows of the hashed embedding table */
    uint32_t pooling;       /* dp_pooling */
    uint64_t hash_seed;     /* seed of the token/n-gram hash */
    uint32_t minn, maxn;    /* character n-gram range; minn == 0 disables n-grams */
    uint32_t strip_accents; /* tokenizer setting: 1 strips combining marks after NFKC */
} dp_model_config;

typedef struct dp_gru_params {
    float *w_ih; /* [3H][in] */
    float *w_hh; /* [3H][H] */
    float *b_ih; /* [3H] */
    float *b_hh; /* [3H] */
} dp_gru_params;

typedef struct dp_model_params {
    float *embed;                        /* [buckets][embed_dim] */
    dp_gru_params gru[DP_MAX_LAYERS][2]; /* [layer][direction] */
    float *proj_w;                       /* [out_dim][pool_dim] */
    float *proj_b;                       /* [out_dim] */
    float *attn;                         /* [embed_dim] for DP_POOL_ATTNMAX, else NULL */
} dp_model_params;

/* An int8 embedding table kept as a model file stores it (model/quant.h): row r stands for
 * dp_int8_value(q[r][i], scale[r]). A quarter of the fp32 table's memory; for inference only
 * (training needs fp32 parameters to update). */
typedef struct dp_embed_q8 {
    int8_t *q;    /* [buckets][embed_dim] */
    float *scale; /* [buckets] */
} dp_embed_q8;

typedef struct dp_model {
    dp_model_config cfg;
    float *block;      /* all parameters, dp_model_param_count() floats; without the embedding
                          table when q8.q is set */
    size_t nparams;    /* floats in block */
    dp_model_params p; /* views into block; p.embed is NULL when q8.q is set */
    dp_embed_q8 q8;    /* the embedding table as int8, or {NULL, NULL} */
} dp_model;

/* The defaults of a new model: embed 128, hidden 128, 1 layer, out 256, mean+max pooling,
 * 3..5-grams. */
void dp_model_config_default(dp_model_config *cfg);

/* DOPPEL_OK if every size is in range (and the block fits in memory), else DOPPEL_ERR_INVALID
 * with the reason in diag. */
int dp_model_config_check(const dp_model_config *cfg, doppel_diag *diag);

/* The width of the pooled vector of D-wide states and E-wide embedded tokens. */
static inline size_t dp_pool_width(size_t D, size_t E, uint32_t pooling)
{
    return (pooling == DP_POOL_MEAN || pooling == DP_POOL_MAX ? D : 2 * D) + (pooling == DP_POOL_MEANMAX_BAG ? E : 0);
}

/* "mean", "max", "meanmax", "meanmaxbag", "attnmax": the name of a dp_pooling, and back (0 for an
 * unknown name). */
const char *dp_pooling_name(uint32_t pooling);
uint32_t dp_pooling_parse(const char *name);

/* The width of the model's pooled vector (see the layout above). */
size_t dp_model_pool_dim(const dp_model_config *cfg);

/* Number of floats in the parameter block (cfg must pass dp_model_config_check). */
size_t dp_model_param_count(const dp_model_config *cfg);

/* Points the views of p into block (dp_model_param_count(cfg) floats), in the layout above.
 * Used for parameters and for gradients alike. */
void dp_model_params_carve(dp_model_params *p, float *block, const dp_model_config *cfg);

/* Allocates a zeroed model of this shape. */
int dp_model_alloc(dp_model **out, const dp_model_config *cfg, doppel_diag *diag);
/* The same with the embedding table in q8 (zeroed) instead of the block: for inference. */
int dp_model_alloc_int8(dp_model **out, const dp_model_config *cfg, doppel_diag *diag);
/* Bytes of parameters m holds in memory: the block, plus q8's rows and scales. */
size_t dp_model_bytes(const dp_model *m);
void dp_model_free(dp_model *m);

/* Seeded random init in PyTorch's manner: GRU and projection U(-1/sqrt(fan), 1/sqrt(fan)),
 * embeddings U(-1/sqrt(embed_dim), +). Same seed, same weights on every machine. m has an
 * fp32 embedding (from dp_model_alloc). */
void dp_model_init_random(dp_model *m, uint64_t seed);

/* A copy of m (fp32 embedding) with ATTNMAX pooling in place of its MEANMAX, attn zero: the
 * same function, from which training can learn the token weights. DOPPEL_ERR_INVALID (with
 * the reason in diag) for another pooling, DOPPEL_ERR_NOMEM. */
int dp_model_to_attnmax(dp_model **out, const dp_model *m, doppel_diag *diag);

/* A 32-bit hash of the model's configuration and every parameter value: models
 * with the same identity give the same vectors (up to a 2^-32 accident). An index
 * records the identity of the model that built it. (model/identity.c) */
uint32_t dp_model_identity(const dp_model *m);

#endif
