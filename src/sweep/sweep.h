/*
 * The pairwise document sweep: documents go in one at a time (each is decoded,
 * tokenized, split into sentences and encoded once), then dp_sweep_run finds the
 * candidate pairs, aligns each into passages, scores it, and hands every pair at or
 * above the threshold to a callback.
 *
 * Evidence that does not count: template text (--template; verbatim runs or
 * sentences close in meaning), passages found in more than max_docs documents,
 * quotations and a trailing references section when asked.
 */
#ifndef DP_SWEEP_SWEEP_H
#define DP_SWEEP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "model/encoder.h"
#include "sweep/passages.h"
#include "sweep/result.h"

typedef struct dp_sweep_opts {
    uint32_t k;               /* shortest verbatim run, in words */
    uint32_t max_docs;        /* word k-grams in more documents than this are boilerplate */
    uint32_t min_match;       /* passages shorter than this many words are not reported */
    float threshold;          /* pair score to report (inclusive); 0 reports every compared pair */
    float sent_threshold;     /* sentence pair evidence: max(cosine, word overlap) */
    float template_sim;       /* a sentence this close to a template sentence is template */
    uint32_t top_k;           /* neighbours per document when candidates are used */
    uint32_t all_pairs_limit; /* corpora up to this size compare every pair */
    int all_pairs;            /* compare every pair whatever the size */
    int ignore_quotes;
    int ignore_references;
} dp_sweep_opts;

void dp_sweep_opts_default(dp_sweep_opts *o);

typedef struct dp_sweep dp_sweep;

/* enc is borrowed (NULL: lexical evidence only). */
int dp_sweep_create(dp_sweep **s, dp_encoder *enc, size_t out_dim, const dp_sweep_opts *opts);
void dp_sweep_free(dp_sweep *s);

/* Template text handed out to everyone; add templates before documents. */
int dp_sweep_add_template(dp_sweep *s, const char *bytes, size_t len, doppel_diag *diag);

/* A document of the corpus (is_reference: compared with the others, not with other
 * references). The id is copied. Fails with DOPPEL_ERR_EMPTY for a text without words. */
int dp_sweep_add(dp_sweep *s, const char *id, const char *bytes, size_t len, int is_reference,
                 doppel_diag *diag);

typedef struct dp_sweep_stats {
    size_t documents, pairs_compared, pairs_reported;
} dp_sweep_stats;

/* Called for each reported pair, in a deterministic order, with the documents' numbers
 * (the order they were added in); a non-zero return stops the run and is returned. */
typedef int (*dp_sweep_pair_fn)(void *ctx, const dp_pair_result *pair, uint32_t a, uint32_t b);
/* Called as pairs are aligned (done of total), for progress displays; may be NULL. */
typedef void (*dp_sweep_progress_fn)(void *ctx, size_t done, size_t total);

int dp_sweep_run(dp_sweep *s, dp_sweep_pair_fn on_pair, dp_sweep_progress_fn progress, void *ctx,
                 dp_sweep_stats *stats);

#endif
