/* Verbatim runs within a pair (dp_find_runs): maximal runs across case and punctuation
 * differences, a changed word splitting a run, skip marks, and random sequences
 * against a brute-force reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "doppel.h"
#include "sweep/runs.h"
#include "text/decode.h"
#include "text/hashvocab.h"
#include "text/tokenize.h"

/* Word hashes of a text as the sweep makes them: normalised word tokens only. */
static size_t words_of(const char *s, uint32_t *w, size_t cap)
{
    dp_tokenizer *tk;
    dp_text text = {0};
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenizer_create(&tk, NULL, NULL), DOPPEL_OK);
    assert_int_equal(dp_text_decode(&text, s, strlen(s), DP_ENC_AUTO, NULL), DOPPEL_OK);
    assert_int_equal(dp_tokenize(tk, &text, 0, text.len, &toks), DOPPEL_OK);
    size_t n = 0;
    for (size_t t = 0; t < toks.n; t++)
        if (toks.v[t].kind == DP_TOK_WORD || toks.v[t].kind == DP_TOK_NUMBER) {
            assert_true(n < cap);
            w[n++] = (uint32_t)dp_hash64(dp_token_norm(&toks, t), toks.v[t].norm_len, 1);
        }
    dp_tokens_free(&toks);
    dp_text_free(&text);
    dp_tokenizer_free(tk);
    return n;
}

static void test_case_and_punctuation(void **state)
{
    (void)state;
    uint32_t a[64], b[64];
    size_t na = words_of("Rivers shape valleys. The Quick brown fox jumps over the lazy dog near "
                         "the old mill, said the report.", a, 64);
    size_t nb = words_of("Yesterday, \"the quick brown fox jumps, over the LAZY dog near the old "
                         "mill\" they wrote.", b, 64);
    dp_run *r;
    size_t n;
    assert_int_equal(dp_find_runs(a, na, NULL, b, nb, NULL, 3, &r, &n), DOPPEL_OK);
    /* one maximal run: "the quick ... old mill", 13 words, word 3 of a, word 1 of b */
    assert_int_equal(n, 1);
    assert_int_equal(r[0].a_tok, 3);
    assert_int_equal(r[0].b_tok, 1);
    assert_int_equal(r[0].len, 13);
    free(r);
    /* longer than the run: nothing */
    assert_int_equal(dp_find_runs(a, na, NULL, b, nb, NULL, 14, &r, &n), DOPPEL_OK);
    assert_int_equal(n, 0);
    free(r);
}

static void test_changed_word_and_skip(void **state)
{
    (void)state;
    uint32_t a[64], b[64];
    size_t na = words_of("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
                         "omicron pi rho sigma", a, 64);
    size_t nb = words_of("one two alpha beta gamma delta epsilon zeta eta theta CHANGED kappa lambda "
                         "mu nu xi omicron pi rho three", b, 64);
    dp_run *r;
    size_t n;
    assert_int_equal(dp_find_runs(a, na, NULL, b, nb, NULL, 3, &r, &n), DOPPEL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].a_tok, 0), assert_int_equal(r[0].b_tok, 2), assert_int_equal(r[0].len, 8);
    assert_int_equal(r[1].a_tok, 9), assert_int_equal(r[1].b_tok, 11), assert_int_equal(r[1].len, 8);
    free(r);
    /* a skipped word in a cuts the first run to "alpha beta gamma" and "epsilon .. theta" */
    uint8_t skip[64] = {0};
    skip[3] = 1;
    assert_int_equal(dp_find_runs(a, na, skip, b, nb, NULL, 3, &r, &n), DOPPEL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].a_tok, 0), assert_int_equal(r[0].len, 3);
    assert_int_equal(r[1].a_tok, 4), assert_int_equal(r[1].len, 4);
    free(r);
}

/* Every maximal run of >= k equal, unskipped words along each diagonal, by brute force. */
static size_t brute_runs(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, const uint8_t *skip_a,
                         uint32_t k, dp_run *out)
{
    size_t n = 0;
    for (size_t j = 0; j < nb; j++)
        for (size_t i = 0; i < na; i++) {
            if (i > 0 && j > 0 && a[i - 1] == b[j - 1] && !skip_a[i - 1] && !skip_a[i] && a[i] == b[j])
                continue; /* not the start of a run */
            size_t len = 0;
            while (i + len < na && j + len < nb && a[i + len] == b[j + len] && !skip_a[i + len])
                len++;
            if (len >= k)
                out[n++] = (dp_run){(uint32_t)i, (uint32_t)j, (uint32_t)len};
        }
    return n;
}

static void test_random_against_brute_force(void **state)
{
    (void)state;
    dp_rng rng;
    dp_rng_seed(&rng, 42);
    for (int round = 0; round < 200; round++) {
        uint32_t a[80], b[80];
        uint8_t skip[80];
        size_t na = 20 + dp_rng_below(&rng, 60), nb = 20 + dp_rng_below(&rng, 60);
        /* a small alphabet, and b partly copied from a, so runs of every length occur */
        for (size_t i = 0; i < na; i++)
            a[i] = dp_rng_below(&rng, 3), skip[i] = dp_rng_below(&rng, 20) == 0;
        for (size_t j = 0; j < nb; j++)
            b[j] = dp_rng_below(&rng, 2) ? a[dp_rng_below(&rng, (uint32_t)na)] : dp_rng_below(&rng, 3);
        size_t off = dp_rng_below(&rng, (uint32_t)(na < nb ? na : nb) / 2);
        memcpy(b + off, a, (na < nb ? na : nb) / 2 * sizeof *a);
        uint32_t k = 2 + dp_rng_below(&rng, 4);
        dp_run want[80 * 80], *got;
        size_t n_want = brute_runs(a, na, b, nb, skip, k, want), n_got;
        assert_int_equal(dp_find_runs(a, na, skip, b, nb, NULL, k, &got, &n_got), DOPPEL_OK);
        assert_int_equal(n_got, n_want);
        for (size_t x = 0; x < n_want; x++) {
            int found = 0;
            for (size_t y = 0; y < n_got && !found; y++)
                found = got[y].a_tok == want[x].a_tok && got[y].b_tok == want[x].b_tok && got[y].len == want[x].len;
            assert_true(found);
        }
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_and_punctuation),
        cmocka_unit_test(test_changed_word_and_skip),
        cmocka_unit_test(test_random_against_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
