/*
 * From evidence to passages: sentence pairs of two documents that are similar in
 * meaning (sentence-vector cosine) or in words (shared verbatim token runs) are
 * matched one-to-one, chained along the diagonal into passages (small gaps and
 * local reordering allowed), scored, classified, and filtered.
 */
#ifndef DP_SWEEP_PASSAGES_H
#define DP_SWEEP_PASSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "sweep/result.h"

/* What the aligner needs of one sentence. */
typedef struct dp_sent_info {
    uint64_t start, end; /* original byte span */
    uint32_t words;      /* word/number tokens in it */
    uint32_t tok_begin;  /* first token index (for mapping verbatim runs) */
    uint8_t excluded;    /* template, quotation, bibliography or boilerplate: no evidence */
    uint8_t common;      /* excluded only as a passage of more than max_docs documents: no
                          * evidence, but still part of the document's size (a document mostly
                          * made of common text does not make one shared sentence a large share) */
} dp_sent_info;

/* A shared verbatim token run: tokens a_tok.. and b_tok.. of length len are equal. */
typedef struct dp_run {
    uint32_t a_tok, b_tok, len;
} dp_run;

/* Shared runs of this many words or more are phrases (runs of -k words are evidence). */
#define DP_PHRASE_WORDS 3

/* The sentence threshold of lexical evidence (a word overlap this high is a copied sentence). */
#define DP_PASSAGE_SENT_THRESHOLD 0.80f

typedef struct dp_passage_opts {
    float sent_threshold; /* a sentence pair counts when max(cosine, word overlap) >= this */
    uint32_t max_gap;     /* unmatched sentences allowed inside a passage */
    uint32_t min_words;   /* passages with fewer words (in the shorter side) are dropped */
    float verbatim_at;    /* word overlap at or above: verbatim */
    float edited_at;      /* word overlap at or above (below verbatim_at): edited, else paraphrase */
    uint32_t run_words;   /* a sentence pair sharing this many words in verbatim runs always counts
                             (0: only the thresholds decide) */
    float background_z;   /* meaning alone counts from this many standard deviations above the
                             pair's mean sentence cosine */
    float lone_at;        /* meaning alone without a neighbouring match counts from this cosine
                             (and only between each other's best partners) */
    float extend_at;      /* weaker evidence beside a match extends it from this score */
    uint32_t seed_run;    /* runs shorter than this are phrases only: they let weaker evidence
                             extend a passage but are no lexical evidence (0: every run is) */
} dp_passage_opts;

void dp_passage_opts_default(dp_passage_opts *o);

/* The passages of one document pair and how much of each document they cover. */
typedef struct dp_pair_passages {
    dp_passage *v;
    size_t n, cap;
    float a_coverage, b_coverage; /* word share covered, weighted by passage score, in [0,1] */
    float score;                  /* max of the two coverages */
} dp_pair_passages;

/*
 * Aligns documents A (na sentences) and B (nb sentences).
 * sims: [na][nb] sentence cosines (NULL: lexical evidence only).
 * a_near/b_near: [n][2] each sentence's cosine with the next and the one after (0 past the
 * end; NULL: none), so that a sentence can be compared with 2 or 3 consecutive sentences of
 * the other document taken together (their normalised vector sum): one long sentence
 * rendered as several short ones, or several condensed into one.
 * runs: verbatim token runs (may be empty); a_tok_sent/b_tok_sent map a token index to
 * its sentence index (arrays over each document's tokens, n_a_tok/n_b_tok entries).
 */
int dp_align_pair(const dp_sent_info *a, size_t na, const dp_sent_info *b, size_t nb, const float *sims,
                  const float *a_near, const float *b_near,
                  const dp_run *runs, size_t n_runs, const uint32_t *a_tok_sent, size_t n_a_tok,
                  const uint32_t *b_tok_sent, size_t n_b_tok, const dp_passage_opts *opts, dp_pair_passages *out);

void dp_pair_passages_free(dp_pair_passages *p);

#endif
