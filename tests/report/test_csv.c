/* The CSV report: RFC 4180 quoting checked by parsing the output back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/writer.h"

/* A minimal RFC 4180 reader: fields[r][c] of the whole text, written for the test. */
#define MAXR 8
#define MAXC 8
typedef struct {
    char field[MAXR][MAXC][128];
    int cols[MAXR];
    int rows;
} table;

static void parse_csv(const char *s, table *t)
{
    memset(t, 0, sizeof *t);
    int r = 0, c = 0;
    size_t k = 0;
    while (*s) {
        if (*s == '"') {
            s++;
            for (;;) {
                assert_true(*s != '\0');
                if (*s == '"' && s[1] == '"') {
                    t->field[r][c][k++] = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    t->field[r][c][k++] = *s++;
                }
            }
        }
        if (*s == ',') {
            c++, k = 0, s++;
        } else if (s[0] == '\r' && s[1] == '\n') {
            t->cols[r] = c + 1;
            r++, c = 0, k = 0, s += 2;
        } else {
            assert_true(*s != '"' && *s != '\n' && *s != '\r');
            t->field[r][c][k++] = *s++;
        }
    }
    t->rows = r;
}

static void test_quoting(void **state)
{
    (void)state;
    char *buf = NULL, *aside_buf = NULL;
    size_t len = 0, aside_len = 0;
    FILE *f = open_memstream(&buf, &len);
    FILE *aside = open_memstream(&aside_buf, &aside_len);
    dp_report_opts opts = {.aside = aside};
    dp_writer *w = NULL;
    assert_int_equal(dp_writer_create(&w, DP_REPORT_CSV, f, &opts, NULL), DOPPEL_OK);
    dp_passage p[2] = {{0, 1, 0, 1, 1, 0}, {2, 3, 2, 3, 1, 0}};
    dp_pair_result r1 = {"a,b.txt", "say \"hi\".txt", 0.5f, 0.25f, 0.125f, p, 2};
    dp_pair_result r2 = {"two\nlines", "cr\rhere", 1.0f, 1.0f, 0.75f, p, 1};
    dp_pair_result r3 = {"plain", "also plain", 0.3333f, 0, 0, NULL, 0};
    assert_int_equal(dp_writer_begin(w), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &r1), DOPPEL_OK);
    dp_skipped sk = {"empty.txt", "empty"};
    assert_int_equal(dp_writer_skipped(w, &sk), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &r2), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &r3), DOPPEL_OK);
    dp_common_member cm[2] = {{"p.txt", 3, 90}, {"q.txt", 0, 87}};
    assert_int_equal(dp_writer_common(w, &(dp_common_passage){cm, 2}), DOPPEL_OK);
    const char *members[] = {"a,b.txt", "plain"};
    assert_int_equal(dp_writer_cluster(w, members, 2), DOPPEL_OK);
    dp_summary sum = {4, 1, 6, 3, 0.25, 1, NULL, 0};
    assert_int_equal(dp_writer_end(w, &sum), DOPPEL_OK);
    dp_writer_free(w);
    fclose(f);
    fclose(aside);

    table t;
    parse_csv(buf, &t);
    assert_int_equal(t.rows, 4);
    /* by score, highest first, as the table and the HTML report order them */
    const char *want[4][6] = {
        {"a", "b", "score", "passages", "a_coverage", "b_coverage"},
        {"two\nlines", "cr\rhere", "1.0000", "1", "1.0000", "0.7500"},
        {"a,b.txt", "say \"hi\".txt", "0.5000", "2", "0.2500", "0.1250"},
        {"plain", "also plain", "0.3333", "0", "0.0000", "0.0000"},
    };
    for (int r = 0; r < 4; r++) {
        assert_int_equal(t.cols[r], 6);
        for (int c = 0; c < 6; c++)
            assert_string_equal(t.field[r][c], want[r][c]);
    }
    /* Plain fields stay unquoted; quoted ones double their quotes. */
    assert_non_null(strstr(buf, "\r\nplain,also plain,"));
    assert_non_null(strstr(buf, "\"say \"\"hi\"\".txt\""));
    assert_string_equal(aside_buf, "skipped: empty.txt: empty\n"
                                   "common: shared by 2 documents: p.txt [3,90), q.txt [0,87)\n"
                                   "cluster: a,b.txt, plain\n"
                                   "summary: 4 documents, 1 skipped, 6 pairs compared, "
                                   "3 reported, 1 common passages, 0.25 s\n");
    free(buf);
    free(aside_buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
