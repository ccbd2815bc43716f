/*
 * Text to verbatim passages, end to end: decode, tokenize, words, winnow, index,
 * seeds, runs. The expected byte spans are found in the test texts independently
 * (strstr), so every offset is checked against the original bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sweep/fpindex.h"
#include "sweep/verbatim.h"
#include "sweep/winnow.h"
#include "sweep/words.h"
#include "text/decode.h"
#include "text/tokenize.h"

static void words_of(const char *s, dp_words *w)
{
    dp_text t;
    dp_tokenizer *tk;
    dp_tokens toks = {0};
    assert_int_equal(dp_text_decode(&t, s, strlen(s), DP_ENC_AUTO, NULL), DOPPEL_OK);
    assert_int_equal(dp_tokenizer_create(&tk, &(dp_tokenizer_opts){0}, NULL), DOPPEL_OK);
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    assert_int_equal(dp_words_from_tokens(w, &toks, 0), DOPPEL_OK);
    dp_tokens_free(&toks);
    dp_tokenizer_free(tk);
    dp_text_free(&t);
}

/* The passages between texts a and b through the whole lexical chain. */
static size_t passages(const char *a, const char *b, uint32_t max_gap, dp_passage **out)
{
    dp_words wa, wb;
    words_of(a, &wa);
    words_of(b, &wb);
    dp_winnow_opts wo = {.k = 4, .t = 6};
    dp_fingerprint *fa, *fb;
    size_t nfa, nfb;
    assert_int_equal(dp_winnow(wa.hash, wa.n, &wo, &fa, &nfa), DOPPEL_OK);
    assert_int_equal(dp_winnow(wb.hash, wb.n, &wo, &fb, &nfb), DOPPEL_OK);
    dp_fpindex *ix;
    uint32_t da, db;
    assert_int_equal(dp_fpindex_create(&ix), DOPPEL_OK);
    assert_int_equal(dp_fpindex_add(ix, fa, nfa, &da), DOPPEL_OK);
    assert_int_equal(dp_fpindex_add(ix, fb, nfb, &db), DOPPEL_OK);
    assert_int_equal(dp_fpindex_finalize(ix), DOPPEL_OK);
    dp_fp_seed *seeds;
    size_t ns, np;
    assert_int_equal(dp_fpindex_seeds(ix, da, db, 0, &seeds, &ns), DOPPEL_OK);
    dp_verbatim_opts vo = {.k = 4, .max_gap = max_gap, .min_words = 4};
    assert_int_equal(dp_verbatim_passages(&wa, &wb, seeds, ns, &vo, out, &np), DOPPEL_OK);
    free(seeds);
    dp_fpindex_free(ix);
    free(fa), free(fb);
    dp_words_free(&wa), dp_words_free(&wb);
    return np;
}

static void expect_span(const char *doc, uint64_t s, uint64_t e, const char *text)
{
    const char *p = strstr(doc, text);
    assert_non_null(p);
    assert_int_equal(s, (uint64_t)(p - doc));
    assert_int_equal(e, (uint64_t)(p - doc) + strlen(text));
}

static void test_verbatim_run(void **state)
{
    (void)state;
    const char *a = "Rivers shape valleys. The Quick brown fox jumps over the lazy dog near "
                    "the old mill, said the report. Nothing else matches here at all.";
    const char *b = "Yesterday, \"the quick brown fox jumps, over the LAZY dog near the old "
                    "mill\" — they wrote. Different words follow in this one.";
    dp_passage *p;
    size_t n = passages(a, b, 3, &p);
    assert_int_equal(n, 1);
    /* Case and punctuation differ; the run covers the same 12 words on both sides. */
    expect_span(a, p[0].a_start, p[0].a_end,
                "The Quick brown fox jumps over the lazy dog near the old mill");
    expect_span(b, p[0].b_start, p[0].b_end,
                "the quick brown fox jumps, over the LAZY dog near the old mill");
    assert_int_equal(p[0].kind, DP_PASSAGE_VERBATIM);
    assert_true(p[0].score == 1.0f);
    free(p);
}

static void test_edited_merge(void **state)
{
    (void)state;
    const char *a = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
                    "omicron pi rho sigma tau upsilon";
    const char *b = "one two alpha beta gamma delta epsilon zeta eta theta CHANGED kappa lambda "
                    "mu nu xi omicron pi rho three four";
    dp_passage *p;
    size_t n = passages(a, b, 3, &p);
    assert_int_equal(n, 1);
    expect_span(a, p[0].a_start, p[0].a_end, "alpha beta gamma delta epsilon zeta eta theta "
                                             "iota kappa lambda mu nu xi omicron pi rho");
    expect_span(b, p[0].b_start, p[0].b_end, "alpha beta gamma delta epsilon zeta eta theta "
                                             "CHANGED kappa lambda mu nu xi omicron pi rho");
    assert_int_equal(p[0].kind, DP_PASSAGE_EDITED);
    assert_true(p[0].score == 16.0f / 17.0f); /* 16 matched of 17 words */
    free(p);
    /* No gap allowed: two verbatim passages instead. */
    n = passages(a, b, 0, &p);
    assert_int_equal(n, 2);
    expect_span(a, p[0].a_start, p[0].a_end, "alpha beta gamma delta epsilon zeta eta theta");
    expect_span(b, p[1].b_start, p[1].b_end, "kappa lambda mu nu xi omicron pi rho");
    assert_int_equal(p[0].kind, DP_PASSAGE_VERBATIM);
    assert_int_equal(p[1].kind, DP_PASSAGE_VERBATIM);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verbatim_run),
        cmocka_unit_test(test_edited_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
