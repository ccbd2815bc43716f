#include "sweep/bridge.h"

#include <stdlib.h>

#include "doppel.h"

static int by_a(const void *x, const void *y)
{
    const dp_run *r = x, *s = y;
    if (r->a_tok != s->a_tok)
        return r->a_tok < s->a_tok ? -1 : 1;
    return (r->b_tok > s->b_tok) - (r->b_tok < s->b_tok);
}

/* Whether run r holds at least k words that are evidence on both sides. */
static bool own_run(const dp_run *r, const uint8_t *pa, const uint8_t *pb, size_t k)
{
    size_t own = 0;
    for (size_t i = 0; i < r->len && own < k; i++)
        own += !pa[r->a_tok + i] && !pb[r->b_tok + i];
    return own >= k;
}

/* Clears p[from, to) where own does not mark a word. */
static bool clear(uint8_t *p, const uint8_t *own, size_t from, size_t to)
{
    bool changed = false;
    for (size_t i = from; i < to; i++)
        if (p[i] && !own[i])
            p[i] = 0, changed = true;
    return changed;
}

int dp_bridge_common(const dp_run *runs, size_t n, const uint8_t *own_a, const uint8_t *own_b, uint8_t *pa,
                     uint8_t *pb, size_t k, bool *changed)
{
    *changed = false;
    dp_run *own = malloc((n ? n : 1) * sizeof *own);
    if (!own)
        return DOPPEL_ERR_NOMEM;
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (own_run(&runs[r], pa, pb, k))
            own[m++] = runs[r];
    if (m > 1)
        qsort(own, m, sizeof *own, by_a);
    /* decided on the marks as they came in: a cleared gap does not make the next run own */
    bool *bridge = calloc(m ? m : 1, sizeof *bridge); /* own[i] bridged to own[i + 1] */
    if (!bridge) {
        free(own);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i + 1 < m; i++) {
        const dp_run *x = &own[i], *y = &own[i + 1];
        size_t xa = (size_t)x->a_tok + x->len, xb = (size_t)x->b_tok + x->len;
        if (y->a_tok < xa || y->b_tok < xb)
            continue; /* overlapping, or another order on side b */
        size_t ga = y->a_tok - xa, gb = y->b_tok - xb, diff = ga > gb ? ga - gb : gb - ga;
        bridge[i] = ga <= DP_BRIDGE_WORDS && gb <= DP_BRIDGE_WORDS && diff <= (ga + gb) / 4 + k;
    }
    for (size_t i = 0; i + 1 < m; i++) {
        if (!bridge[i])
            continue;
        const dp_run *x = &own[i], *y = &own[i + 1];
        *changed |= clear(pa, own_a, x->a_tok, (size_t)y->a_tok + y->len);
        *changed |= clear(pb, own_b, x->b_tok, (size_t)y->b_tok + y->len);
    }
    free(own), free(bridge);
    return DOPPEL_OK;
}
