/*
 * Tokens with byte spans. One PCRE2 pattern (UTF + UCP), compiled once, finds them:
 *   CJK     one letter of the Han, Hiragana, Katakana or Thai scripts (by Unicode
 *           Script_Extensions, so ー and 々 count) with its combining marks
 *   NUMBER  decimal digits with inner '.' or ',' groups: 3.14, 1,000,000 (and any
 *           marks after them, so a keycap emoji 1️⃣ stays one token)
 *   WORD    letters and marks, with ' or U+2019 between letters: don't, l’homme
 *   PUNCT   any other character, one extended grapheme cluster (\X) at a time, so an
 *           emoji ZWJ sequence, a flag or a keycap stays one token
 * White space, control (Cc) and format (Cf) characters separate tokens and never
 * start one (a ZWJ inside an emoji cluster is part of that cluster).
 *
 * Each token's normalised form is NFKC + full case folding (utf8proc STABLE|COMPOSE|
 * COMPAT|CASEFOLD, plus STRIPMARK with strip_accents), with U+2019 folded to '.
 * Pure-ASCII tokens take a fast path (A-Z lowered inline), identical to utf8proc's
 * result. A token whose normal form is empty (a lone mark under strip_accents) is
 * dropped.
 */
#ifndef DP_TEXT_TOKENIZE_H
#define DP_TEXT_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "text/decode.h"

enum { DP_TOK_WORD = 1, DP_TOK_NUMBER, DP_TOK_PUNCT, DP_TOK_CJK };

typedef struct dp_token {
    size_t start, end;           /* ORIGINAL byte span */
    size_t dstart, dend;         /* span in dp_text.utf8 (decoded) */
    uint32_t norm_off, norm_len; /* normalised form: dp_tokens.norm[norm_off..+norm_len), NUL after */
    uint8_t kind;                /* DP_TOK_* */
} dp_token;

typedef struct dp_tokens {
    dp_token *v;
    size_t n, cap;
    char *norm; /* normal forms, each followed by a NUL */
    size_t norm_len, norm_cap;
} dp_tokens;

typedef struct dp_tokenizer_opts {
    int strip_accents;
} dp_tokenizer_opts;

/* Compiled pattern; immutable after create, so one tokenizer serves many threads. */
typedef struct dp_tokenizer dp_tokenizer;

int dp_tokenizer_create(dp_tokenizer **out, const dp_tokenizer_opts *opts, doppel_diag *diag);
void dp_tokenizer_free(dp_tokenizer *t);

/* Appends the tokens of the decoded range [dfrom, dto) of text (both on character
 * boundaries) to out. Fails with DOPPEL_ERR_NOMEM, DOPPEL_ERR_TOO_LARGE (normal forms
 * past 4 GiB) or DOPPEL_ERR_REGEX. */
int dp_tokenize(const dp_tokenizer *tk, const dp_text *text, size_t dfrom, size_t dto, dp_tokens *out);

/* Forgets the tokens, keeps the memory. */
void dp_tokens_clear(dp_tokens *t);
void dp_tokens_free(dp_tokens *t);

static inline const char *dp_token_norm(const dp_tokens *t, size_t i)
{
    return t->norm + t->v[i].norm_off;
}

#endif
