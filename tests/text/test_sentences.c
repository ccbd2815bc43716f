/* Sentence splitting on tricky prose; spans sliced from the original bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/sentences.h"

/* Splits in[0..len) (auto-detected) and compares the original slices with want[]. */
static void expect(const char *in, size_t len, const char *const *want, size_t nwant)
{
    dp_tokenizer *tk;
    assert_int_equal(dp_tokenizer_create(&tk, NULL, NULL), DOPPEL_OK);
    dp_text t;
    assert_int_equal(dp_text_decode(&t, in, len, DP_ENC_AUTO, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    dp_sentences s = {0};
    assert_int_equal(dp_split_sentences(&t, &toks, &s), DOPPEL_OK);
    for (size_t i = 0; i < s.n && i < nwant; i++) {
        const dp_sentence *x = &s.v[i];
        char got[512];
        size_t n = x->end - x->start;
        assert_true(n < sizeof got);
        memcpy(got, in + x->start, n);
        got[n] = '\0';
        assert_string_equal(got, want[i]);
        /* the sentences partition the tokens, in order */
        assert_int_equal(x->tok_begin, i ? s.v[i - 1].tok_end : 0);
        assert_int_equal(x->start, toks.v[x->tok_begin].start);
        assert_int_equal(x->end, toks.v[x->tok_end - 1].end);
        assert_int_equal(x->start, dp_text_orig(&t, x->dstart));
        assert_int_equal(x->end, dp_text_orig(&t, x->dend));
    }
    assert_int_equal(s.n, nwant);
    assert_int_equal(s.v[s.n - 1].tok_end, toks.n);
    dp_sentences_free(&s);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    dp_tokenizer_free(tk);
}

#define EXPECT(lit, ...)                                                              \
    do {                                                                              \
        static const char *const want_[] = {__VA_ARGS__};                             \
        expect(lit, sizeof lit - 1, want_, sizeof want_ / sizeof *want_);             \
    } while (0)

static void test_abbreviations_and_decimals(void **state)
{
    (void)state;
    EXPECT("Dr. Smith met Mr. J. R. Jones in the U.S. on Jan. 5. They talked, e.g. about pi "
           "(3.14159) and i.e. nothing else. Then he left!",
           "Dr. Smith met Mr. J. R. Jones in the U.S. on Jan. 5.",
           "They talked, e.g. about pi (3.14159) and i.e. nothing else.", "Then he left!");
    /* etc. ends a sentence only before a capital */
    EXPECT("Apples, pears etc. are fruit. We ate them etc. Then we slept.",
           "Apples, pears etc. are fruit.", "We ate them etc.", "Then we slept.");
    EXPECT("It cost $3.50. Version 2.0.1 is out.", "It cost $3.50.", "Version 2.0.1 is out.");
}

static void test_quotes_and_ellipses(void **state)
{
    (void)state;
    EXPECT("\"Stop,\" she said. \"Why?\" he asked. She replied: \"Because.\" And that was it...\n"
           "Wait... what? Really?! Yes.",
           "\"Stop,\" she said.", "\"Why?\" he asked.", "She replied: \"Because.\"",
           "And that was it...", "Wait... what?", "Really?!", "Yes.");
    /* curly quotes, brackets and the ellipsis character */
    EXPECT("He said \xE2\x80\x9CYes.\xE2\x80\x9D (Then left.) So\xE2\x80\xA6 it goes\xE2\x80\xA6 On.",
           "He said \xE2\x80\x9CYes.\xE2\x80\x9D", "(Then left.)", "So\xE2\x80\xA6 it goes\xE2\x80\xA6",
           "On.");
}

static void test_paragraphs_and_line_ends(void **state)
{
    (void)state;
    /* blank lines end a sentence (LF, CRLF, CR, NEL, lines holding only spaces) */
    EXPECT("A heading\n\nFirst line\nsame sentence\r\n \r\nNext\r\rLast\xC2\x85\xC2\x85" "End",
           "A heading", "First line\nsame sentence", "Next", "Last", "End");
    /* U+2029 PARAGRAPH SEPARATOR alone is a paragraph break */
    EXPECT("one\xE2\x80\xA9two", "one", "two");
}

static void test_cjk(void **state)
{
    (void)state;
    EXPECT("\xE4\xB8\xAD\xE6\x96\x87\xE3\x80\x82\xE6\x97\xA5\xE6\x9C\xAC\xEF\xBC\x81\xE6\x9C\xAC\xEF\xBC\x9F"
           "\xE5\xA5\xBD",
           "\xE4\xB8\xAD\xE6\x96\x87\xE3\x80\x82", "\xE6\x97\xA5\xE6\x9C\xAC\xEF\xBC\x81",
           "\xE6\x9C\xAC\xEF\xBC\x9F", "\xE5\xA5\xBD");
}

static void test_cp1252_offsets(void **state)
{
    (void)state;
    /* “Oui.” Non. — in Windows-1252, offsets are into these bytes */
    EXPECT("\x93Oui.\x94 Non.", "\x93Oui.\x94", "Non.");
}

/* Thousands of tokens without punctuation are cut at DP_SENTENCE_MAX_TOKENS. */
static void test_max_tokens(void **state)
{
    (void)state;
    size_t words = 3 * DP_SENTENCE_MAX_TOKENS + 10;
    char *in = malloc(words * 2);
    assert_non_null(in);
    for (size_t i = 0; i < words; i++)
        in[2 * i] = 'w', in[2 * i + 1] = ' ';
    dp_tokenizer *tk;
    assert_int_equal(dp_tokenizer_create(&tk, NULL, NULL), DOPPEL_OK);
    dp_text t;
    assert_int_equal(dp_text_decode(&t, in, words * 2, DP_ENC_AUTO, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    dp_sentences s = {0};
    assert_int_equal(dp_split_sentences(&t, &toks, &s), DOPPEL_OK);
    assert_int_equal(s.n, 4);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(s.v[i].tok_end - s.v[i].tok_begin, DP_SENTENCE_MAX_TOKENS);
    assert_int_equal(s.v[3].tok_end - s.v[3].tok_begin, 10);
    assert_int_equal(s.v[1].start, 2 * DP_SENTENCE_MAX_TOKENS);
    assert_int_equal(s.v[1].end, 4 * DP_SENTENCE_MAX_TOKENS - 1);
    dp_sentences_free(&s);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    dp_tokenizer_free(tk);
    free(in);
}

static void test_no_tokens(void **state)
{
    (void)state;
    dp_text t;
    assert_int_equal(dp_text_decode(&t, " \n\n ", 4, DP_ENC_AUTO, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    dp_sentences s = {0};
    assert_int_equal(dp_split_sentences(&t, &toks, &s), DOPPEL_OK);
    assert_int_equal(s.n, 0);
    dp_sentences_free(&s);
    dp_text_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abbreviations_and_decimals),
        cmocka_unit_test(test_quotes_and_ellipses),
        cmocka_unit_test(test_paragraphs_and_line_ends),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_cp1252_offsets),
        cmocka_unit_test(test_max_tokens),
        cmocka_unit_test(test_no_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
