/*
 * The fingerprint index: which documents hold each winnowed fingerprint hash, for
 * boilerplate (hashes in more than max_docs documents, MOSS's -m) and candidate pairs
 * (documents sharing evidence hashes) in corpora too large to compare every pair.
 *
 * Storage is hash-major: one (hash, document) posting per distinct hash of a document,
 * 12 bytes each (a 64-bit hash array and a 32-bit document array), sorted by hash then
 * document, so a hash's documents are one binary search away and their count is the
 * length of its run. Where a fingerprint sits in its document is not kept: the sweep
 * winnows a document again when it needs positions (cheap next to the rest).
 * Hashes of template documents (text handed out to everyone) are recorded as a set and
 * are never evidence. Add documents and templates, then dp_fpindex_finalize, then query;
 * adding after finalize requires finalizing again.
 */
#ifndef DP_SWEEP_FPINDEX_H
#define DP_SWEEP_FPINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "sweep/winnow.h"

/* dp_fpindex_count of a hash that matches a template. */
#define DP_FP_TEMPLATE UINT32_MAX

typedef struct dp_fp_pair {
    uint32_t a, b;   /* document numbers, a < b */
    uint32_t shared; /* distinct evidence hashes in common */
} dp_fp_pair;

typedef struct dp_fpindex dp_fpindex;

int dp_fpindex_create(dp_fpindex **ix);
void dp_fpindex_free(dp_fpindex *ix);

/* Adds a document's fingerprints (any order, repeats allowed); *doc receives its
 * number (0, 1, 2, ...). */
int dp_fpindex_add(dp_fpindex *ix, const dp_fingerprint *fp, size_t n, uint32_t *doc);
/* Adds the distinct hashes h[n] of the document numbered doc (each document once; numbers
 * need not be consecutive: the part of a corpus whose hashes one process holds). */
int dp_fpindex_add_hashes(dp_fpindex *ix, const uint64_t *h, size_t n, uint32_t doc);
/* Marks every hash of a template document as not evidence. */
int dp_fpindex_add_template(dp_fpindex *ix, const dp_fingerprint *fp, size_t n);
/* Sorts the postings and the template set. */
int dp_fpindex_finalize(dp_fpindex *ix);

size_t dp_fpindex_docs(const dp_fpindex *ix);
/* Documents holding hash h: 0 when none, DP_FP_TEMPLATE when h is template text. */
uint32_t dp_fpindex_count(const dp_fpindex *ix, uint64_t h);
/* The documents holding h, increasing (*n of them; NULL when none). */
const uint32_t *dp_fpindex_holders(const dp_fpindex *ix, uint64_t h, size_t *n);
/* Bytes held by the index (for the memory budget). */
size_t dp_fpindex_bytes(const dp_fpindex *ix);

/*
 * Every pair of documents sharing at least min_shared distinct evidence hashes
 * (held by at most max_docs documents; max_docs 0 means no limit; never template
 * hashes), sorted by (a, b), into a malloc'd *pairs.
 */
int dp_fpindex_pairs(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared, dp_fp_pair **pairs,
                     size_t *n_pairs);
/* dp_fpindex_pairs gathering the pairs a block of first documents at a time, each block's
 * (pair, hash) occurrences at most `block` (12 bytes each) unless one document has more:
 * at 50,000 documents whose sentences recur in a few others, gathering them all at once
 * held more than the rest of the sweep. The postings are read once to count each first
 * document's occurrences, then once per block; the blocks come in document order, so the
 * pairs are the same whatever the block (dp_fpindex_pairs: 2^20). */
int dp_fpindex_pairs_in(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared, size_t block,
                        dp_fp_pair **pairs, size_t *n_pairs);

#endif
