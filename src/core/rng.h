/* A small seeded generator (xoshiro256**, seeded by splitmix64): the same stream on
 * every machine, one state per user so nothing is global. */
#ifndef DP_CORE_RNG_H
#define DP_CORE_RNG_H

#include <stdint.h>

typedef struct dp_rng {
    uint64_t s[4];
} dp_rng;

void dp_rng_seed(dp_rng *r, uint64_t seed);
uint64_t dp_rng_next(dp_rng *r);
/* Uniform in [0, 1) with 24 bits. */
float dp_rng_float(dp_rng *r);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t dp_rng_below(dp_rng *r, uint64_t n);
/* Standard normal (Box–Muller). */
double dp_rng_normal(dp_rng *r);

#endif
