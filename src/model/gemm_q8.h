/*
 * Reduced-precision inference GEMM: C [M][N] += A [M][K] · W^T with W [N][K] and A both
 * quantized to int8 (dp_int8_quantize: one scale per weight row and per activation row),
 * the products summed exactly in int32 and the sum scaled back once:
 *   C[m][n] += (float)(sum_k qa[m][k] · qw[n][k]) · (sa[m] · sw[n]).
 * Integer sums are exact, so the result is the same bits in every kernel and whatever M,
 * a row's place in A, or the thread: the AVX2 kernel (vpmaddwd on sign-extended int8
 * pairs: 16 products per instruction against 8 for fp32 mul+add) and the portable C twin
 * agree bit for bit (tests/model/test_gemm_q8.c). Each value is within half a step of its
 * row's scale; the encoder's vectors stay within cosine 0.999 of fp32 (bench/README.md).
 *
 * Inference only: training and the fp32 encoder path use gemm.h.
 */
#ifndef DP_MODEL_GEMM_Q8_H
#define DP_MODEL_GEMM_Q8_H

#include <stddef.h>
#include <stdint.h>

/* The longest row (K) the kernels take: A's rows are quantized on the stack in blocks. */
#define DP_GEMM_Q8_MAX_K 1024

/* W quantized, in panels of 16 columns: panel j holds, for each pair of k (K rounded up to
 * even, zero-padded), the 16 columns' two int8 values widened to int16, column-major
 * within the pair (vpmaddwd's layout). scale [N]. */
typedef struct dp_gemm_q8 {
    int16_t *p;
    float *scale;
    size_t N, K;
} dp_gemm_q8;

/* Packs w [N][K] (K <= DP_GEMM_Q8_MAX_K, finite values). DOPPEL_OK, DOPPEL_ERR_NOMEM or
 * DOPPEL_ERR_INVALID (K too large). */
int dp_gemm_q8_pack(dp_gemm_q8 *pw, const float *w, size_t N, size_t K);
void dp_gemm_q8_release(dp_gemm_q8 *pw);

/* C [M][ldc] (first N columns) += A [M][lda] (first K columns) · W^T, with the AVX2 kernel
 * where the CPU has AVX2 (x86-64 builds), else the portable one. */
void dp_gemm_q8_nt(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_q8 *pw);

/* The portable twin, always available (for tests and non-x86 machines). */
void dp_gemm_q8_nt_portable(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_q8 *pw);

/* The kernel dp_gemm_q8_nt runs here: "avx2" or "portable". */
const char *dp_gemm_q8_kernel(void);

#endif
