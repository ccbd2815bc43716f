/* The int8 GEMM: the kernel this machine runs and the portable twin give the same bits; a
 * row's bits do not depend on the rows around it; the result is the exact integer product
 * of the quantized operands (weights by dp_int8_quantize, activations by
 * dp_int8_quantize_fast) (computed here independently in int64), and within the
 * quantization error of the fp32 product (checked against a double reference). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "doppel.h"
#include "model/gemm_q8.h"
#include "model/quant.h"

static void fill(float *x, size_t n, dp_rng *r)
{
    for (size_t i = 0; i < n; i++)
        x[i] = dp_rng_float(r) * 2.0f - 1.0f;
}

static void check_shape(size_t N, size_t K, size_t M, size_t lda, size_t ldc, uint64_t seed)
{
    dp_rng r;
    dp_rng_seed(&r, seed);
    float *w = malloc(N * K * sizeof(float)), *a = malloc(M * lda * sizeof(float));
    float *c0 = malloc(M * ldc * sizeof(float)), *c = malloc(M * ldc * sizeof(float)),
          *cp = malloc(M * ldc * sizeof(float)), *c1 = malloc(ldc * sizeof(float));
    fill(w, N * K, &r), fill(a, M * lda, &r), fill(c0, M * ldc, &r);
    dp_gemm_q8 pw;
    assert_int_equal(dp_gemm_q8_pack(&pw, w, N, K), DOPPEL_OK);
    memcpy(c, c0, M * ldc * sizeof(float));
    memcpy(cp, c0, M * ldc * sizeof(float));
    dp_gemm_q8_nt(c, ldc, a, lda, M, &pw);
    dp_gemm_q8_nt_portable(cp, ldc, a, lda, M, &pw);
    assert_memory_equal(c, cp, M * ldc * sizeof(float)); /* the twins agree bit for bit */

    int8_t *qw = malloc(N * K);
    int16_t *qa = malloc(K * sizeof *qa);
    float *sw = malloc(N * sizeof(float)), sa;
    dp_int8_quantize(qw, sw, w, N, K);
    for (size_t m = 0; m < M; m++) {
        sa = dp_int8_quantize_fast(qa, a + m * lda, K);
        /* alone: the same bits as among the others */
        memcpy(c1, c0 + m * ldc, ldc * sizeof(float));
        dp_gemm_q8_nt(c1, ldc, a + m * lda, lda, 1, &pw);
        assert_memory_equal(c1, c + m * ldc, ldc * sizeof(float));
        for (size_t n = 0; n < ldc; n++) {
            float got = c[m * ldc + n], before = c0[m * ldc + n];
            if (n >= N) { /* columns past N untouched */
                assert_true(got == before);
                continue;
            }
            int64_t exact = 0;
            double ref = 0, err = 0;
            for (size_t k = 0; k < K; k++) {
                exact += (int64_t)qa[k] * qw[n * K + k];
                ref += (double)a[m * lda + k] * w[n * K + k];
                /* each operand within half a step: |da| <= sa/2, |dw| <= sw/2 */
                err += fabs((double)a[m * lda + k]) * sw[n] / 2 + fabs((double)w[n * K + k]) * sa / 2 +
                       (double)sa * sw[n] / 4;
            }
            assert_true(got == before + (float)exact * (sa * sw[n]));
            assert_true(fabs((double)got - before - ref) <= err + 1e-5);
        }
    }
    free(w), free(a), free(c0), free(c), free(cp), free(c1), free(qw), free(qa), free(sw);
    dp_gemm_q8_release(&pw);
}

static void test_shapes(void **state)
{
    (void)state;
    check_shape(37, 29, 23, 31, 41, 5);    /* odd K, a 5-column tail, every tile height */
    check_shape(384, 128, 70, 128, 384, 6); /* the GRU's shapes */
    check_shape(16, 1, 3, 1, 16, 7);
    check_shape(3, DP_GEMM_Q8_MAX_K, 5, DP_GEMM_Q8_MAX_K, 3, 8);
}

static void test_refused_and_zero(void **state)
{
    (void)state;
    dp_gemm_q8 pw;
    float w[2] = {0, 0};
    assert_int_equal(dp_gemm_q8_pack(&pw, w, 1, DP_GEMM_Q8_MAX_K + 1), DOPPEL_ERR_INVALID);
    /* zero rows: scale 0, nothing added */
    assert_int_equal(dp_gemm_q8_pack(&pw, w, 1, 2), DOPPEL_OK);
    float a[2] = {0.5f, -1.0f}, c[1] = {3.0f};
    dp_gemm_q8_nt(c, 1, a, 2, 1, &pw);
    assert_true(c[0] == 3.0f);
    dp_gemm_q8_release(&pw);
    assert_non_null(dp_gemm_q8_kernel());
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_shapes), cmocka_unit_test(test_refused_and_zero)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
