/*
 * Verbatim passages of a document pair from fingerprint seeds: each seed (the same
 * k-gram at word a_pos in a and b_pos in b) is extended left and right over the two
 * word sequences into a maximal shared run; runs that follow each other on both
 * sides with gaps of at most max_gap words merge into one "edited" passage (a word
 * changed, inserted or dropped). Spans are original bytes, first word's start to
 * last word's end.
 */
#ifndef DP_SWEEP_VERBATIM_H
#define DP_SWEEP_VERBATIM_H

#include <stddef.h>
#include <stdint.h>

#include "sweep/fpindex.h"
#include "sweep/result.h"
#include "sweep/words.h"

#define DP_VERBATIM_DEFAULT_MAX_GAP 3

typedef struct dp_verbatim_opts {
    uint32_t k;         /* k-gram length the seeds were made with */
    uint32_t max_gap;   /* words skipped on either side when merging runs */
    uint32_t min_words; /* passages with fewer matched words are dropped */
} dp_verbatim_opts;

/*
 * Passages ordered by their start in a, into a malloc'd *out. Score: matched words
 * over the longer side's words in the passage (1 for verbatim). Seeds whose k-grams
 * differ (a 64-bit hash collision) are ignored.
 */
int dp_verbatim_passages(const dp_words *a, const dp_words *b, const dp_fp_seed *seeds,
                         size_t n_seeds, const dp_verbatim_opts *opts, dp_passage **out,
                         size_t *n_out);

#endif
