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
    dp_summary s = {5, 1, 10, 2, 0.5, 1};
    assert_int_equal(dp_writer_end(w, &s), DOPPEL_OK);
    dp_writer_free(w);
    fclose(f);
    assert_string_equal(buf,
                        "document a       document b  score  passages  cov a  cov b\n"
                        "a-long-name.txt  b.txt       0.875         5    90%   100%\n"
                        "x.txt            y.txt       0.250         2    50%    12%\n"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
