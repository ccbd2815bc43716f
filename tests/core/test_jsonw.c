/* The JSON writer: escaping, nesting, numbers; output re-read with jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
    dp_jsonw w;
} sink;

static void sink_open(sink *s)
{
    s->buf = NULL;
    s->f = open_memstream(&s->buf, &s->len);
    assert_non_null(s->f);
    dp_jsonw_init(&s->w, s->f);
}

static char *sink_close(sink *s)
{
    fclose(s->f);
    return s->buf;
}

static void test_escapes(void **state)
{
    (void)state;
    sink s;
    sink_open(&s);
    const char in[] = "q\"b\\n\n\t\x01\x7f caf\xc3\xa9 \xe2\x80\xa8 \xff end";
    dp_jsonw_string(&s.w, in, sizeof in - 1);
    char *out = sink_close(&s);
    assert_string_equal(out, "\"q\\\"b\\\\n\\n\\t\\u0001\\u007f caf\xc3\xa9 \\u2028 \\ufffd end\"");
    json_error_t err;
    json_t *v = json_loads(out, JSON_DECODE_ANY, &err);
    assert_non_null(v);
    assert_string_equal(json_string_value(v),
                        "q\"b\\n\n\t\x01\x7f caf\xc3\xa9 \xe2\x80\xa8 \xef\xbf\xbd end");
    json_decref(v);
    free(out);
}

static void test_embedded_nul(void **state)
{
    (void)state;
    sink s;
    sink_open(&s);
    dp_jsonw_string(&s.w, "a\0b", 3);
    char *out = sink_close(&s);
    assert_string_equal(out, "\"a\\u0000b\"");
    free(out);
}

static void test_nesting_and_lines(void **state)
{
    (void)state;
    sink s;
    sink_open(&s);
    for (int i = 0; i < 2; i++) {
        dp_jsonw_object_begin(&s.w);
        dp_jsonw_key(&s.w, "type");
        dp_jsonw_cstring(&s.w, "pair");
        dp_jsonw_key(&s.w, "n");
        dp_jsonw_int(&s.w, -i);
        dp_jsonw_key(&s.w, "list");
        dp_jsonw_array_begin(&s.w);
        dp_jsonw_uint(&s.w, UINT64_MAX);
        dp_jsonw_bool(&s.w, true);
        dp_jsonw_null(&s.w);
        dp_jsonw_object_begin(&s.w);
        dp_jsonw_object_end(&s.w);
        dp_jsonw_array_end(&s.w);
        dp_jsonw_object_end(&s.w);
        dp_jsonw_newline(&s.w);
    }
    assert_true(dp_jsonw_ok(&s.w));
    char *out = sink_close(&s);
    assert_string_equal(out, "{\"type\":\"pair\",\"n\":0,\"list\":[18446744073709551615,true,null,{}]}\n"
                             "{\"type\":\"pair\",\"n\":-1,\"list\":[18446744073709551615,true,null,{}]}\n");
    free(out);
}

static void test_doubles_round_trip(void **state)
{
    (void)state;
    const double vals[] = {0.0, 1.0, -2.5, 0.1, 1.0 / 3.0, 1e-300, 6.02214076e23, 0.8125};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        sink s;
        sink_open(&s);
        dp_jsonw_double(&s.w, vals[i]);
        char *out = sink_close(&s);
        assert_true(strtod(out, NULL) == vals[i]);
        free(out);
    }
    sink s;
    sink_open(&s);
    dp_jsonw_array_begin(&s.w);
    dp_jsonw_double(&s.w, 0.1);
    dp_jsonw_double(&s.w, NAN);
    dp_jsonw_double(&s.w, INFINITY);
    dp_jsonw_array_end(&s.w);
    char *out = sink_close(&s);
    assert_string_equal(out, "[0.1,null,null]");
    free(out);
}

/* A float prints as the shortest form that reads back to that float, not its double
 * noise (the 0.15696202218532562 is the float 0.15696202). The expected strings
 * are Python's: the shortest '%.{p}g' of the value rounded to float32 that struct
 * round-trips through float32. */
static void test_floats_shortest(void **state)
{
    (void)state;
    const float vals[] = {0.0f, 1.0f, 0.1f, (float)0.15696202218532562, 1.0f / 3.0f, 0.25f, 1e-30f, 0.99999994f};
    const char *want[] = {"0", "1", "0.1", "0.15696202", "0.33333334", "0.25", "1e-30", "0.99999994"};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        sink s;
        sink_open(&s);
        dp_jsonw_float(&s.w, vals[i]);
        char *out = sink_close(&s);
        assert_string_equal(out, want[i]);
        assert_true(strtof(out, NULL) == vals[i]);
        free(out);
    }
}

static void test_misuse_is_reported(void **state)
{
    (void)state;
    sink s;
    sink_open(&s);
    dp_jsonw_array_end(&s.w); /* nothing open */
    assert_false(dp_jsonw_ok(&s.w));
    free(sink_close(&s));

    sink_open(&s);
    dp_jsonw_object_begin(&s.w);
    dp_jsonw_key(&s.w, "k");
    dp_jsonw_object_end(&s.w); /* key without value */
    assert_false(dp_jsonw_ok(&s.w));
    free(sink_close(&s));

    sink_open(&s);
    for (int i = 0; i < DP_JSONW_MAX_DEPTH + 2; i++)
        dp_jsonw_array_begin(&s.w);
    assert_false(dp_jsonw_ok(&s.w));
    free(sink_close(&s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_nesting_and_lines),
        cmocka_unit_test(test_doubles_round_trip),
        cmocka_unit_test(test_floats_shortest),
        cmocka_unit_test(test_misuse_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
