/* Checks every token span against the ORIGINAL bytes: original[start:end], decoded on
 * its own and normalised with utf8proc directly (no fast path), must give the token's
 * normal form. Included by the text test programs. */
#ifndef DP_TEST_SPAN_CHECK_H
#define DP_TEST_SPAN_CHECK_H

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/decode.h"
#include "text/tokenize.h"

static void check_spans(const char *orig, size_t olen, const dp_text *text, const dp_tokens *toks,
                        int strip)
{
    for (size_t i = 0; i < toks->n; i++) {
        const dp_token *t = &toks->v[i];
        assert_true(t->start < t->end);
        assert_true(t->end <= olen);
        assert_true(t->dstart < t->dend && t->dend <= text->len);
        assert_int_equal(t->start, dp_text_orig(text, t->dstart));
        assert_int_equal(t->end, dp_text_orig(text, t->dend));
        /* the slice re-decoded alone (UTF-16 needs its BOM in front) */
        size_t n = t->end - t->start;
        char *slice = malloc(n + 2);
        assert_non_null(slice);
        size_t pre = 0;
        if (text->utf16) {
            slice[0] = text->utf16 == 1 ? '\xFF' : '\xFE';
            slice[1] = text->utf16 == 1 ? '\xFE' : '\xFF';
            pre = 2;
        }
        memcpy(slice + pre, orig + t->start, n);
        dp_text sub;
        assert_int_equal(dp_text_decode(&sub, slice, n + pre, text->utf16 ? DP_ENC_AUTO : text->used, NULL),
                         DOPPEL_OK);
        utf8proc_uint8_t *m = NULL;
        int opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD;
        if (strip)
            opts |= UTF8PROC_STRIPMARK;
        utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)sub.utf8, (utf8proc_ssize_t)sub.len, &m,
                                          (utf8proc_option_t)opts);
        assert_true(k >= 0);
        /* the tokenizer folds U+2019 to an ASCII apostrophe */
        char *w = (char *)m;
        for (char *q = strstr(w, "\xE2\x80\x99"); q; q = strstr(w, "\xE2\x80\x99")) {
            *q = '\'';
            memmove(q + 1, q + 3, strlen(q + 3) + 1);
        }
        assert_string_equal(w, dp_token_norm(toks, i));
        assert_int_equal(strlen(w), t->norm_len);
        free(m);
        dp_text_free(&sub);
        free(slice);
    }
}

#endif
