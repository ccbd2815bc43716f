/* Small random models for tests, and their file images (include after <cmocka.h>). */
#ifndef DP_TEST_RANDOM_MODEL_H
#define DP_TEST_RANDOM_MODEL_H

#include <stdint.h>
#include <stdlib.h>

#include "doppel.h"
#include "model/model.h"
#include "model/modelfile.h"

/* A model of the default configuration but for these sizes (layers 0: the default's),
 * initialised from seed. */
static inline dp_model *random_model_layers(uint32_t embed_dim, uint32_t hidden, uint32_t out_dim, uint32_t buckets,
                                            uint32_t layers, uint64_t seed)
{
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.embed_dim = embed_dim;
    cfg.hidden = hidden;
    cfg.out_dim = out_dim;
    cfg.buckets = buckets;
    if (layers)
        cfg.layers = layers;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    dp_model_init_random(m, seed);
    return m;
}

static inline dp_model *random_model(uint32_t embed_dim, uint32_t hidden, uint32_t out_dim, uint32_t buckets,
                                     uint64_t seed)
{
    return random_model_layers(embed_dim, hidden, out_dim, buckets, 0, seed);
}

/* m's file image with the embedding stored as dtype (malloc'd; m is freed). */
static inline void *model_image(dp_model *m, dp_dtype dtype, size_t *len)
{
    void *img;
    assert_int_equal(dp_model_save_buffer(m, dtype, NULL, &img, len, NULL), DOPPEL_OK);
    dp_model_free(m);
    return img;
}

#endif
