#include "sweep/winnow.h"

#include <stdlib.h>

#include "doppel.h"

/* MurmurHash3's fmix64: spreads every input bit over the output, so k-gram hashes
 * (and their minima) are uniform whatever the word hashes look like. */
static uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

uint64_t dp_kgram_hash(const uint32_t *word_hash, uint32_t k, uint64_t seed)
{
    uint64_t h = fmix64(seed ^ k);
    for (uint32_t i = 0; i < k; i++)
        h = fmix64(h ^ word_hash[i]) + UINT64_C(0x9e3779b97f4a7c15);
    return h;
}

int dp_winnow(const uint32_t *word_hash, size_t n, const dp_winnow_opts *opts,
              dp_fingerprint **out, size_t *n_out)
{
    uint32_t k = opts && opts->k ? opts->k : DP_WINNOW_DEFAULT_K;
    uint32_t t = opts && opts->t ? opts->t : DP_WINNOW_DEFAULT_T;
    uint64_t seed = opts ? opts->seed : 0;
    *out = NULL;
    *n_out = 0;
    if (t < k || n > UINT32_MAX)
        return DOPPEL_ERR_INVALID;
    if (n < k)
        return DOPPEL_OK;
    size_t m = n - k + 1; /* k-grams */
    size_t w = t - k + 1; /* window */
    if (w > m)
        w = m; /* short document: one window over all of it */
    uint64_t *h = malloc(m * sizeof *h);
    /* At most one new fingerprint per window position, plus the first. */
    dp_fingerprint *fp = malloc((m - w + 1) * sizeof *fp);
    if (!h || !fp) {
        free(h), free(fp);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < m; i++)
        h[i] = dp_kgram_hash(word_hash + i, k, seed);
    size_t nf = 0, sel = SIZE_MAX;
    for (size_t lo = 0; lo + w <= m; lo++) {
        size_t hi = lo + w - 1; /* window [lo, hi] */
        if (sel == SIZE_MAX || sel < lo) {
            sel = lo; /* rescan: rightmost minimum */
            for (size_t i = lo + 1; i <= hi; i++)
                if (h[i] <= h[sel])
                    sel = i;
        } else if (h[hi] < h[sel]) {
            sel = hi; /* strictly smaller newcomer; an equal one keeps the old choice */
        }
        if (nf == 0 || fp[nf - 1].pos != sel)
            fp[nf++] = (dp_fingerprint){h[sel], (uint32_t)sel};
    }
    free(h);
    *out = fp;
    *n_out = nf;
    return DOPPEL_OK;
}
