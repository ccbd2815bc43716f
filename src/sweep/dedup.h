/*
 * Near-duplicate clusters for deduplicating an archive: documents joined by pairs whose
 * similarity (the covered share of the smaller document) reaches a threshold, grouped by
 * complete link: two groups merge only when every member of one is similar to every
 * member of the other, so a document similar to two unrelated ones cannot chain them
 * together (single link would). Pairs are taken strongest first (ties by document
 * numbers), so the clusters never depend on the order pairs were added in.
 *
 * Per cluster one document is kept: the one with the most words, ties by the smallest id
 * (strcmp); the others are dropped.
 */
#ifndef DP_SWEEP_DEDUP_H
#define DP_SWEEP_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"

/* Default thresholds (the covered share of the smaller document), with the default model's
 * vectors and with lexical evidence only: chosen on the seed-1 near-duplicate benchmark
 * and checked on seed 2 (bench/README.md, "Near-duplicates"). */
#define DP_DEDUP_THRESHOLD_MODEL 0.24f
#define DP_DEDUP_THRESHOLD_LEXICAL 0.22f

/* --max-docs of a dedup run: a passage in more documents than this is common text (a
 * header, a licence), not what makes two documents near-duplicates; copies of a whole
 * document still count however many there are (sweep.c, pair_skips). Chosen with the
 * thresholds (on seed 1 at 1000 documents, a paragraph in 6-10 documents made pairs of
 * 25 % shared text under the sweep's 10). */
#define DP_DEDUP_MAX_DOCS 5

typedef struct dp_dedup dp_dedup;

/*
 * A pair's near-duplicate similarity from its coverages (covered share of each document's
 * words): the words both sides' passages cover (the fewer of the two), as a share of the
 * smaller document. A copy covers about as much of each side; a passage that stretches
 * over more of one side than the other (a short shared sentence chained with its
 * neighbours) counts for what the other side has.
 */
float dp_dedup_similarity(float a_coverage, size_t a_words, float b_coverage, size_t b_words);

/* Documents numbered 0..n_docs-1; pairs below threshold are ignored. */
int dp_dedup_create(dp_dedup **d, size_t n_docs, float threshold);
void dp_dedup_free(dp_dedup *d);

/* A similar pair (a != b, both < n_docs); a pair given twice keeps its larger similarity. */
int dp_dedup_add(dp_dedup *d, uint32_t a, uint32_t b, float similarity);

/* doc: its number; similarity: with the kept document (1 for the kept one itself) */
typedef doppel_dedup_member dp_dedup_member;

/* Clusters of two or more documents: members[offsets[c] .. offsets[c+1]), the kept
 * document first, then the dropped ones by document number; clusters ordered by their
 * kept document's number. */
typedef struct dp_dedup_clusters {
    dp_dedup_member *members;
    size_t *offsets; /* [n + 1] */
    size_t n;
} dp_dedup_clusters;

/* words[n_docs]: each document's size; ids[n_docs]: for ties. */
int dp_dedup_cluster(dp_dedup *d, const uint64_t *words, const char *const *ids, dp_dedup_clusters *out);
void dp_dedup_clusters_free(dp_dedup_clusters *c);

#endif
