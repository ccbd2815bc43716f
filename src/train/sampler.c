#include "train/sampler.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"

/* Fisher–Yates shuffle of the pool's members for pass `pass`, from its own seed. */
static void permute(dp_sampler *s, int source, int k)
{
    dp_pool *p = &s->pool[source][k];
    dp_rng r;
    dp_rng_seed(&r, s->seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(2 * source + k + 1)) ^
                        (s->st.pass[source][k] << 20));
    memcpy(p->perm, p->members, p->n * sizeof *p->perm);
    for (size_t i = p->n; i > 1; i--) {
        size_t j = (size_t)dp_rng_below(&r, i);
        size_t t = p->perm[i - 1];
        p->perm[i - 1] = p->perm[j];
        p->perm[j] = t;
    }
}

int dp_sampler_init(dp_sampler *s, const dp_dataset *ds, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->ds = ds;
    s->seed = seed;
    dp_rng_seed(&s->st.rng, seed);
    for (int src = 0; src < ds->nsources; src++) {
        s->pos_frac[src] = -1.0f;
        for (int k = 0; k < 2; k++) {
            dp_pool *p = &s->pool[src][k];
            p->members = malloc((ds->src[src].n + 1) * sizeof *p->members);
            p->perm = malloc((ds->src[src].n + 1) * sizeof *p->perm);
            if (!p->members || !p->perm) {
                dp_sampler_free(s);
                return DOPPEL_ERR_NOMEM;
            }
        }
    }
    for (size_t i = 0; i < ds->n; i++) {
        const dp_pair *pr = &ds->pairs[i];
        int k = !ds->src[pr->source].graded && dp_pair_norm_label(ds, pr) >= 0.5f;
        dp_pool *p = &s->pool[pr->source][k];
        p->members[p->n++] = i;
    }
    for (int src = 0; src < ds->nsources; src++)
        for (int k = 0; k < 2; k++)
            permute(s, src, k);
    return DOPPEL_OK;
}

void dp_sampler_free(dp_sampler *s)
{
    for (int src = 0; src < DP_DATA_MAX_SOURCES; src++)
        for (int k = 0; k < 2; k++) {
            free(s->pool[src][k].members);
            free(s->pool[src][k].perm);
        }
    memset(s, 0, sizeof *s);
}

size_t dp_sampler_draw(dp_sampler *s, int source)
{
    dp_pool *neg = &s->pool[source][0], *pos = &s->pool[source][1];
    float f = s->pos_frac[source];
    if (f < 0.0f)
        f = (float)pos->n / (float)(pos->n + neg->n);
    /* One RNG draw per pair whatever the pools, so the stream does not depend on them. */
    int k = dp_rng_float(&s->st.rng) < f;
    if (s->pool[source][k].n == 0)
        k = !k;
    dp_pool *p = &s->pool[source][k];
    if (s->st.pos[source][k] == p->n) {
        s->st.pass[source][k]++;
        s->st.pos[source][k] = 0;
        permute(s, source, k);
    }
    return p->perm[s->st.pos[source][k]++];
}

int dp_sampler_batch(dp_sampler *s, int source, double p_hard, size_t *out, int n)
{
    if (!(p_hard > 0.0) || (double)dp_rng_float(&s->st.rng) >= p_hard) {
        for (int i = 0; i < n; i++)
            out[i] = dp_sampler_draw(s, source);
        return 0;
    }
    const dp_pool *p = &s->pool[source][s->pool[source][1].n ? 1 : 0];
    size_t at = (size_t)dp_rng_below(&s->st.rng, p->n);
    for (int i = 0; i < n; i++, at = at + 1 == p->n ? 0 : at + 1)
        out[i] = p->members[at];
    return 1;
}

uint64_t dp_sampler_pass(const dp_sampler *s, int source) { return s->st.pass[source][1]; }

void dp_sampler_restore(dp_sampler *s, const dp_sampler_state *st)
{
    s->st = *st;
    for (int src = 0; src < s->ds->nsources; src++)
        for (int k = 0; k < 2; k++)
            permute(s, src, k);
}
