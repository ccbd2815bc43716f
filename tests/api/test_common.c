/* Common passages through the public API (since 1.2): a paragraph held by more than
 * max_docs documents is no pair's evidence; a query's report and an index's sweep list it
 * with every document holding it, and doppel_report_write_jsonl writes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doppel.h"

static const char para[] =
    "Rivers carry far more than water to the plains below the mountains every single spring. "
    "The melting snow loosens gravel and fine silt that later settles across the wide valley floor. "
    "A dam traps most of this sediment, so the river below runs clear and eats away at its banks.";

enum { N_DOCS = 12 };

/* Document d: two sentences of its own, then the paragraph; *start is where it begins. */
static size_t make_doc(int d, char *buf, size_t cap, size_t *start)
{
    int n = snprintf(buf, cap,
                     "Essay %d opens with alpha%d beta%d gamma%d delta%d epsilon%d. "
                     "It goes on with zeta%d eta%d theta%d iota%d.\n\n",
                     d, d, d, d, d, d, d, d, d, d);
    assert_true(n > 0 && (size_t)n + sizeof para < cap);
    *start = (size_t)n;
    memcpy(buf + n, para, sizeof para); /* with its NUL */
    return (size_t)n + sizeof para - 1;
}

static void check_common(const doppel_common *c)
{
    assert_non_null(c);
    assert_int_equal(c->size, sizeof(doppel_common));
    assert_int_equal(c->n_members, N_DOCS);
    char buf[1024], id[32];
    for (int d = 0; d < N_DOCS; d++) {
        size_t start, len = make_doc(d, buf, sizeof buf, &start);
        snprintf(id, sizeof id, "e%02d.txt", d);
        assert_string_equal(c->members[d].id, id);
        assert_int_equal(c->members[d].start, start);
        assert_int_equal(c->members[d].end, len);
    }
}

static void test_query_and_sweep_list_the_common_paragraph(void **state)
{
    (void)state;
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, NULL), DOPPEL_OK);
    char buf[1024], id[32];
    size_t start, len;
    for (int d = 0; d < N_DOCS - 1; d++) {
        len = make_doc(d, buf, sizeof buf, &start);
        snprintf(id, sizeof id, "e%02d.txt", d);
        assert_int_equal(doppel_index_add(ix, id, buf, len, 0, NULL), DOPPEL_OK);
    }
    /* the twelfth, queried: its paragraph is in 11 indexed documents (max_docs 10) */
    len = make_doc(N_DOCS - 1, buf, sizeof buf, &start);
    snprintf(id, sizeof id, "e%02d.txt", N_DOCS - 1);
    doppel_report *r;
    assert_int_equal(doppel_index_query(ix, id, buf, len, &r, NULL), DOPPEL_OK);
    assert_null(doppel_report_next(r));
    assert_int_equal(doppel_report_common_count(r), 1);
    check_common(doppel_report_next_common(r)); /* the query last, as e11 */
    assert_null(doppel_report_next_common(r));
    doppel_report_free(r);

    /* added, and the index swept: the same passage, once */
    assert_int_equal(doppel_index_add(ix, id, buf, len, 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    assert_null(doppel_report_next(r));
    assert_int_equal(doppel_report_common_count(r), 1);
    check_common(doppel_report_next_common(r));
    assert_null(doppel_report_next_common(r));
    doppel_report_free(r);

    /* written as JSON Lines: one common record of 12 documents, counted in the summary */
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(doppel_report_write_jsonl(r, f, NULL), DOPPEL_OK);
    assert_null(doppel_report_next_common(r)); /* handed out by the write */
    doppel_report_free(r);
    rewind(f);
    char line[4096];
    int commons = 0, summary = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "\"type\":\"common\"")) {
            commons++;
            assert_non_null(strstr(line, "\"documents\":12"));
            snprintf(id, sizeof id, "\"id\":\"e%02d.txt\"", N_DOCS - 1);
            assert_non_null(strstr(line, id));
        }
        if (strstr(line, "\"type\":\"summary\"")) {
            summary++;
            assert_non_null(strstr(line, "\"common_passages\":1"));
        }
    }
    fclose(f);
    assert_int_equal(commons, 1);
    assert_int_equal(summary, 1);

    /* under max_docs holders it is evidence again: no common passage, pairs instead */
    o.max_docs = 20;
    assert_int_equal(doppel_index_set_opts(ix, &o, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    assert_int_equal(doppel_report_common_count(r), 0);
    assert_null(doppel_report_next_common(r));
    assert_non_null(doppel_report_next(r));
    doppel_report_free(r);
    doppel_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_and_sweep_list_the_common_paragraph),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
