/*
 * Groups of documents connected by reported pairs (for deduplicating an archive:
 * which copies belong together). Union-find over document numbers 0..n-1, with
 * path halving and union by size.
 */
#ifndef DP_SWEEP_CLUSTERS_H
#define DP_SWEEP_CLUSTERS_H

#include <stddef.h>
#include <stdint.h>

typedef struct dp_clusters {
    uint32_t *parent; /* [n] */
    uint32_t *size;   /* [n] members under each root */
    size_t n;
} dp_clusters;

/* DOPPEL_OK or DOPPEL_ERR_NOMEM / DOPPEL_ERR_INVALID (n above UINT32_MAX). */
int dp_clusters_init(dp_clusters *c, size_t n);
void dp_clusters_free(dp_clusters *c);
uint32_t dp_clusters_find(dp_clusters *c, uint32_t x);
void dp_clusters_union(dp_clusters *c, uint32_t a, uint32_t b);

/*
 * The groups of two or more documents: members[offsets[g] .. offsets[g+1]) are group
 * g's documents in ascending order; groups are ordered by their smallest member, so
 * the result does not depend on the order pairs were added. *members and *offsets
 * are malloc'd (free both); *n_groups may be 0.
 */
int dp_clusters_groups(dp_clusters *c, uint32_t **members, size_t **offsets, size_t *n_groups);

#endif
