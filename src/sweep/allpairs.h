/*
 * Candidate document pairs from document vectors: a blocked all-pairs product
 * (cblas_sgemm) that keeps, for each row, its top-k most similar columns and every
 * pair at or above a threshold — never an N×N matrix, only one block at a time.
 *
 * The corpus may be cut into shards: dp_allpairs_block computes one (row range ×
 * column range) block on its own, and dp_allpairs_merge combines blocks, so blocks
 * can run anywhere; merging all blocks gives exactly the result of one whole sweep.
 */
#ifndef DP_SWEEP_ALLPAIRS_H
#define DP_SWEEP_ALLPAIRS_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"

typedef struct dp_scored {
    uint32_t id;  /* the other document */
    float sim;
} dp_scored;

typedef struct dp_allpairs_opts {
    size_t top_k;     /* neighbours kept per row (0: none) */
    float min_sim;    /* pairs with sim >= min_sim are kept whatever top_k says */
    size_t block;     /* rows/columns per GEMM block (0: 1024) */
    /* Optional: pairs where both are references are never candidates (NULL: none). */
    const uint8_t *is_reference; /* [n] indexed by global document id */
    /* Optional: documents of one group are never compared (NULL: all distinct). */
    const uint32_t *group;       /* [n] */
} dp_allpairs_opts;

/* A result: per-row top-k lists for rows [row0, row0+rows) and threshold pairs (a < b). */
typedef struct dp_allpairs_result {
    size_t row0, rows, top_k;
    dp_scored *topk;     /* [rows][top_k], best first, unused slots id = UINT32_MAX */
    uint32_t (*pairs)[2];/* threshold pairs, a < b */
    float *pair_sim;
    size_t n_pairs, cap_pairs;
} dp_allpairs_result;

/*
 * One block: rows X[r0..r1) against columns X[c0..c1) of the n×d row-major matrix X
 * (rows unit vectors). The result's rows are [r0, r1). A pair (i, j) with i in rows and
 * j in columns is emitted as a threshold pair only from the block where i < j.
 */
int dp_allpairs_block(const float *X, size_t n, size_t d, size_t r0, size_t r1, size_t c0, size_t c1,
                      const dp_allpairs_opts *opts, dp_allpairs_result *out);

/* The same block with its rows and columns held apart: R [r1 - r0][d] holds rows
 * r0..r1 of X and C [c1 - c0][d] its columns c0..c1 (a process holding its own rows
 * and receiving another's); ids and opts->is_reference stay those of X's n rows. */
int dp_allpairs_block_at(const float *R, const float *C, size_t n, size_t d, size_t r0, size_t r1, size_t c0,
                         size_t c1, const dp_allpairs_opts *opts, dp_allpairs_result *out);

/* Folds `part` (same row range) into `acc`: top-k of the union, pairs appended. */
int dp_allpairs_merge(dp_allpairs_result *acc, const dp_allpairs_result *part);

/*
 * The candidate set of whole results covering all rows: the union of threshold pairs
 * and (i, top-k neighbour) pairs, as sorted unique (a < b) pairs.
 */
int dp_allpairs_candidates(const dp_allpairs_result *results, size_t n_results,
                           uint32_t (**pairs)[2], size_t *n_pairs);

void dp_allpairs_result_free(dp_allpairs_result *r);

#endif
