/* The TF-IDF baseline's cosine on hand-computed cases (the agreement with the Python
 * script on real slices is checked by tests/cli/train.sh). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "doppel.h"
#include "train/tfidf.h"

static void add(dp_dataset *ds, dp_pair *p, const char *a, const char *b)
{
    memset(p, 0, sizeof *p);
    p->a = (dp_str){a, (uint32_t)strlen(a)};
    p->b = (dp_str){b, (uint32_t)strlen(b)};
    ds->n++;
}

static void test_hand_computed(void **state)
{
    (void)state;
    dp_pair pairs[4];
    dp_dataset ds;
    dp_dataset_init(&ds);
    ds.pairs = pairs;
    /* Pair 0: "AB\tab" is "ab ab" (case, any white space): grams " ab", "ab ", " ab " twice
     * each; "ab  c" has them once and " c ". With only pair 0 fitted, N = 2: the ab grams
     * are in both texts (idf ln(3/3) + 1 = 1), " c " in one (w = ln(3/2) + 1). tf 2 gives
     * 1 + ln 2 on all three ab grams, so the first vector is uniform: cos = √3 / √(3 + w²). */
    add(&ds, &pairs[0], "AB\tab", "ab  c");
    double cos[2];
    assert_int_equal(dp_tfidf_cosines(&ds, 0, 1, cos, NULL), DOPPEL_OK);
    double w = log(1.5) + 1.0;
    assert_true(fabs(cos[0] - sqrt(3.0) / sqrt(3.0 + w * w)) < 1e-15);
    /* Disjoint grams: 0; a text without words: 0; the same text: 1. */
    add(&ds, &pairs[1], "xyz", "uvw");
    add(&ds, &pairs[2], " \xc2\xa0 ", "uvw");
    add(&ds, &pairs[3], "\xc3\x89t\xc3\xa9 \xff", "\xc3\xa9T\xc3\x89 \xef\xbf\xbd");
    double c4[4];
    assert_int_equal(dp_tfidf_cosines(&ds, 0, 4, c4, NULL), DOPPEL_OK);
    assert_true(c4[1] == 0.0 && c4[2] == 0.0);
    /* Uppercase accents fold, and an invalid byte reads as U+FFFD. */
    assert_true(fabs(c4[3] - 1.0) < 1e-15);
    /* The same pairs fitted on a range of the dataset. */
    assert_int_equal(dp_tfidf_cosines(&ds, 1, 1, cos, NULL), DOPPEL_OK);
    assert_true(cos[0] == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_computed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
