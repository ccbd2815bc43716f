/*
 * Copies of a sweep's results for the writers that need them all before writing
 * (HTML overview and graph, the terminal table sorted by score).
 */
#ifndef DP_REPORT_COLLECT_H
#define DP_REPORT_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "sweep/result.h"

/* dp_skipped with owned (non-const) storage. */
typedef struct dp_collected_skipped {
    char *id, *reason;
} dp_collected_skipped;

typedef struct dp_collected_member {
    char *id;
    uint64_t start, end;
} dp_collected_member;

typedef struct dp_collected_common {
    dp_collected_member *members;
    size_t n;
} dp_collected_common;

typedef struct dp_collected_cluster {
    char **members;
    size_t n;
} dp_collected_cluster;

typedef struct dp_collect {
    dp_owned_pair *pairs;
    size_t n_pairs, cap_pairs;
    dp_collected_skipped *skipped;
    size_t n_skipped, cap_skipped;
    dp_collected_cluster *clusters;
    size_t n_clusters, cap_clusters;
    dp_collected_common *common;
    size_t n_common, cap_common;
} dp_collect;

/* Each returns DOPPEL_OK or DOPPEL_ERR_NOMEM. A zeroed dp_collect is empty. */
int dp_collect_pair(dp_collect *c, const dp_pair_result *r);
int dp_collect_skipped(dp_collect *c, const dp_skipped *s);
int dp_collect_cluster(dp_collect *c, const char *const *members, size_t n);
int dp_collect_common(dp_collect *c, const dp_common_passage *p);
/* Orders pairs by score, highest first; ties by (a, b) so the output is deterministic. */
void dp_collect_sort(dp_collect *c);
void dp_collect_free(dp_collect *c);

#endif
