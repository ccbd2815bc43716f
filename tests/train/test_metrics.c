/* Correlations, ROC-AUC and best-threshold accuracy on small hand-computed examples. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "doppel.h"
#include "train/metrics.h"

/* cmocka 1.1 compares floats only: doubles are checked here at full precision. */
#define assert_near(a, b, tol) assert_near_((a), (b), (tol), #a)
static void assert_near_(double a, double b, double tol, const char *what)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s = %.17g, expected %.17g", what, a, b);
}

static void test_correlations(void **state)
{
    (void)state;
    /* x = 1..5, y = (2,4,5,4,5): deviations dx = (-2,-1,0,1,2), dy = (-2,0,1,0,1);
     * Σdxdy = 6, Σdx² = 10, Σdy² = 6 -> r = 6/√60 = 0.7745967.
     * Ranks of y with ties averaged: (1, 2.5, 4.5, 2.5, 4.5); Σdxdr = 7, Σdr² = 9
     * -> ρ = 7/√90 = 0.7378648 (what scipy.stats.spearmanr gives). */
    const double x[5] = {1, 2, 3, 4, 5}, y[5] = {2, 4, 5, 4, 5};
    assert_near(dp_pearson(x, y, 5), 0.7745967, 1e-7);
    double rho, rank[5];
    assert_int_equal(dp_spearman(x, y, 5, &rho), DOPPEL_OK);
    assert_near(rho, 0.7378648, 1e-7);
    assert_int_equal(dp_rank_average(rank, y, 5), DOPPEL_OK);
    assert_near(rank[1], 2.5, 0);
    assert_near(rank[4], 4.5, 0);
    /* reversed order: -1; constant input: undefined */
    const double rev[5] = {5, 4, 3, 2, 1}, flat[5] = {2, 2, 2, 2, 2};
    assert_int_equal(dp_spearman(x, rev, 5, &rho), DOPPEL_OK);
    assert_near(rho, -1.0, 1e-12);
    assert_true(isnan(dp_pearson(x, flat, 5)));
}

static void test_auc(void **state)
{
    (void)state;
    /* scikit-learn's roc_auc_score example: 3 of the 4 positive/negative pairs ordered. */
    const double s[4] = {0.1, 0.4, 0.35, 0.8}, l[4] = {0, 0, 1, 1};
    double auc;
    assert_int_equal(dp_roc_auc(s, l, 4, &auc), DOPPEL_OK);
    assert_near(auc, 0.75, 1e-12);
    /* positives 0.5, 0.9 vs negatives 0.5, 0.2: pairs 0.5 (tie), 1, 1, 1 -> 3.5/4 */
    const double st[4] = {0.5, 0.5, 0.2, 0.9}, lt[4] = {1, 0, 0, 1};
    assert_int_equal(dp_roc_auc(st, lt, 4, &auc), DOPPEL_OK);
    assert_near(auc, 0.875, 1e-12);
    const double one[2] = {1, 1};
    assert_int_equal(dp_roc_auc(s, one, 2, &auc), DOPPEL_OK);
    assert_true(isnan(auc));
}

static void test_best_threshold(void **state)
{
    (void)state;
    /* sorted: 0.1(-) 0.35(+) 0.4(-) 0.8(+). All positive: 2/4; threshold between 0.1 and
     * 0.35: 3/4 (the first best, 0.225); between 0.35 and 0.4: 2/4; between 0.4 and 0.8: 3/4. */
    const double s[4] = {0.1, 0.4, 0.35, 0.8}, l[4] = {0, 0, 1, 1};
    double acc, thr;
    assert_int_equal(dp_best_threshold_accuracy(s, l, 4, &acc, &thr), DOPPEL_OK);
    assert_near(acc, 0.75, 1e-12);
    assert_near(thr, 0.225, 1e-7);
    /* separable with a tie inside the negatives: 100%, threshold between 0.3 and 0.6 */
    const double s2[5] = {0.3, 0.9, 0.3, 0.6, 0.1}, l2[5] = {0, 1, 0, 1, 0};
    assert_int_equal(dp_best_threshold_accuracy(s2, l2, 5, &acc, &thr), DOPPEL_OK);
    assert_near(acc, 1.0, 0);
    assert_near(thr, 0.45, 1e-7);
    /* all negatives: best is a threshold above every score */
    const double z[2] = {0, 0};
    assert_int_equal(dp_best_threshold_accuracy(s, z, 2, &acc, &thr), DOPPEL_OK);
    assert_near(acc, 1.0, 0);
    assert_true(thr > 0.4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_correlations),
        cmocka_unit_test(test_auc),
        cmocka_unit_test(test_best_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
