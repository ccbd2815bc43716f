/*
 * Near-duplicate signatures: whole documents that are (almost) the same text become
 * candidate pairs whatever --max-docs says, even when each of their fingerprints is
 * common (a document copied more than max_docs times, or one made of common sentences).
 * A document's signature is DP_DUPSIG_BANDS band keys, each hashing DP_DUPSIG_ROWS
 * min-hashes of its fingerprint hashes (all of them, common or not); two documents share
 * a band key with probability 1 - (1 - J^ROWS)^BANDS for a Jaccard similarity J of their
 * fingerprint sets: 1 for exact copies, 0.97 at J = 0.58 (about 5 % of the words edited),
 * 0.016 at J = 0.1 (one shared paragraph in ten).
 */
#ifndef DP_SWEEP_DUPSIG_H
#define DP_SWEEP_DUPSIG_H

#include <stddef.h>
#include <stdint.h>

#define DP_DUPSIG_BANDS 16
#define DP_DUPSIG_ROWS 3
/* Documents sharing a band key beyond this many are paired with its first this many only
 * (thousands of copies of one text would otherwise make millions of pairs). */
#define DP_DUPSIG_BUCKET 64

/* keys[DP_DUPSIG_BANDS] of the hashes h[n] (repeats allowed; n == 0: all zero, no signature). */
void dp_dupsig(const uint64_t *h, size_t n, uint64_t *keys);

/* The pairs (a < b) of documents sharing a band key: keys[n_docs][DP_DUPSIG_BANDS] (a row of
 * zeros: no signature), each pair once, sorted, into a malloc'd *pairs. */
int dp_dupsig_pairs(const uint64_t *keys, size_t n_docs, uint32_t (**pairs)[2], size_t *n_pairs);

#endif
