/* The JSON Lines report, parsed back with jansson and compared field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/output.h"
#include "report/writer.h"

static const dp_passage passages[] = {
    {0, 17, 5, 22, 1.0f, DP_PASSAGE_VERBATIM},
    {40, 95, 60, 130, 0.8125f, DP_PASSAGE_EDITED},
    {200, 260, 150, 199, 0.6f, DP_PASSAGE_PARAPHRASE},
};

static const dp_pair_result pairs[] = {
    {"essays/a \"quoted\".txt", "essays/b\\c.txt", 0.75f, 0.5f, 0.25f, passages, 3},
    {"x", "caf\xc3\xa9\nline", 0.1f, 0.0f, 1.0f, NULL, 0},
};

static char *run_writer(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    dp_writer *w = NULL;
    assert_int_equal(dp_writer_create(&w, DP_REPORT_JSONL, f, NULL, NULL), DOPPEL_OK);
    assert_int_equal(dp_writer_begin(w), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &pairs[0]), DOPPEL_OK);
    dp_skipped sk = {"bin/image.png", "binary"};
    assert_int_equal(dp_writer_skipped(w, &sk), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &pairs[1]), DOPPEL_OK);
    dp_common_member cm[2] = {{"p\"q", 3, 90}, {"r", 0, 87}};
    assert_int_equal(dp_writer_common(w, &(dp_common_passage){cm, 2}), DOPPEL_OK);
    const char *members[] = {"x", "caf\xc3\xa9\nline", "z,1"};
    assert_int_equal(dp_writer_cluster(w, members, 3), DOPPEL_OK);
    dp_summary sum = {12, 1, 66, 2, 1.5, 1, NULL, 0};
    assert_int_equal(dp_writer_end(w, &sum), DOPPEL_OK);
    dp_writer_free(w);
    fclose(f);
    return buf;
}

static void check_pair(json_t *o, const dp_pair_result *r)
{
    assert_string_equal(json_string_value(json_object_get(o, "type")), "pair");
    assert_string_equal(json_string_value(json_object_get(o, "a")), r->a);
    assert_string_equal(json_string_value(json_object_get(o, "b")), r->b);
    assert_true((float)json_number_value(json_object_get(o, "score")) == r->score);
    assert_true((float)json_number_value(json_object_get(o, "a_coverage")) == r->a_coverage);
    assert_true((float)json_number_value(json_object_get(o, "b_coverage")) == r->b_coverage);
    json_t *ps = json_object_get(o, "passages");
    assert_true(json_is_array(ps));
    assert_int_equal(json_array_size(ps), r->n_passages);
    static const char *kinds[] = {"verbatim", "edited", "paraphrase"};
    for (size_t i = 0; i < r->n_passages; i++) {
        json_t *p = json_array_get(ps, i);
        const dp_passage *q = &r->passages[i];
        assert_int_equal(json_integer_value(json_object_get(p, "a_start")), q->a_start);
        assert_int_equal(json_integer_value(json_object_get(p, "a_end")), q->a_end);
        assert_int_equal(json_integer_value(json_object_get(p, "b_start")), q->b_start);
        assert_int_equal(json_integer_value(json_object_get(p, "b_end")), q->b_end);
        assert_true((float)json_number_value(json_object_get(p, "score")) == q->score);
        assert_string_equal(json_string_value(json_object_get(p, "kind")), kinds[q->kind]);
        assert_int_equal(json_object_size(p), 6);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    char *out = run_writer();
    json_t *lines[8];
    size_t n = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        assert_true(n < 8);
        json_error_t err;
        lines[n] = json_loadb(line, (size_t)(nl - line), 0, &err);
        if (!lines[n])
            fail_msg("line %zu: %s", n + 1, err.text);
        n++;
    }
    assert_int_equal(n, 6);
    check_pair(lines[0], &pairs[0]);
    assert_string_equal(json_string_value(json_object_get(lines[1], "type")), "skipped");
    assert_string_equal(json_string_value(json_object_get(lines[1], "id")), "bin/image.png");
    assert_string_equal(json_string_value(json_object_get(lines[1], "reason")), "binary");
    check_pair(lines[2], &pairs[1]);
    json_t *c = lines[3];
    assert_string_equal(json_string_value(json_object_get(c, "type")), "common");
    assert_int_equal(json_integer_value(json_object_get(c, "documents")), 2);
    json_t *cms = json_object_get(c, "members");
    assert_int_equal(json_array_size(cms), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cms, 0), "id")), "p\"q");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cms, 0), "start")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cms, 1), "end")), 87);
    assert_string_equal(json_string_value(json_object_get(lines[4], "type")), "cluster");
    json_t *m = json_object_get(lines[4], "members");
    assert_int_equal(json_array_size(m), 3);
    assert_string_equal(json_string_value(json_array_get(m, 1)), "caf\xc3\xa9\nline");
    assert_string_equal(json_string_value(json_array_get(m, 2)), "z,1");
    json_t *s = lines[5];
    assert_string_equal(json_string_value(json_object_get(s, "type")), "summary");
    assert_int_equal(json_integer_value(json_object_get(s, "documents")), 12);
    assert_int_equal(json_integer_value(json_object_get(s, "skipped")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "pairs_compared")), 66);
    assert_int_equal(json_integer_value(json_object_get(s, "pairs_reported")), 2);
    assert_int_equal(json_integer_value(json_object_get(s, "common_passages")), 1);
    assert_true(json_number_value(json_object_get(s, "seconds")) == 1.5);
    assert_int_equal(json_integer_value(json_object_get(s, "schema_version")), DP_REPORT_SCHEMA_VERSION);
    for (size_t i = 0; i < n; i++)
        json_decref(lines[i]);
    free(out);
}

/* The report goes to a file only on commit; an abort leaves nothing. */
static void test_output_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/doppel-report-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/out.jsonl", dir);
    dp_output o;
    assert_int_equal(dp_output_open(&o, path, NULL), DOPPEL_OK);
    fputs("partial", o.f);
    dp_output_abort(&o);
    FILE *f = fopen(path, "r");
    assert_null(f);
    assert_int_equal(dp_output_open(&o, path, NULL), DOPPEL_OK);
    fputs("whole\n", o.f);
    assert_int_equal(dp_output_commit(&o, NULL), DOPPEL_OK);
    f = fopen(path, "r");
    assert_non_null(f);
    char line[16] = {0};
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "whole\n");
    remove(path);
    remove(dir);
}

static void test_format_names(void **state)
{
    (void)state;
    dp_report_format f;
    assert_true(dp_report_format_parse("html", &f) && f == DP_REPORT_HTML);
    assert_true(dp_report_format_parse("csv", &f) && f == DP_REPORT_CSV);
    assert_false(dp_report_format_parse("xml", &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_output_atomic),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
