/* Blocked all-pairs candidates: checked against a naive double-precision scan, and
 * shards computed block by block and merged must equal one whole sweep exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "sweep/allpairs.h"

void openblas_set_num_threads(int);

enum { N = 301, D = 24, K = 5 };

/* N unit rows; every 10th row is a noisy copy of the row before, so there are close pairs. */
static float *make_vectors(void)
{
    float *X = malloc(sizeof(float) * N * D);
    dp_rng rng;
    dp_rng_seed(&rng, 42);
    for (size_t i = 0; i < N; i++) {
        double norm = 0;
        for (size_t k = 0; k < D; k++) {
            double v = (i % 10 == 9) ? X[(i - 1) * D + k] + 0.05 * dp_rng_normal(&rng) : dp_rng_normal(&rng);
            X[i * D + k] = (float)v;
        }
        for (size_t k = 0; k < D; k++)
            norm += (double)X[i * D + k] * X[i * D + k];
        for (size_t k = 0; k < D; k++)
            X[i * D + k] = (float)(X[i * D + k] / sqrt(norm));
    }
    return X;
}

static double dot(const float *X, size_t i, size_t j)
{
    double s = 0;
    for (size_t k = 0; k < D; k++)
        s += (double)X[i * D + k] * X[j * D + k];
    return s;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void test_matches_naive(void **state)
{
    (void)state;
    float *X = make_vectors();
    dp_allpairs_opts o = {.top_k = K, .min_sim = 0.9f, .block = 64};
    dp_allpairs_result r;
    assert_int_equal(dp_allpairs_block(X, N, D, 0, N, 0, N, &o, &r), DOPPEL_OK);
    double sims[N];
    size_t expected_pairs = 0;
    for (size_t i = 0; i < N; i++) {
        size_t m = 0;
        for (size_t j = 0; j < N; j++)
            if (j != i) {
                sims[m++] = dot(X, i, j);
                if (i < j && sims[m - 1] >= 0.9 + 1e-5)
                    expected_pairs++;
                assert_true(i > j || fabs(sims[m - 1] - 0.9) > 1e-5); /* no pair sits on the edge */
            }
        qsort(sims, m, sizeof sims[0], cmp_desc);
        for (size_t t = 0; t < K; t++) {
            dp_scored s = r.topk[i * K + t];
            assert_true(s.id < N && s.id != i);
            assert_true(fabs(s.sim - sims[t]) < 1e-5);
            assert_true(fabs(s.sim - dot(X, i, s.id)) < 1e-5);
        }
    }
    assert_int_equal(r.n_pairs, expected_pairs);
    assert_true(expected_pairs >= 25); /* the planted copies */
    for (size_t p = 0; p < r.n_pairs; p++)
        assert_true(r.pairs[p][0] < r.pairs[p][1] && r.pair_sim[p] >= 0.9f);
    dp_allpairs_result_free(&r);
    free(X);
}

static void test_references_and_groups_excluded(void **state)
{
    (void)state;
    float *X = make_vectors();
    uint8_t is_ref[N] = {0};
    uint32_t group[N];
    for (size_t i = 0; i < N; i++) {
        is_ref[i] = i >= 200;
        group[i] = (uint32_t)(i / 10 == 3 ? 1000 : i); /* rows 30..39 one submission */
    }
    dp_allpairs_opts o = {.top_k = K, .min_sim = -1.0f, .is_reference = is_ref, .group = group};
    dp_allpairs_result r;
    assert_int_equal(dp_allpairs_block(X, N, D, 0, N, 0, N, &o, &r), DOPPEL_OK);
    /* every comparable pair, and no other */
    size_t expect = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = i + 1; j < N; j++)
            expect += !(is_ref[i] && is_ref[j]) && group[i] != group[j];
    assert_int_equal(r.n_pairs, expect);
    for (size_t p = 0; p < r.n_pairs; p++) {
        uint32_t a = r.pairs[p][0], b = r.pairs[p][1];
        assert_false(is_ref[a] && is_ref[b]);
        assert_true(group[a] != group[b]);
    }
    dp_allpairs_result_free(&r);
    free(X);
}

static void sorted_candidates(const dp_allpairs_result *res, size_t n, uint32_t (**c)[2], size_t *nc)
{
    assert_int_equal(dp_allpairs_candidates(res, n, c, nc), DOPPEL_OK);
}

static void test_shards_merge_to_whole_sweep(void **state)
{
    (void)state;
    float *X = make_vectors();
    dp_allpairs_opts whole_o = {.top_k = K, .min_sim = 0.5f, .block = 1024};
    dp_allpairs_result whole;
    openblas_set_num_threads(1);
    assert_int_equal(dp_allpairs_block(X, N, D, 0, N, 0, N, &whole_o, &whole), DOPPEL_OK);

    /* two shards of rows and columns: four blocks, different GEMM block size, 2 BLAS threads */
    openblas_set_num_threads(2);
    size_t cut = 157;
    size_t bounds[3] = {0, cut, N};
    dp_allpairs_result rows[2];
    dp_allpairs_opts o = whole_o;
    o.block = 50;
    for (int p = 0; p < 2; p++) {
        for (int q = 0; q < 2; q++) {
            dp_allpairs_result part;
            assert_int_equal(dp_allpairs_block(X, N, D, bounds[p], bounds[p + 1], bounds[q], bounds[q + 1], &o,
                                               q == 0 ? &rows[p] : &part),
                             DOPPEL_OK);
            if (q == 1) {
                assert_int_equal(dp_allpairs_merge(&rows[p], &part), DOPPEL_OK);
                dp_allpairs_result_free(&part);
            }
        }
    }
    openblas_set_num_threads(1);
    for (size_t i = 0; i < N; i++) {
        const dp_allpairs_result *rp = i < cut ? &rows[0] : &rows[1];
        assert_memory_equal(&whole.topk[i * K], &rp->topk[(i - rp->row0) * K], K * sizeof(dp_scored));
    }
    uint32_t(*c1)[2], (*c2)[2];
    size_t n1, n2;
    sorted_candidates(&whole, 1, &c1, &n1);
    sorted_candidates(rows, 2, &c2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(c1, c2, n1 * sizeof *c1);
    assert_true(n1 > whole.n_pairs / 2);
    free(c1);
    free(c2);
    dp_allpairs_result_free(&whole);
    dp_allpairs_result_free(&rows[0]);
    dp_allpairs_result_free(&rows[1]);
    free(X);
}

static void test_bad_ranges(void **state)
{
    (void)state;
    float X[4] = {1, 0, 0, 1};
    dp_allpairs_opts o = {.top_k = 1};
    dp_allpairs_result r;
    assert_int_equal(dp_allpairs_block(X, 2, 2, 1, 3, 0, 2, &o, &r), DOPPEL_ERR_INVALID);
    assert_int_equal(dp_allpairs_block(X, 2, 2, 0, 2, 0, 2, &o, &r), DOPPEL_OK);
    assert_int_equal(r.topk[0].id, 1);
    assert_int_equal(r.topk[1].id, 0);
    dp_allpairs_result_free(&r);
    dp_allpairs_result_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_naive),
        cmocka_unit_test(test_references_and_groups_excluded),
        cmocka_unit_test(test_shards_merge_to_whole_sweep),
        cmocka_unit_test(test_bad_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
