/* Decoding: encodings picked by AUTO, U+FFFD substitution per maximal subpart, and the
 * decoded -> original offset map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "text/decode.h"

#define FFFD "\xEF\xBF\xBD"

static void decode(dp_text *t, const char *in, size_t len, dp_encoding enc)
{
    assert_int_equal(dp_text_decode(t, in, len, enc, NULL), DOPPEL_OK);
    assert_int_equal(t->utf8[t->len], '\0');
    assert_int_equal(dp_text_orig(t, t->len), len);
    /* the inverse map: every character's first decoded byte is found from its original offset */
    for (size_t i = 0; i <= t->len; i++)
        if (i == 0 || dp_text_orig(t, i) != dp_text_orig(t, i - 1))
            assert_int_equal(dp_text_decoded_pos(t, dp_text_orig(t, i)), i);
}

static void test_valid_utf8_and_bom(void **state)
{
    (void)state;
    dp_text t;
    decode(&t, "a\0\xC3\xA9", 4, DP_ENC_AUTO);
    assert_int_equal(t.used, DP_ENC_UTF8);
    assert_null(t.orig);
    assert_int_equal(t.len, 4);
    assert_memory_equal(t.utf8, "a\0\xC3\xA9", 4);
    assert_int_equal(t.first_invalid, SIZE_MAX);
    dp_text_free(&t);

    decode(&t, "\xEF\xBB\xBFhi", 5, DP_ENC_UTF8);
    assert_null(t.orig);
    assert_int_equal(t.shift, 3);
    assert_string_equal(t.utf8, "hi");
    assert_int_equal(dp_text_orig(&t, 0), 3);
    assert_int_equal(dp_text_decoded_pos(&t, 1), 0); /* inside the BOM */
    assert_int_equal(dp_text_decoded_pos(&t, 4), 1);
    assert_int_equal(dp_text_decoded_pos(&t, 9), 2);
    dp_text_free(&t);

    decode(&t, "", 0, DP_ENC_AUTO);
    assert_int_equal(t.len, 0);
    assert_string_equal(t.utf8, "");
    dp_text_free(&t);
}

typedef struct {
    const char *in;
    size_t len;
    const char *out;
    size_t invalid, first;
} bad_case;

/* One U+FFFD per maximal subpart (Unicode 15, ch. 3 "U+FFFD Substitution of Maximal Subparts"). */
static void test_invalid_sequences(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"x\xC0\xAFy", 4, "x" FFFD FFFD "y", 2, 1},             /* overlong '/' */
        {"\xE0\x80\xAF", 3, FFFD FFFD FFFD, 3, 0},               /* overlong, 3 bytes */
        {"ab\xED\xA0\x80", 5, "ab" FFFD FFFD FFFD, 3, 2},        /* surrogate U+D800 */
        {"\xE2\x82z", 3, FFFD "z", 1, 0},                        /* truncated € */
        {"z\xF0\x9F\x98", 4, "z" FFFD, 1, 1},                    /* truncated at the end */
        {"\x80\xBF", 2, FFFD FFFD, 2, 0},                        /* stray continuations */
        {"\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4, 0},      /* above U+10FFFF */
        {"\xFE\xFF\xC3\xA9", 4, FFFD FFFD "\xC3\xA9", 2, 0},     /* BE BOM under forced UTF-8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dp_text t;
        decode(&t, cases[i].in, cases[i].len, DP_ENC_UTF8);
        assert_string_equal(t.utf8, cases[i].out);
        assert_int_equal(t.invalid_count, cases[i].invalid);
        assert_int_equal(t.first_invalid, cases[i].first);
        assert_non_null(t.orig);
        dp_text_free(&t);
    }
}

static void test_offsets_after_replacement(void **state)
{
    (void)state;
    dp_text t;
    /* a é \xFF b: decoded a(0) é(1,2) FFFD(3..5) b(6) */
    decode(&t, "a\xC3\xA9\xFF" "b", 5, DP_ENC_UTF8);
    static const size_t want[] = {0, 1, 1, 3, 3, 3, 4, 5};
    assert_int_equal(t.len, 7);
    for (size_t i = 0; i <= t.len; i++)
        assert_int_equal(dp_text_orig(&t, i), want[i]);
    dp_text_free(&t);
}

