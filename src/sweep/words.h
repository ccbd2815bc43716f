/*
 * A document as the lexical matcher sees it: its word tokens (WORD, NUMBER and CJK;
 * punctuation ignored), each as a 64-bit hash of its normalised form with its
 * original byte span. Fingerprints and verbatim runs are positions in this sequence.
 */
#ifndef DP_SWEEP_WORDS_H
#define DP_SWEEP_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "text/tokenize.h"

typedef struct dp_words {
    uint64_t *hash;       /* [n] dp_hash64 of the normalised token */
    uint64_t *start, *end; /* [n] original byte span */
    size_t n;
} dp_words;

/* DOPPEL_OK or DOPPEL_ERR_NOMEM; w is overwritten (free with dp_words_free). */
int dp_words_from_tokens(dp_words *w, const dp_tokens *toks, uint64_t seed);
void dp_words_free(dp_words *w);

#endif
