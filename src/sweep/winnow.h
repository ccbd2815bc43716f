/*
 * Winnowing (Schleimer, Wilkerson, Aiken: "Winnowing: Local Algorithms for Document
 * Fingerprinting", SIGMOD 2003) over hashed word k-grams.
 *
 * Every k consecutive words hash to one k-gram hash; in each window of
 * w = t - k + 1 consecutive k-gram hashes the minimum is selected (robust winnowing:
 * a minimum already selected in the previous window is kept while it stays in the
 * window; otherwise the rightmost minimum is taken). So:
 *  - any run of >= t words shared by two documents contains a whole window and
 *    yields at least one shared fingerprint (the guarantee threshold t);
 *  - a shared fingerprint means a shared k-gram, a run of >= k words (the noise
 *    threshold k), up to 64-bit hash collisions.
 * A document with fewer than t but at least k words gets its minimum k-gram.
 */
#ifndef DP_SWEEP_WINNOW_H
#define DP_SWEEP_WINNOW_H

#include <stddef.h>
#include <stdint.h>

#define DP_WINNOW_DEFAULT_K 5
#define DP_WINNOW_DEFAULT_T 12

typedef struct dp_winnow_opts {
    uint32_t k; /* noise threshold, >= 1 (0: default) */
    uint32_t t; /* guarantee threshold, >= k (0: default) */
    uint64_t seed;
} dp_winnow_opts;

typedef struct dp_fingerprint {
    uint64_t hash;
    uint32_t pos; /* index of the k-gram's first word */
} dp_fingerprint;

/* The 64-bit hash of the k words (32-bit word hashes) at word_hash[0..k). */
uint64_t dp_kgram_hash(const uint32_t *word_hash, uint32_t k, uint64_t seed);

/*
 * Fingerprints of a word sequence, in increasing position, into a malloc'd *out
 * (free it; NULL with *n_out 0 when there are fewer than k words).
 * DOPPEL_OK, DOPPEL_ERR_INVALID (k or t out of range, n above UINT32_MAX) or
 * DOPPEL_ERR_NOMEM.
 */
int dp_winnow(const uint32_t *word_hash, size_t n, const dp_winnow_opts *opts,
              dp_fingerprint **out, size_t *n_out);

#endif
