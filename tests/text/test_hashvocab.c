/* Hashed vocabulary: FNV-1a 64 against the published test vectors, bucket ids against
 * the independent Python reference hashvocab_ref.py (its printed output is pasted here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "text/hashvocab.h"

static void test_fnv1a64_vectors(void **state)
{
    (void)state;
    /* FNV-1a 64 test vectors from the FNV reference test suite (seed 0 = standard basis) */
    assert_true(dp_hash64("", 0, 0) == UINT64_C(0xcbf29ce484222325));
    assert_true(dp_hash64("a", 1, 0) == UINT64_C(0xaf63dc4c8601ec8c));
    assert_true(dp_hash64("foobar", 6, 0) == UINT64_C(0x85944171f73967e8));
    /* the seed enters through the offset basis */
    assert_true(dp_hash64("foobar", 6, 42) == UINT64_C(0x86d04911560043b6));
}

static void expect_ids(const char *word, uint64_t seed, uint32_t buckets, uint32_t minn, uint32_t maxn,
                       const uint32_t *want, size_t n)
{
    dp_hashvocab hv = {.seed = seed, .buckets = buckets, .minn = minn, .maxn = maxn};
    uint32_t ids[DP_HASHVOCAB_MAX_IDS];
    size_t got = dp_hashvocab_ids(&hv, word, strlen(word), ids);
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ids[i], want[i]);
}

static void test_golden_ids(void **state)
{
    (void)state;
    /* "<where>": 1 word + 5 + 4 + 3 + 2 n-grams (the 7-gram would be the whole) */
    static const uint32_t where[] = {1758795, 1514506, 1850618, 1284621, 1297413, 1410904, 197843, 388611,
                                     550632,  61141,   127706,  1164649, 831267,  913115,  1566760};
    expect_ids("where", 0, 2000003, 3, 6, where, 15);
    /* n-grams are over code points: ß is one */
    static const uint32_t strasse[] = {57435,  591703, 1044770, 803592, 689200, 361232, 677729,
                                       767950, 265627, 608631,  93962,  776160, 16793,  966622,
                                       847186, 1045431, 400927, 458052, 702675};
    expect_ids("stra\xC3\x9F" "e", 42, 1u << 20, 2, 4, strasse, 19);
    static const uint32_t zhong[] = {603, 149, 997, 660, 240, 795};
    expect_ids("\xE4\xB8\xAD", 7, 1000, 1, 3, zhong, 6);
}

static void test_counts_and_cap(void **state)
{
    (void)state;
    dp_hashvocab hv = {.seed = 1, .buckets = 1000, .minn = 3, .maxn = 6};
    uint32_t ids[DP_HASHVOCAB_MAX_IDS];
    char word[101];
    memset(word, 'a', 100);
    word[100] = '\0';
    assert_int_equal(dp_hashvocab_ids(&hv, word, 100, ids), DP_HASHVOCAB_MAX_IDS);
    /* "<a>" has 3 code points: its only 3-gram is the whole, so just the word id */
    assert_int_equal(dp_hashvocab_ids(&hv, "a", 1, ids), 1);
    assert_int_equal(dp_hashvocab_ids(&hv, "", 0, ids), 1);
    hv.minn = 0;
    assert_int_equal(dp_hashvocab_ids(&hv, "where", 5, ids), 1);
}

/* A word and the n-gram with the same bytes must not share a bucket by construction. */
static void test_word_and_ngram_differ(void **state)
{
    (void)state;
    dp_hashvocab hv = {.seed = 5, .buckets = 1u << 30, .minn = 2, .maxn = 2};
    uint32_t w[DP_HASHVOCAB_MAX_IDS], g[DP_HASHVOCAB_MAX_IDS];
    dp_hashvocab_ids(&hv, "ab", 2, w);  /* word "ab" */
    dp_hashvocab_ids(&hv, "abc", 3, g); /* n-grams <a ab bc c> */
    assert_int_not_equal(w[0], g[2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a64_vectors),
        cmocka_unit_test(test_golden_ids),
        cmocka_unit_test(test_counts_and_cap),
        cmocka_unit_test(test_word_and_ngram_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
