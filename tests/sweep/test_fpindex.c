/* The fingerprint index on hand-made fingerprints: document counts, templates,
 * --max-docs, candidate pairs and seeds, and its memory per fingerprint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "doppel.h"
#include "sweep/fpindex.h"

enum { H1 = 101, H2 = 202, H3 = 303, H4 = 404, H5 = 505 };

static dp_fpindex *build(int with_template)
{
    const dp_fingerprint d0[] = {{H3, 9}, {H1, 0}, {H2, 5}};
    const dp_fingerprint d1[] = {{H2, 1}, {H3, 4}, {H4, 8}, {H2, 12}};
    const dp_fingerprint d2[] = {{H5, 0}, {H2, 3}};
    const dp_fingerprint tpl[] = {{H3, 0}};
    dp_fpindex *ix;
    uint32_t doc;
    assert_int_equal(dp_fpindex_create(&ix), DOPPEL_OK);
    assert_int_equal(dp_fpindex_add(ix, d0, 3, &doc), DOPPEL_OK);
    assert_int_equal(doc, 0);
    assert_int_equal(dp_fpindex_add(ix, d1, 4, &doc), DOPPEL_OK);
    assert_int_equal(dp_fpindex_add(ix, d2, 2, &doc), DOPPEL_OK);
    assert_int_equal(doc, 2);
    if (with_template)
        assert_int_equal(dp_fpindex_add_template(ix, tpl, 1), DOPPEL_OK);
    assert_int_equal(dp_fpindex_finalize(ix), DOPPEL_OK);
    return ix;
}

static void test_counts(void **state)
{
    (void)state;
    dp_fpindex *ix = build(1);
    assert_int_equal(dp_fpindex_docs(ix), 3);
    size_t n;
    const dp_fp *f = dp_fpindex_doc(ix, 1, &n);
    assert_int_equal(n, 4);
    /* Sorted by hash then position; H2 twice in doc 1 still counts one document. */
    const uint64_t hashes[] = {H2, H2, H3, H4};
    const uint32_t pos[] = {1, 12, 4, 8};
    const uint32_t ndocs[] = {3, 3, DP_FP_TEMPLATE, 1};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(f[i].hash, hashes[i]);
        assert_int_equal(f[i].pos, pos[i]);
        assert_int_equal(f[i].ndocs, ndocs[i]);
    }
    assert_int_equal(sizeof(dp_fp), 16);
    dp_fpindex_free(ix);
}

static void test_pairs(void **state)
{
    (void)state;
    dp_fp_pair *p;
    size_t n;
    dp_fpindex *ix = build(0);
    assert_int_equal(dp_fpindex_pairs(ix, 0, 1, &p, &n), DOPPEL_OK);
    /* H2 joins all three; H3 adds a second shared hash to (0,1). */
    assert_int_equal(n, 3);
    const dp_fp_pair want[] = {{0, 1, 2}, {0, 2, 1}, {1, 2, 1}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(p[i].a, want[i].a);
        assert_int_equal(p[i].b, want[i].b);
        assert_int_equal(p[i].shared, want[i].shared);
    }
    free(p);
    assert_int_equal(dp_fpindex_pairs(ix, 0, 2, &p, &n), DOPPEL_OK);
    assert_int_equal(n, 1);
    free(p);
    /* --max-docs 2: H2 (3 documents) is boilerplate; only H3 joins 0 and 1. */
    assert_int_equal(dp_fpindex_pairs(ix, 2, 1, &p, &n), DOPPEL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].a, 0);
    assert_int_equal(p[0].b, 1);
    assert_int_equal(p[0].shared, 1);
    free(p);
    dp_fpindex_free(ix);

    /* With H3 from a template, --max-docs 2 leaves nothing. */
    ix = build(1);
    assert_int_equal(dp_fpindex_pairs(ix, 2, 1, &p, &n), DOPPEL_OK);
    assert_int_equal(n, 0);
    free(p);
    dp_fpindex_free(ix);
}

static void test_seeds(void **state)
{
    (void)state;
    dp_fpindex *ix = build(0);
    dp_fp_seed *s;
    size_t n;
    assert_int_equal(dp_fpindex_seeds(ix, 0, 1, 0, &s, &n), DOPPEL_OK);
    /* H2: a@5 with b@1 and b@12; H3: a@9 with b@4; ordered by (a_pos, b_pos). */
    const dp_fp_seed want[] = {{5, 1}, {5, 12}, {9, 4}};
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(s[i].a_pos, want[i].a_pos);
        assert_int_equal(s[i].b_pos, want[i].b_pos);
    }
    free(s);
    assert_int_equal(dp_fpindex_seeds(ix, 0, 1, 2, &s, &n), DOPPEL_OK);
    assert_int_equal(n, 1); /* H2 is in 3 documents */
    assert_int_equal(s[0].a_pos, 9);
    free(s);
    dp_fpindex_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
