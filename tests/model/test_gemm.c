/* The fixed-order GEMM: agrees with a double-precision reference, and a row's bits do not
 * depend on how many rows are multiplied with it nor where it sits (every tile height). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "model/gemm.h"

static void fill(float *x, size_t n, dp_rng *r)
{
    for (size_t i = 0; i < n; i++)
        x[i] = dp_rng_float(r) * 2.0f - 1.0f;
}

/* N = 37 (two full panels and a 5-column tail), K = 29, strided A and C. */
static void test_reference_and_row_independence(void **state)
{
    (void)state;
    enum { N = 37, K = 29, M = 23, LDA = 31, LDC = 41 };
    dp_rng r;
    dp_rng_seed(&r, 5);
    float *w = malloc(N * K * sizeof(float)), *a = malloc(M * LDA * sizeof(float));
    float *c0 = malloc(M * LDC * sizeof(float)), *c = malloc(M * LDC * sizeof(float));
    fill(w, N * K, &r), fill(a, M * LDA, &r), fill(c0, M * LDC, &r);
    dp_gemm_w pw;
    assert_int_equal(dp_gemm_w_pack(&pw, w, N, K), DOPPEL_OK);
    memcpy(c, c0, M * LDC * sizeof(float));
    dp_gemm_nt(c, LDC, a, LDA, M, &pw);
    for (size_t m = 0; m < M; m++)
        for (size_t n = 0; n < LDC; n++) {
            if (n >= N) { /* columns past N untouched */
                assert_true(c[m * LDC + n] == c0[m * LDC + n]);
                continue;
            }
            double ref = c0[m * LDC + n];
            for (size_t k = 0; k < K; k++)
                ref += (double)a[m * LDA + k] * (double)w[n * K + k];
            assert_true(fabs(ref - (double)c[m * LDC + n]) < 1e-5);
        }
    /* every row again, alone and inside every window of 1..M rows starting at 0 */
    float *d = malloc(M * LDC * sizeof(float));
    for (size_t rows = 1; rows <= M; rows++)
        for (size_t at = 0; at + rows <= M; at += rows) {
            memcpy(d, c0, M * LDC * sizeof(float));
            dp_gemm_nt(d + at * LDC, LDC, a + at * LDA, LDA, rows, &pw);
            for (size_t m = at; m < at + rows; m++)
                assert_memory_equal(d + m * LDC, c + m * LDC, N * sizeof(float));
        }
    dp_gemm_w_release(&pw);
    free(w), free(a), free(c0), free(c), free(d);
}

/* More rows than one block (MC) of the kernel. */
static void test_many_rows(void **state)
{
    (void)state;
    enum { N = 48, K = 16, M = 301 };
    dp_rng r;
    dp_rng_seed(&r, 9);
    float *w = malloc(N * K * sizeof(float)), *a = malloc(M * K * sizeof(float));
    float *c = calloc(M * N, sizeof(float)), one[N];
    fill(w, N * K, &r), fill(a, M * K, &r);
    dp_gemm_w pw;
    assert_int_equal(dp_gemm_w_pack(&pw, w, N, K), DOPPEL_OK);
    dp_gemm_nt(c, N, a, K, M, &pw);
    for (size_t m = 0; m < M; m++) {
        memset(one, 0, sizeof one);
        dp_gemm_nt(one, N, a + m * K, K, 1, &pw);
        assert_memory_equal(one, c + m * N, sizeof one);
    }
    dp_gemm_w_release(&pw);
    free(w), free(a), free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_and_row_independence),
        cmocka_unit_test(test_many_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
