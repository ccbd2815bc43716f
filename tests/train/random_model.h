/* The small random models the training tests start from (include after <cmocka.h>). */
#ifndef DP_TEST_RANDOM_MODEL_H
#define DP_TEST_RANDOM_MODEL_H

#include <stdint.h>

#include "doppel.h"
#include "model/model.h"

/* A model of the default configuration but for these sizes, initialised from seed. */
static inline dp_model *random_model(uint32_t embed_dim, uint32_t hidden, uint32_t out_dim, uint32_t buckets,
                                     uint64_t seed)
{
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.embed_dim = embed_dim;
    cfg.hidden = hidden;
    cfg.out_dim = out_dim;
    cfg.buckets = buckets;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    dp_model_init_random(m, seed);
    return m;
}

#endif
