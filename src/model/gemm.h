/*
 * A small GEMM whose every output element is summed in one fixed order, for inference:
 *   C [M][N] += A [M][K] · W^T,   W [N][K] a weight matrix (nn.Linear's layout).
 * Element (m, n) is C[m][n] + a[0]·w[n][0] + a[1]·w[n][1] + ... , left to right, each
 * product rounded then added (no FMA, no reassociation): the same bits whatever M is,
 * wherever row m sits in A, and on any thread. OpenBLAS's sgemm does not promise that
 * (its kernels round a row differently by its place in a tile), and a sentence's vector
 * must not depend on what else shares its batch.
 *
 * Because no FMA is used, the result is also the same on every x86-64 machine and in every
 * ISA clone of the kernel (AVX2 or baseline SSE2): IEEE single-precision multiply and add
 * are exact-rounded in all of them. On AMD Zen, whose multiply and add pipes are separate,
 * mul+add costs no more throughput than FMA.
 *
 * W is packed once (dp_gemm_w_pack) into column panels of W^T so the kernel streams it.
 */
#ifndef DP_MODEL_GEMM_H
#define DP_MODEL_GEMM_H

#include <stddef.h>

#include "model/gemm_q8.h"
#include "model/real.h"

/* W^T [K][N] in panels of DP_GEMM_NR columns: panel j holds columns j*NR.. as [K][NR]
 * (the last panel zero-padded). */
typedef struct dp_gemm_w {
    float *p;
    size_t N, K;
    dp_gemm_q8 *q8; /* when set (dp_gemm_w_pack_q8), dp_gemm_nt multiplies in int8 with it */
} dp_gemm_w;

#define DP_GEMM_NR 16

/* Packs w [N][K]. DOPPEL_OK or DOPPEL_ERR_NOMEM. */
int dp_gemm_w_pack(dp_gemm_w *pw, const float *w, size_t N, size_t K);
void dp_gemm_w_release(dp_gemm_w *pw);

/* Adds an int8 twin of the packed weights (gemm_q8.h) that dp_gemm_nt uses from then on:
 * reduced precision for inference. DOPPEL_OK, DOPPEL_ERR_NOMEM or DOPPEL_ERR_INVALID (K
 * above DP_GEMM_Q8_MAX_K). */
int dp_gemm_w_pack_q8(dp_gemm_w *pw, const float *w);

/* C [M][ldc] (its first N columns) += A [M][lda] (its first K columns) · W^T. */
/* With an int8 twin, gemm_q8.h's product. Otherwise runs the AVX2 build of the kernel where the CPU has AVX2, else the baseline one; neither
 * uses FMA, so both give the same bits. */
void dp_gemm_nt(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_w *pw);

/* C [M][N] += A [M][K] · W^T for W [N][K] (row strides ldc, lda): the fixed-order kernel
 * when W comes packed as pw (float only), else BLAS (training, and the double-precision
 * build of the layers). */
static inline void DP_R(dp_mm_nt)(dp_real *C, size_t ldc, const dp_real *A, size_t lda, const dp_real *W,
                                  const dp_gemm_w *pw, size_t M, size_t N, size_t K)
{
    if (M == 0)
        return;
#ifndef DP_REAL_DOUBLE
    if (pw) {
        dp_gemm_nt(C, ldc, A, lda, M, pw);
        return;
    }
#endif
    DP_GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)K, 1, A, (int)lda, W, (int)K, 1, C,
            (int)ldc);
}

#endif
