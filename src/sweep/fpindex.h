/*
 * The fingerprint index: each document's winnowed fingerprints, with the number of
 * documents each fingerprint occurs in, for candidate pairs (documents sharing
 * fingerprints) and verbatim seeds (where a pair shares them).
 *
 * Storage is document-major, 16 bytes per fingerprint (64-bit hash, 32-bit word
 * position, 32-bit document count), sorted by hash within a document so two
 * documents' shared fingerprints come from one merge. Evidence excludes:
 *  - fingerprints in more than max_docs documents (common boilerplate, MOSS's -m);
 *  - fingerprints of template documents (text handed out to everyone), which are
 *    recorded as a hash set only, never as documents.
 * Add documents and templates, then dp_fpindex_finalize (counts documents per
 * fingerprint), then query; adding after finalize requires finalizing again.
 */
#ifndef DP_SWEEP_FPINDEX_H
#define DP_SWEEP_FPINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "sweep/winnow.h"

/* ndocs of a fingerprint that matches a template. */
#define DP_FP_TEMPLATE UINT32_MAX

typedef struct dp_fp {
    uint64_t hash;
    uint32_t pos;   /* first word of the k-gram */
    uint32_t ndocs; /* documents holding this hash (after finalize), or DP_FP_TEMPLATE */
} dp_fp;

typedef struct dp_fp_pair {
    uint32_t a, b;   /* document numbers, a < b */
    uint32_t shared; /* distinct evidence hashes in common */
} dp_fp_pair;

typedef struct dp_fp_seed {
    uint32_t a_pos, b_pos; /* word positions of the same k-gram in a and b */
} dp_fp_seed;

typedef struct dp_fpindex dp_fpindex;

int dp_fpindex_create(dp_fpindex **ix);
void dp_fpindex_free(dp_fpindex *ix);

/* Adds a document's fingerprints; *doc receives its number (0, 1, 2, ...). */
int dp_fpindex_add(dp_fpindex *ix, const dp_fingerprint *fp, size_t n, uint32_t *doc);
/* Marks every hash of a template document as not evidence. */
int dp_fpindex_add_template(dp_fpindex *ix, const dp_fingerprint *fp, size_t n);
/* Counts documents per fingerprint and applies templates. */
int dp_fpindex_finalize(dp_fpindex *ix);

size_t dp_fpindex_docs(const dp_fpindex *ix);
/* Document doc's fingerprints, sorted by hash; *n receives their count. */
const dp_fp *dp_fpindex_doc(const dp_fpindex *ix, uint32_t doc, size_t *n);
/* Bytes held by the index (for the memory budget). */
size_t dp_fpindex_bytes(const dp_fpindex *ix);

/*
 * Every pair of documents sharing at least min_shared distinct evidence hashes
 * (ndocs <= max_docs; max_docs 0 means no limit), sorted by (a, b), into a
 * malloc'd *pairs.
 */
int dp_fpindex_pairs(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared,
                     dp_fp_pair **pairs, size_t *n_pairs);

/* The positions where documents a and b share evidence fingerprints (every
 * combination when a hash repeats), sorted by (a_pos, b_pos), into malloc'd *seeds. */
int dp_fpindex_seeds(const dp_fpindex *ix, uint32_t a, uint32_t b, uint32_t max_docs,
                     dp_fp_seed **seeds, size_t *n_seeds);

#endif
