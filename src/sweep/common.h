/*
 * Common passages: text held by more than max_docs documents (a paragraph a whole class
 * copied from the web, boilerplate). It is not evidence between any two of them, so it is
 * listed once, with every document holding it, instead of in each of their pairs.
 *
 * Each document's boilerplate fingerprints (df > max_docs, not template) are cut into
 * segments (fingerprints at most `reach` words apart, as one shared run gives them);
 * segments of any documents sharing a fingerprint hash are one passage (union-find).
 * A document's span is the sentences its segments touch.
 */
#ifndef DP_SWEEP_COMMON_H
#define DP_SWEEP_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "sweep/result.h"
#include "sweep/sweep.h"

/* One boilerplate fingerprint of document `doc`: the k-gram at word `pos`. */
typedef struct dp_common_fp {
    uint64_t hash;
    uint32_t doc, pos;
} dp_common_fp;

typedef int (*dp_common_fn)(void *ctx, const dp_common_passage *c);

/*
 * Groups fps[n] (sorted by doc, then pos; reordered here) of documents docs[] whose
 * k-grams are k words long, and calls fn once per passage, in order of its first
 * document and span. A non-zero return of fn stops and is returned.
 */
int dp_common_passages(dp_common_fp *fps, size_t n, uint32_t k, uint32_t reach, const dp_sweep_doc *docs,
                       dp_common_fn fn, void *ctx);

#endif
