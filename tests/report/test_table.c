/* The terminal table: sorted by score, aligned, with common passages, clusters, skipped and summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "report/writer.h"

static void test_golden(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    dp_writer *w = NULL;
    assert_int_equal(dp_writer_create(&w, DP_REPORT_TABLE, f, NULL, NULL), DOPPEL_OK);
    dp_passage p[5] = {{0}};
    dp_pair_result r1 = {"x.txt", "y.txt", 0.25f, 0.5f, 0.125f, p, 2};
    dp_pair_result r2 = {"a-long-name.txt", "b.txt", 0.875f, 0.9f, 1.0f, p, 5};
    assert_int_equal(dp_writer_begin(w), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &r1), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &r2), DOPPEL_OK);
    dp_common_member cm[3] = {{"a.txt", 10, 200}, {"b.txt", 0, 190}, {"c.txt", 5, 195}};
    assert_int_equal(dp_writer_common(w, &(dp_common_passage){cm, 3}), DOPPEL_OK);
    const char *m[] = {"a-long-name.txt", "b.txt"};
    assert_int_equal(dp_writer_cluster(w, m, 2), DOPPEL_OK);
    dp_skipped sk = {"e.txt", "empty"};
    assert_int_equal(dp_writer_skipped(w, &sk), DOPPEL_OK);
    dp_summary s = {5, 1, 10, 2, 0.5, 1, NULL, 0};
    assert_int_equal(dp_writer_end(w, &s), DOPPEL_OK);
    dp_writer_free(w);
    fclose(f);
    assert_string_equal(buf,
                        "document a       document b  score  cov a  cov b  passages\n"
                        "a-long-name.txt  b.txt       0.875    90%   100%  5 verbatim\n"
                        "x.txt            y.txt       0.250    50%    12%  2 verbatim\n"
                        "\n"
                        "common passages (in more than --max-docs documents: not evidence of any pair):\n"
                        "passage 1, shared by 3 documents:\n"
                        "  a.txt [10,200)\n"
                        "  b.txt [0,190)\n"
                        "  c.txt [5,195)\n"
                        "\n"
                        "cluster 1: a-long-name.txt, b.txt\n"
                        "\n"
                        "skipped e.txt: empty\n"
                        "\n"
                        "5 documents, 1 skipped, 10 pairs compared, 2 reported, 1 common passages in 0.50 s\n");
    free(buf);
}

/* 80 columns: the directory every name shares said once; widths in display columns (ü one,
 * 学 two), names too long cut at the front after an ellipsis; passage kinds counted. */
static void test_fits_80_columns(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    dp_writer *w = NULL;
    assert_int_equal(dp_writer_create(&w, DP_REPORT_TABLE, f, &(dp_report_opts){.columns = 80}, NULL), DOPPEL_OK);
    dp_passage p[2] = {{0, 1, 0, 1, 1, DP_PASSAGE_VERBATIM}, {2, 3, 2, 3, 1, DP_PASSAGE_EDITED}};
    char long_b[128];
    snprintf(long_b, sizeof long_b, "/c/d/sub/%s.txt",
             "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"); /* 70 n */
    dp_pair_result r1 = {"/c/d/M\u00fcller Zo\u00eb \u5b66\u751f.txt", "/c/d/b.txt", 0.5f, 0.5f, 0.25f, p, 2};
    dp_pair_result r2 = {"/c/d/x.txt", long_b, 0.25f, 0.5f, 0.5f, p + 1, 1};
    assert_int_equal(dp_writer_begin(w), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &r2), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &r1), DOPPEL_OK);
    dp_summary s = {3, 0, 3, 2, 0.5, 0, NULL, 0};
    assert_int_equal(dp_writer_end(w, &s), DOPPEL_OK);
    dp_writer_free(w);
    fclose(f);
    assert_string_equal(buf, "in /c/d/\n"
                             "document a          document b          score  cov a  cov b  passages\n"
                             "\u2026ller Zo\u00eb \u5b66\u751f.txt  b.txt               0.500    50%    25%  1 verbatim 1 edited\n"
                             "x.txt               \u2026nnnnnnnnnnnnn.txt  0.250    50%    50%  1 edited\n"
                             "\n"
                             "3 documents, 0 skipped, 3 pairs compared, 2 reported in 0.50 s\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_fits_80_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
