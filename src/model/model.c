#include "model/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/rng.h"

void dp_model_config_default(dp_model_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->embed_dim = 128;
    cfg->hidden = 128;
    cfg->layers = 1;
    cfg->out_dim = 256;
    cfg->buckets = 1u << 17;
    cfg->pooling = DP_POOL_MEANMAX;
    cfg->hash_seed = 0x646f7070656c3031ull; /* "doppel01" */
    cfg->minn = 3;
    cfg->maxn = 5;
}

int dp_model_config_check(const dp_model_config *cfg, doppel_diag *diag)
{
#define CHECK(cond, ...) \
    if (!(cond))         \
    return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, __VA_ARGS__)
    CHECK(cfg->embed_dim >= 1 && cfg->embed_dim <= 4096, "embed_dim %u not in 1..4096", cfg->embed_dim);
    CHECK(cfg->hidden >= 1 && cfg->hidden <= 4096, "hidden %u not in 1..4096", cfg->hidden);
    CHECK(cfg->layers >= 1 && cfg->layers <= DP_MAX_LAYERS, "layers %u not in 1..%d", cfg->layers, DP_MAX_LAYERS);
    CHECK(cfg->out_dim >= 1 && cfg->out_dim <= 8192, "out_dim %u not in 1..8192", cfg->out_dim);
    CHECK(cfg->buckets >= 1 && cfg->buckets <= (1u << 26), "buckets %u not in 1..2^26", cfg->buckets);
    CHECK(cfg->pooling >= DP_POOL_MEAN && cfg->pooling <= DP_POOL_ATTNMAX, "unknown pooling %u", cfg->pooling);
    CHECK(cfg->minn == 0 || (cfg->minn <= cfg->maxn && cfg->maxn <= 16), "n-gram range %u..%u invalid",
          cfg->minn, cfg->maxn);
    CHECK(cfg->strip_accents <= 1, "strip_accents must be 0 or 1");
    CHECK((uint64_t)cfg->buckets * cfg->embed_dim <= (1ull << 31), "embedding table of %u x %u is too large",
          cfg->buckets, cfg->embed_dim);
#undef CHECK
    return DOPPEL_OK;
}

static const char *const pooling_names[] = {NULL, "mean", "max", "meanmax", "meanmaxbag", "attnmax"};

const char *dp_pooling_name(uint32_t pooling)
{
    return pooling >= DP_POOL_MEAN && pooling <= DP_POOL_ATTNMAX ? pooling_names[pooling] : "unknown";
}

uint32_t dp_pooling_parse(const char *name)
{
    for (uint32_t p = DP_POOL_MEAN; p <= DP_POOL_ATTNMAX; p++)
        if (strcmp(name, pooling_names[p]) == 0)
            return p;
    return 0;
}

size_t dp_model_pool_dim(const dp_model_config *cfg)
{
    return dp_pool_width(2 * (size_t)cfg->hidden, cfg->embed_dim, cfg->pooling);
}

/* One walk over the layout serves both counting (block == NULL) and carving; with_embed = 0
 * leaves the embedding table out (p->embed NULL). */
static size_t layout(dp_model_params *p, float *block, const dp_model_config *cfg, int with_embed)
{
    size_t off = 0, H = cfg->hidden;
#define TAKE(field, n)                       \
    do {                                     \
        if (block)                           \
            (field) = block + off;           \
        off += (n);                          \
    } while (0)
    dp_model_params dummy;
    if (!p)
        p = &dummy;
    memset(p, 0, sizeof *p);
    if (with_embed)
        TAKE(p->embed, (size_t)cfg->buckets * cfg->embed_dim);
    for (size_t l = 0; l < cfg->layers; l++) {
        size_t in = l == 0 ? cfg->embed_dim : 2 * H;
        for (int d = 0; d < 2; d++) {
            TAKE(p->gru[l][d].w_ih, 3 * H * in);
            TAKE(p->gru[l][d].w_hh, 3 * H * H);
            TAKE(p->gru[l][d].b_ih, 3 * H);
            TAKE(p->gru[l][d].b_hh, 3 * H);
        }
    }
    TAKE(p->proj_w, (size_t)cfg->out_dim * dp_model_pool_dim(cfg));
    TAKE(p->proj_b, (size_t)cfg->out_dim);
    if (cfg->pooling == DP_POOL_ATTNMAX)
        TAKE(p->attn, (size_t)cfg->embed_dim);
#undef TAKE
    return off;
}

