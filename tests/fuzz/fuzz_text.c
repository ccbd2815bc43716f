/*
 * Target (a): decoding under every encoding, then the tokenizer, with and without
 * accent stripping. Byte 0 chooses: bits 0-1 the encoding, bit 2 strip_accents; the
 * rest is the document. Checked: decoded text is valid UTF-8 with a monotone offset
 * map; tokens are ordered, disjoint, inside both texts, their original spans are the
 * map of their decoded spans, and their normal forms are non-empty valid UTF-8.
 */
#include <string.h>

#include "fuzz_check.h"
#include "text/decode.h"
#include "text/tokenize.h"

static void check_tokens(const dp_text *t, const dp_tokens *toks, size_t in_len)
{
    size_t prev_dend = 0;
    for (size_t i = 0; i < toks->n; i++) {
        const dp_token *k = &toks->v[i];
        FUZZ_CHECK(k->dstart >= prev_dend && k->dstart < k->dend && k->dend <= t->len);
        FUZZ_CHECK(k->start == dp_text_orig(t, k->dstart) && k->end == dp_text_orig(t, k->dend));
        FUZZ_CHECK(k->start < k->end && k->end <= in_len);
        FUZZ_CHECK(k->kind >= DP_TOK_WORD && k->kind <= DP_TOK_CJK);
        const char *norm = dp_token_norm(toks, i);
        FUZZ_CHECK(k->norm_len > 0 && norm[k->norm_len] == '\0');
        FUZZ_CHECK((size_t)k->norm_off + k->norm_len < toks->norm_len + 1);
        fuzz_check_utf8(norm, k->norm_len);
        prev_dend = k->dend;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static dp_tokenizer *tk[2];
    if (size == 0)
        return 0;
    int strip = (data[0] >> 2) & 1;
    if (!tk[strip]) {
        dp_tokenizer_opts opts = {.strip_accents = strip};
        FUZZ_CHECK(dp_tokenizer_create(&tk[strip], &opts, NULL) == DOPPEL_OK);
    }
    dp_encoding enc = (dp_encoding)(data[0] & 3);
    const char *doc = (const char *)data + 1;
    size_t len = size - 1;

    dp_text t;
    FUZZ_CHECK(dp_text_decode(&t, doc, len, enc, NULL) == DOPPEL_OK);
    fuzz_check_text(&t, len);
    dp_tokens toks;
    memset(&toks, 0, sizeof toks);
    FUZZ_CHECK(dp_tokenize(tk[strip], &t, 0, t.len, &toks) == DOPPEL_OK);
    check_tokens(&t, &toks, len);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    return 0;
}
