/* The tokenizer: golden tokens, kinds and normal forms across scripts, every span
 * checked against the original bytes (span_check.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "span_check.h"

#define W DP_TOK_WORD
#define N DP_TOK_NUMBER
#define P DP_TOK_PUNCT
#define C DP_TOK_CJK

/* Tokenizes in[0..len) and checks normal forms joined by '|', kinds, and all spans. */
static void expect(const char *in, size_t len, dp_encoding enc, int strip, const char *joined,
                   const uint8_t *kinds)
{
    dp_tokenizer *tk;
    dp_tokenizer_opts o = {.strip_accents = strip};
    assert_int_equal(dp_tokenizer_create(&tk, &o, NULL), DOPPEL_OK);
    dp_text t;
    assert_int_equal(dp_text_decode(&t, in, len, enc, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    char buf[1024] = "";
    for (size_t i = 0; i < toks.n; i++) {
        if (i)
            strcat(buf, "|");
        strcat(buf, dp_token_norm(&toks, i));
    }
    assert_string_equal(buf, joined);
    if (kinds)
        for (size_t i = 0; i < toks.n; i++)
            assert_int_equal(toks.v[i].kind, kinds[i]);
    check_spans(in, len, &t, &toks, strip);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    dp_tokenizer_free(tk);
}

#define EXPECT(lit, joined, ...) \
    expect(lit, sizeof lit - 1, DP_ENC_AUTO, 0, joined, (const uint8_t[]){__VA_ARGS__})

static void test_english(void **state)
{
    (void)state;
    EXPECT("Hello, World! Don't stop: 3.14 and 1,000.",
           "hello|,|world|!|don't|stop|:|3.14|and|1,000|.", W, P, W, P, W, W, P, N, W, N, P);
    /* ’ inside a word is an apostrophe, folded to '; a leading one is punctuation */
    EXPECT("it\xE2\x80\x99s \xE2\x80\x99twas rock'n'roll 3rd",
           "it's|'|twas|rock'n'roll|3|rd", W, P, W, W, N, W);
    EXPECT("v1.2.3 ,5 12,", "v|1.2.3|,|5|12|,", W, N, P, N, N, P);
}

static void test_european(void **state)
{
    (void)state;
    EXPECT("Straße GRÖẞE Äpfel", "strasse|grösse|äpfel", W, W, W);
    /* Turkish: İ case-folds to i + U+0307, ı stays dotless */
    EXPECT("\xC4\xB0stanbul \xC4\xB1s\xC4\xB1k",
           "i\xCC\x87stanbul|\xC4\xB1s\xC4\xB1k", W, W);
    /* Greek: capital and final sigma both fold to σ */
    EXPECT("\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x9F\xCE\xA3 \xCF\x83\xCE\xBF\xCF\x86\xCF\x8C\xCF\x82",
           "\xCF\x83\xCE\xBF\xCF\x86\xCE\xBF\xCF\x83|\xCF\x83\xCE\xBF\xCF\x86\xCF\x8C\xCF\x83", W, W);
    /* e + U+0301 composes to é (2 bytes) but the span keeps all 3 original bytes */
    EXPECT("cafe\xCC\x81!", "caf\xC3\xA9|!", W, P);
    expect("cafe\xCC\x81 na\xC3\xAFve \xEF\xAC\x81n", 18, DP_ENC_AUTO, 1, "cafe|naive|fin", NULL);
    /* a lone combining mark is a word; stripped to nothing it is dropped */
    EXPECT("a \xCC\x81 b", "a|\xCC\x81|b", W, W, W);
    expect("a \xCC\x81 b", 6, DP_ENC_AUTO, 1, "a|b", NULL);
}

static void test_arabic_and_cjk(void **state)
{
    (void)state;
    EXPECT("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD8\xA8\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85\xD8\x9F",
           "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7|\xD8\xA8\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85|\xD8\x9F",
           W, W, P);
    /* 中文，abc。 : each Han character a token, fullwidth comma -> ',' */
    EXPECT("\xE4\xB8\xAD\xE6\x96\x87\xEF\xBC\x8C" "abc\xE3\x80\x82",
           "\xE4\xB8\xAD|\xE6\x96\x87|,|abc|\xE3\x80\x82", C, C, P, W, P);
    /* ひらカタ漢 + halfwidth ｶ (-> カ) + ー (a letter used by both kana scripts) */
    EXPECT("\xE3\x81\xB2\xE3\x82\x89\xE3\x82\xAB\xE3\x82\xBF\xE6\xBC\xA2\xEF\xBD\xB6\xE3\x83\xBC",
           "\xE3\x81\xB2|\xE3\x82\x89|\xE3\x82\xAB|\xE3\x82\xBF|\xE6\xBC\xA2|\xE3\x82\xAB|\xE3\x83\xBC",
           C, C, C, C, C, C, C);
    /* Thai: one token per base character, marks attached: ก + ◌ิ, น */
    EXPECT("\xE0\xB8\x81\xE0\xB8\xB4\xE0\xB8\x99", "\xE0\xB8\x81\xE0\xB8\xB4|\xE0\xB8\x99", C, C);
}

static void test_emoji(void **state)
{
    (void)state;
    /* thumbs up + skin tone, family ZWJ sequence, flag, keycap: one token each */
    EXPECT("hi\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD "
           "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 "
           "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xAB 1\xEF\xB8\x8F\xE2\x83\xA3",
           "hi|\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD|"
           "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7|"
           "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7|\xF0\x9F\x87\xAB|1\xEF\xB8\x8F\xE2\x83\xA3",
           W, P, P, P, P, N);
    /* a lone ZWJ or ZWSP separates, it never makes a token */
    EXPECT("a\xE2\x80\x8D" "b\xE2\x80\x8B" "c", "a|b|c", W, W, W);
}

static void test_controls_and_line_ends(void **state)
{
    (void)state;
    static const char in[] = "a\0b\x01" "c\r\nd\re\xC2\x85" "f\x7f" "g\t\vh";
    expect(in, sizeof in - 1, DP_ENC_AUTO, 0, "a|b|c|d|e|f|g|h", NULL);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* overlong C0 AF (2), surrogate ED A0 80 (3), truncated E2 82 (1), stray 80 (1):
     * each maximal subpart becomes one U+FFFD punctuation token with its own span */
    static const char in[] = "ab\xC0\xAF" "cd\xED\xA0\x80" "ef\xE2\x82" "gh\x80";
    expect(in, sizeof in - 1, DP_ENC_UTF8, 0,
           "ab|\xEF\xBF\xBD|\xEF\xBF\xBD|cd|\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD|ef|\xEF\xBF\xBD|gh|\xEF\xBF\xBD",
           (const uint8_t[]){W, P, P, W, P, P, P, W, P, W, P});
}

static void test_utf16(void **state)
{
    (void)state;
    /* "Hé 😀" little-endian and big-endian, with BOM */
    static const char le[] = "\xFF\xFEH\0\xE9\0 \0\x3D\xD8\x00\xDE";
    static const char be[] = "\xFE\xFF\0H\0\xE9\0 \xD8\x3D\xDE\x00";
    expect(le, sizeof le - 1, DP_ENC_AUTO, 0, "h\xC3\xA9|\xF0\x9F\x98\x80", (const uint8_t[]){W, P});
    expect(be, sizeof be - 1, DP_ENC_AUTO, 0, "h\xC3\xA9|\xF0\x9F\x98\x80", (const uint8_t[]){W, P});
    dp_tokenizer *tk;
    assert_int_equal(dp_tokenizer_create(&tk, NULL, NULL), DOPPEL_OK);
    dp_text t;
    assert_int_equal(dp_text_decode(&t, le, sizeof le - 1, DP_ENC_AUTO, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    assert_int_equal(toks.v[0].start, 2);
    assert_int_equal(toks.v[0].end, 6);
    assert_int_equal(toks.v[1].start, 8);
    assert_int_equal(toks.v[1].end, 12);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    dp_tokenizer_free(tk);
}

static void test_cp1252(void **state)
{
    (void)state;
    /* “Café” costs €5 — in Windows-1252 */
    static const char in[] = "\x93" "Caf\xE9\x94 costs \x80" "5";
    expect(in, sizeof in - 1, DP_ENC_AUTO, 0,
           "\xE2\x80\x9C|caf\xC3\xA9|\xE2\x80\x9D|costs|\xE2\x82\xAC|5", (const uint8_t[]){P, W, P, W, P, N});
}

/* The ASCII fast path must agree with utf8proc for every printable ASCII character. */
static void test_ascii_fast_path_matches_utf8proc(void **state)
{
    (void)state;
    char in[200];
    size_t n = 0;
    for (int c = 0x21; c < 0x7F; c++)
        in[n++] = (char)c, in[n++] = ' ';
    dp_tokenizer *tk;
    assert_int_equal(dp_tokenizer_create(&tk, NULL, NULL), DOPPEL_OK);
    dp_text t;
    assert_int_equal(dp_text_decode(&t, in, n, DP_ENC_AUTO, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    assert_int_equal(toks.n, 0x7F - 0x21);
    check_spans(in, n, &t, &toks, 0);
    /* a sub-range tokenizes only that range, appending */
    assert_int_equal(dp_tokenize(tk, &t, 2, 6, &toks), DOPPEL_OK);
    assert_int_equal(toks.n, 0x7F - 0x21 + 2);
    assert_string_equal(dp_token_norm(&toks, toks.n - 2), "\"");
    assert_string_equal(dp_token_norm(&toks, toks.n - 1), "#");
    dp_tokens_clear(&toks);
    assert_int_equal(toks.n, 0);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    dp_tokenizer_free(tk);
}

/* A long input goes through the geometric growth paths; spans still hold. */
static void test_long_input(void **state)
{
    (void)state;
    size_t reps = 5000;
    const char unit[] = "Gr\xC3\xBC\xC3\x9F" "e 42 ";
    size_t ul = sizeof unit - 1;
    char *in = malloc(reps * ul);
    assert_non_null(in);
    for (size_t i = 0; i < reps; i++)
        memcpy(in + i * ul, unit, ul);
    dp_tokenizer *tk;
    assert_int_equal(dp_tokenizer_create(&tk, NULL, NULL), DOPPEL_OK);
    dp_text t;
    assert_int_equal(dp_text_decode(&t, in, reps * ul, DP_ENC_AUTO, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    assert_int_equal(toks.n, 2 * reps);
    assert_string_equal(dp_token_norm(&toks, 2 * reps - 2), "gr\xC3\xBCsse");
    assert_int_equal(toks.v[2 * reps - 1].start, (reps - 1) * ul + 8);
    check_spans(in, reps * ul, &t, &toks, 0);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    dp_tokenizer_free(tk);
    free(in);
}

/* The public API gives the same tokens and sentences. */
static void test_public_doc(void **state)
{
    (void)state;
    doppel_tokenizer *tk;
    assert_int_equal(doppel_tokenizer_create(&tk, 0, NULL), DOPPEL_OK);
    static const char in[] = "\xEF\xBB\xBFOne t\xC3\xA9st. Two\xFF!";
    doppel_doc *doc;
    assert_int_equal(doppel_doc_create(&doc, tk, in, sizeof in - 1, DOPPEL_ENC_UTF8, NULL), DOPPEL_OK);
    const doppel_token *tok;
    assert_int_equal(doppel_doc_tokens(doc, &tok), 6);
    assert_string_equal(tok[1].norm, "t\xC3\xA9st");
    assert_int_equal(tok[1].start, 7);
    assert_int_equal(tok[1].end, 12);
    assert_int_equal(tok[1].kind, DOPPEL_TOK_WORD);
    assert_int_equal(tok[4].start, 17);
    assert_int_equal(tok[4].end, 18);
    assert_string_equal(tok[4].norm, "\xEF\xBF\xBD");
    const doppel_sentence *s;
    assert_int_equal(doppel_doc_sentences(doc, &s), 2);
    assert_int_equal(s[0].start, 3);
    assert_int_equal(s[0].end, 13);
    assert_int_equal(s[1].tok_begin, 3);
    assert_int_equal(s[1].tok_end, 6);
    doppel_decode_info info;
    doppel_doc_decode_info(doc, &info);
    assert_int_equal(info.invalid_count, 1);
    assert_int_equal(info.first_invalid, 17);
    size_t len;
    const char *text = doppel_doc_text(doc, &len);
    assert_int_equal(s[0].dend - s[0].dstart, 10);
    assert_memory_equal(text + s[0].dstart, "One t\xC3\xA9st.", 10);
    doppel_doc_free(doc);
    doppel_doc_free(NULL);
    doppel_tokenizer_free(tk);
    doppel_tokenizer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_european),
        cmocka_unit_test(test_arabic_and_cjk),
        cmocka_unit_test(test_emoji),
        cmocka_unit_test(test_controls_and_line_ends),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_ascii_fast_path_matches_utf8proc),
        cmocka_unit_test(test_long_input),
        cmocka_unit_test(test_public_doc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
