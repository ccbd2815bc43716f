/* The fingerprint index on hand-made fingerprints: document counts, templates,
 * --max-docs and candidate pairs. */
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
    /* H2 twice in doc 1 still counts one document; H3 is template text. */
    assert_int_equal(dp_fpindex_count(ix, H1), 1);
    assert_int_equal(dp_fpindex_count(ix, H2), 3);
    assert_int_equal(dp_fpindex_count(ix, H3), DP_FP_TEMPLATE);
    assert_int_equal(dp_fpindex_count(ix, H4), 1);
    assert_int_equal(dp_fpindex_count(ix, 999), 0);
    size_t n;
    const uint32_t *d = dp_fpindex_holders(ix, H2, &n);
    assert_int_equal(n, 3);
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(d[i], i);
    d = dp_fpindex_holders(ix, H3, &n);
    assert_int_equal(n, 2);
    assert_int_equal(d[0], 0);
    assert_int_equal(d[1], 1);
    assert_null(dp_fpindex_holders(ix, 999, &n));
    assert_int_equal(n, 0);
    /* 12 bytes per distinct (document, hash): 8 postings and one template hash here,
     * trimmed to size by finalize */
    size_t held = dp_fpindex_bytes(ix);
    assert_true(held >= 8 * 12 + 8);
    assert_true(held < 8 * 12 + 8 + 256);
    dp_fpindex_free(ix);
}

/* Growth stores its capacity: the bytes held cover every posting while documents are
 * added (at most doubled), and finalize gives the slack back. */
static void test_bytes_while_growing(void **state)
{
    (void)state;
    dp_fpindex *ix;
    assert_int_equal(dp_fpindex_create(&ix), DOPPEL_OK);
    dp_fingerprint fp[10];
    size_t postings = 0;
    for (uint32_t d = 0; d < 500; d++) {
        for (uint32_t i = 0; i < 10; i++)
            fp[i] = (dp_fingerprint){(uint64_t)d * 7 + i, i};
        uint32_t doc;
        assert_int_equal(dp_fpindex_add(ix, fp, 10, &doc), DOPPEL_OK);
        postings += 10;
        size_t held = dp_fpindex_bytes(ix);
        assert_true(held >= postings * 12);
        assert_true(held <= 2 * postings * 12 + 1024);
    }
    assert_int_equal(dp_fpindex_finalize(ix), DOPPEL_OK);
    assert_true(dp_fpindex_bytes(ix) >= postings * 12);
    assert_true(dp_fpindex_bytes(ix) <= postings * 12 + 1024);
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

/* Pairs gathered a block of first documents at a time are the pairs of a direct count
 * (distinct evidence hashes both documents hold), whatever the block: one document a
 * block, a few, all at once. */
enum { R_DOCS = 120, R_HASHES = 25, R_POOL = 400 };

static void test_pairs_blocks(void **state)
{
    (void)state;
    static uint8_t holds[R_DOCS][R_POOL + 1];
    uint64_t x = 12345;
    dp_fpindex *ix;
    assert_int_equal(dp_fpindex_create(&ix), DOPPEL_OK);
    for (uint32_t d = 0; d < R_DOCS; d++) {
        dp_fingerprint fp[R_HASHES];
        for (uint32_t i = 0; i < R_HASHES; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            uint64_t v = 1 + (x >> 33) % R_POOL;
            holds[d][v] = 1;
            fp[i] = (dp_fingerprint){v, i};
        }
        uint32_t doc;
        assert_int_equal(dp_fpindex_add(ix, fp, R_HASHES, &doc), DOPPEL_OK);
    }
    assert_int_equal(dp_fpindex_finalize(ix), DOPPEL_OK);
    const uint32_t max_docs[] = {0, 6};
    const size_t blocks[] = {1, 5, 64, SIZE_MAX};
    for (size_t m = 0; m < 2; m++)
        for (uint32_t min_shared = 1; min_shared <= 2; min_shared++)
            for (size_t b = 0; b < 4; b++) {
                dp_fp_pair *p;
                size_t n, at = 0;
                assert_int_equal(dp_fpindex_pairs_in(ix, max_docs[m], min_shared, blocks[b], &p, &n), DOPPEL_OK);
                for (uint32_t a = 0; a < R_DOCS; a++)
                    for (uint32_t c = a + 1; c < R_DOCS; c++) {
                        uint32_t shared = 0;
                        for (uint64_t v = 1; v <= R_POOL; v++) {
                            uint32_t df = 0;
                            for (uint32_t d = 0; holds[a][v] && holds[c][v] && d < R_DOCS; d++)
                                df += holds[d][v];
                            shared += holds[a][v] && holds[c][v] && !(max_docs[m] && df > max_docs[m]);
                        }
                        if (shared < min_shared)
                            continue;
                        assert_true(at < n);
                        assert_int_equal(p[at].a, a);
                        assert_int_equal(p[at].b, c);
                        assert_int_equal(p[at].shared, shared);
                        at++;
                    }
                assert_int_equal(at, n);
                assert_true(n > 0);
                free(p);
            }
    dp_fpindex_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_bytes_while_growing),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_pairs_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
