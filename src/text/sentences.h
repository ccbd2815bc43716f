/*
 * Sentences over a token sequence. A sentence ends after a run of terminal
 * punctuation (. ! ? … ‼ ⁇ ⁈ ⁉ and the CJK 。！？｡), together with any closing quotes
 * or brackets written right after it (no space between), unless
 *  - the next token starts with a lowercase letter ("approx. three", "“Why?” she asked"),
 *  - the run is a single '.' right after a word that rarely ends a sentence (the list
 *    `abbreviations` in sentences.c: titles Mr Mrs Ms Dr Prof St ..., vs cf fig approx
 *    no p pp vol ed, month names), after a single capital letter ("J. Smith", "U.S."),
 *    or after a single letter that itself follows "x." ("e.g.", "i.e."),
 *  Other abbreviations ("etc.", "Inc.") end a sentence only before a capital, which is
 *  the general rule above.
 *  - the run is an ellipsis (several dots, or …) and the next token is not capitalised.
 * Numbers such as 3.14 are one token, so decimals never split. A blank line (two line
 * ends with only white space between) always ends a sentence, as does U+2029.
 * A sentence never holds more than DP_SENTENCE_MAX_TOKENS tokens: a longer run without
 * a break is cut into pieces of that size.
 */
#ifndef DP_TEXT_SENTENCES_H
#define DP_TEXT_SENTENCES_H

#include <stddef.h>

#include "text/decode.h"
#include "text/tokenize.h"

/* 128: what the encoder takes of one text (model/encoder.h uses this cap), so every
 * token of a sentence reaches its vector. */
#define DP_SENTENCE_MAX_TOKENS 128

typedef struct dp_sentence {
    size_t start, end;          /* ORIGINAL byte span, first token start .. last token end */
    size_t dstart, dend;        /* decoded span */
    size_t tok_begin, tok_end;  /* token index range [tok_begin, tok_end) in the dp_tokens used */
} dp_sentence;

typedef struct dp_sentences {
    dp_sentence *v;
    size_t n, cap;
} dp_sentences;

/* Appends the sentences of all of toks (made from text) to out. */
int dp_split_sentences(const dp_text *text, const dp_tokens *toks, dp_sentences *out);

void dp_sentences_free(dp_sentences *s);

#endif