static void test_auto_detection(void **state)
{
    (void)state;
    dp_text t;
    /* “smart” quotes and é in Windows-1252 */
    decode(&t, "\x93smart\x94 caf\xE9", 12, DP_ENC_AUTO);
    assert_int_equal(t.used, DP_ENC_CP1252);
    assert_int_equal(t.invalid_count, 0);
    assert_string_equal(t.utf8, "\xE2\x80\x9Csmart\xE2\x80\x9D caf\xC3\xA9");
    assert_int_equal(dp_text_orig(&t, 3), 1);  /* 's' */
    assert_int_equal(dp_text_orig(&t, 8), 6);  /* ” starts at original byte 6 */
    assert_int_equal(dp_text_orig(&t, 15), 11); /* é */
    dp_text_free(&t);

    /* 0x81 is undefined in cp1252: UTF-8 with replacement (E9 81 is one truncated
     * sequence, so one U+FFFD) */
    decode(&t, "caf\xE9\x81", 5, DP_ENC_AUTO);
    assert_int_equal(t.used, DP_ENC_UTF8);
    assert_string_equal(t.utf8, "caf" FFFD);
    assert_int_equal(t.invalid_count, 1);
    assert_int_equal(t.first_invalid, 3);
    dp_text_free(&t);

    /* mostly valid UTF-8 with one broken byte stays UTF-8 */
    decode(&t, "\xC3\xA9t\xC3\xA9 \xE9t\xC3\xA9", 11, DP_ENC_AUTO);
    assert_int_equal(t.used, DP_ENC_UTF8);
    assert_string_equal(t.utf8, "\xC3\xA9t\xC3\xA9 " FFFD "t\xC3\xA9");
    assert_int_equal(t.first_invalid, 6);
    dp_text_free(&t);

    /* many control bytes: not text, so not cp1252 */
    decode(&t, "\x01\x02\xE9", 3, DP_ENC_AUTO);
    assert_int_equal(t.used, DP_ENC_UTF8);
    assert_int_equal(t.invalid_count, 1);
    dp_text_free(&t);
}

static void test_forced_single_byte(void **state)
{
    (void)state;
    dp_text t;
    decode(&t, "\x80\x81\x85\xE9", 4, DP_ENC_CP1252);
    assert_string_equal(t.utf8, "\xE2\x82\xAC\xC2\x81\xE2\x80\xA6\xC3\xA9");
    assert_int_equal(t.invalid_count, 0);
    dp_text_free(&t);
    decode(&t, "\x80\x85\xE9", 3, DP_ENC_LATIN1);
    assert_string_equal(t.utf8, "\xC2\x80\xC2\x85\xC3\xA9");
    assert_int_equal(dp_text_orig(&t, 4), 2);
    dp_text_free(&t);
    /* even valid UTF-8 is read byte by byte when forced */
    decode(&t, "\xC3\xA9", 2, DP_ENC_LATIN1);
    assert_string_equal(t.utf8, "\xC3\x83\xC2\xA9");
    dp_text_free(&t);
}

static void test_utf16(void **state)
{
    (void)state;
    dp_text t;
    /* LE: "a", U+1F600, lone low surrogate, "\r\n", odd trailing byte */
    static const char le[] = "\xFF\xFE" "a\0" "\x3D\xD8\x00\xDE" "\x00\xDC" "\r\0\n\0" "z";
    decode(&t, le, sizeof le - 1, DP_ENC_AUTO);
    assert_int_equal(t.utf16, 1);
    assert_string_equal(t.utf8, "a\xF0\x9F\x98\x80" FFFD "\r\n" FFFD);
    assert_int_equal(t.invalid_count, 2);
    assert_int_equal(t.first_invalid, 8);
    static const size_t want[] = {2, 4, 4, 4, 4, 8, 8, 8, 10, 12, 14, 14, 14, 15};
    for (size_t i = 0; i <= t.len; i++)
        assert_int_equal(dp_text_orig(&t, i), want[i]);
    /* original -> decoded: the BOM and a surrogate's second half fall to the next character */
    static const size_t back[][2] = {{0, 0}, {2, 0}, {3, 1}, {4, 1}, {6, 5}, {8, 5}, {12, 9}, {15, 13}, {99, 13}};
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++)
        assert_int_equal(dp_text_decoded_pos(&t, back[i][0]), back[i][1]);
    dp_text_free(&t);

    static const char be[] = "\xFE\xFF\0h\0\xE9\xD8\x3D";
    decode(&t, be, sizeof be - 1, DP_ENC_AUTO);
    assert_int_equal(t.utf16, 2);
    assert_string_equal(t.utf8, "h\xC3\xA9" FFFD); /* high surrogate cut off */
    assert_int_equal(t.first_invalid, 6);
    dp_text_free(&t);
}

static void test_bad_encoding_value(void **state)
{
    (void)state;
    dp_text t;
    doppel_diag d;
    assert_int_equal(dp_text_decode(&t, "x", 1, (dp_encoding)9, &d), DOPPEL_ERR_INVALID);
    assert_int_equal(d.code, DOPPEL_ERR_INVALID);
    dp_text_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_utf8_and_bom),
        cmocka_unit_test(test_invalid_sequences),
        cmocka_unit_test(test_offsets_after_replacement),
        cmocka_unit_test(test_auto_detection),
        cmocka_unit_test(test_forced_single_byte),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_bad_encoding_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