size_t dp_model_param_count(const dp_model_config *cfg) { return layout(NULL, NULL, cfg, 1); }

void dp_model_params_carve(dp_model_params *p, float *block, const dp_model_config *cfg)
{
    layout(p, block, cfg, 1);
}

static int alloc_model(dp_model **out, const dp_model_config *cfg, int int8, doppel_diag *diag)
{
    *out = NULL;
    int rc = dp_model_config_check(cfg, diag);
    if (rc)
        return rc;
    dp_model *m = calloc(1, sizeof *m);
    if (!m)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    m->cfg = *cfg;
    m->nparams = layout(NULL, NULL, cfg, !int8);
    m->block = calloc(m->nparams, sizeof(float));
    if (int8) {
        m->q8.q = calloc((size_t)cfg->buckets * cfg->embed_dim, 1);
        m->q8.scale = calloc(cfg->buckets, sizeof(float));
    }
    if (!m->block || (int8 && (!m->q8.q || !m->q8.scale))) {
        dp_model_free(m);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    layout(&m->p, m->block, cfg, !int8);
    *out = m;
    return DOPPEL_OK;
}

int dp_model_alloc(dp_model **out, const dp_model_config *cfg, doppel_diag *diag)
{
    return alloc_model(out, cfg, 0, diag);
}

int dp_model_alloc_int8(dp_model **out, const dp_model_config *cfg, doppel_diag *diag)
{
    return alloc_model(out, cfg, 1, diag);
}

size_t dp_model_bytes(const dp_model *m)
{
    size_t b = m->nparams * sizeof(float);
    if (m->q8.q)
        b += (size_t)m->cfg.buckets * m->cfg.embed_dim + m->cfg.buckets * sizeof(float);
    return b;
}

void dp_model_free(dp_model *m)
{
    if (!m)
        return;
    free(m->block);
    free(m->q8.q);
    free(m->q8.scale);
    free(m);
}

static void fill_uniform(dp_rng *rng, float *x, size_t n, float bound)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (2.0f * dp_rng_float(rng) - 1.0f) * bound;
}

void dp_model_init_random(dp_model *m, uint64_t seed)
{
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    const dp_model_config *c = &m->cfg;
    size_t H = c->hidden;
    fill_uniform(&rng, m->p.embed, (size_t)c->buckets * c->embed_dim, 1.0f / sqrtf((float)c->embed_dim));
    float gb = 1.0f / sqrtf((float)H);
    for (size_t l = 0; l < c->layers; l++) {
        size_t in = l == 0 ? c->embed_dim : 2 * H;
        for (int d = 0; d < 2; d++) {
            const dp_gru_params *g = &m->p.gru[l][d];
            fill_uniform(&rng, g->w_ih, 3 * H * in, gb);
            fill_uniform(&rng, g->w_hh, 3 * H * H, gb);
            fill_uniform(&rng, g->b_ih, 3 * H, gb);
            fill_uniform(&rng, g->b_hh, 3 * H, gb);
        }
    }
    size_t pd = dp_model_pool_dim(c);
    float pb = 1.0f / sqrtf((float)pd);
    fill_uniform(&rng, m->p.proj_w, (size_t)c->out_dim * pd, pb);
    fill_uniform(&rng, m->p.proj_b, c->out_dim, pb);
    /* attn stays zero: every token weighs the same until training says otherwise */
}

int dp_model_to_attnmax(dp_model **out, const dp_model *m, doppel_diag *diag)
{
    *out = NULL;
    if (m->cfg.pooling != DP_POOL_MEANMAX || m->q8.q)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "only a meanmax model with an fp32 embedding becomes attnmax (this one: %s%s)",
                           dp_pooling_name(m->cfg.pooling), m->q8.q ? ", int8" : "");
    dp_model_config c = m->cfg;
    c.pooling = DP_POOL_ATTNMAX;
    int rc = dp_model_alloc(out, &c, diag);
    if (rc)
        return rc;
    /* the layouts agree up to attn, which the new block adds at its end (zeroed) */
    memcpy((*out)->block, m->block, m->nparams * sizeof *m->block);
    return DOPPEL_OK;
}
