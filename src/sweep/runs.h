/*
 * Shared verbatim runs of two word sequences: every maximal run of at least k equal
 * words, found through a table of a's k-grams. Within one candidate pair this is
 * exact (every run >= k is found), where winnowed fingerprints only guarantee runs
 * >= t; the fingerprint index is for finding candidate pairs in a large corpus.
 */
#ifndef DP_SWEEP_RUNS_H
#define DP_SWEEP_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "sweep/passages.h"

/*
 * wa[na], wb[nb]: 32-bit hashes of normalised words (as a sweep document keeps them).
 * skip_a/skip_b (may be NULL) mark words that must not be part of a run (templates,
 * quotations). A word-hash collision (one in 2^32 per word pair) can only lengthen a
 * run by a word; a whole k-word run of collisions is negligible. Runs are in word
 * indices (dp_run.a_tok / b_tok), at least k long, each maximal along its diagonal.
 */
int dp_find_runs(const uint32_t *wa, size_t na, const uint8_t *skip_a, const uint32_t *wb, size_t nb,
                 const uint8_t *skip_b, uint32_t k, dp_run **runs, size_t *n_runs);

#endif
