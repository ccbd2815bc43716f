/* dp_model_identity (model/model.h): what an index records of the model that built it. */
#include <string.h>

#include "model/model.h"
#include "model/quant.h"

/* One 64-bit value into a running FNV-1a-style state (a multiply per value, so the
 * whole parameter block of a large model hashes in milliseconds). */
static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

/* The parameters' float32 bits go in two per mix: lo waits for its hi. */
typedef struct id_state {
    uint64_t h;
    uint32_t lo;
    int have_lo;
} id_state;

static void feed(id_state *s, float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    if (s->have_lo)
        s->h = mix(s->h, (uint64_t)u << 32 | s->lo);
    else
        s->lo = u;
    s->have_lo = !s->have_lo;
}

uint32_t dp_model_identity(const dp_model *m)
{
    const dp_model_config *c = &m->cfg;
    uint64_t h = 0xcbf29ce484222325ull;
    const uint64_t f[] = {c->embed_dim, c->hidden, c->layers, c->out_dim, c->buckets,
                          c->pooling,   c->minn,   c->maxn,   c->strip_accents, c->hash_seed};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        h = mix(h, f[i]);
    /* parameters by value in block order (an int8 table by its dequantized values, so a
     * model has one identity however it was read), two per step, the last odd one with 0 */
    id_state s = {.h = h};
    if (m->q8.q)
        for (size_t r = 0; r < c->buckets; r++)
            for (size_t k = r * c->embed_dim; k < (r + 1) * c->embed_dim; k++)
                feed(&s, dp_int8_value(m->q8.q[k], m->q8.scale[r]));
    for (size_t i = 0; i < m->nparams; i++)
        feed(&s, m->block[i]);
    h = s.have_lo ? mix(s.h, s.lo) : s.h;
    /* fmix64 (MurmurHash3's finaliser) spreads every bit before folding to 32 */
    h ^= h >> 33, h *= 0xff51afd7ed558ccdull, h ^= h >> 33, h *= 0xc4ceb9fe1a85ec53ull, h ^= h >> 33;
    return (uint32_t)(h ^ (h >> 32));
}
