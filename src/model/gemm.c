#include "model/gemm.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"
#include "model/cpu.h"

#define NR DP_GEMM_NR
#define MR 6  /* rows per tile: 6 x 16 keeps 12 AVX2 accumulators in registers */
#define MC 96 /* rows per block: their A stays in L1/L2 while every panel passes */

typedef float vf __attribute__((vector_size(32)));                  /* 8 floats */
typedef float vfu __attribute__((vector_size(32), aligned(4)));     /* unaligned access */

int dp_gemm_w_pack(dp_gemm_w *pw, const float *w, size_t N, size_t K)
{
    size_t np = (N + NR - 1) / NR, bytes = np * K * NR * sizeof(float);
    pw->q8 = NULL;
    pw->p = aligned_alloc(64, bytes ? (bytes + 63) / 64 * 64 : 64);
    if (!pw->p)
        return DOPPEL_ERR_NOMEM;
    memset(pw->p, 0, bytes);
    pw->N = N, pw->K = K;
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < K; k++)
            pw->p[(n / NR * K + k) * NR + n % NR] = w[n * K + k];
    return DOPPEL_OK;
}

void dp_gemm_w_release(dp_gemm_w *pw)
{
    free(pw->p);
    pw->p = NULL;
    if (pw->q8)
        dp_gemm_q8_release(pw->q8);
    free(pw->q8);
    pw->q8 = NULL;
}

int dp_gemm_w_pack_q8(dp_gemm_w *pw, const float *w)
{
    dp_gemm_q8 *q = malloc(sizeof *q);
    if (!q)
        return DOPPEL_ERR_NOMEM;
    int rc = dp_gemm_q8_pack(q, w, pw->N, pw->K);
    if (rc) {
        free(q);
        return rc;
    }
    pw->q8 = q;
    return DOPPEL_OK;
}

/* mr (a constant once inlined) rows of A times one panel bp [K][NR] into nc <= NR columns
 * of C. Every element goes through the same acc = acc + a*b sequence for every mr. */
static inline __attribute__((always_inline)) void tile(int mr, float *C, size_t ldc, const float *A, size_t lda,
                                                       const float *bp, size_t K, size_t nc)
{
    vf acc[MR][2];
#pragma GCC unroll 8
    for (int r = 0; r < mr; r++) {
        float *c = C + (size_t)r * ldc;
        if (nc == NR) {
            acc[r][0] = *(const vfu *)c;
            acc[r][1] = *(const vfu *)(c + 8);
        } else {
            float t[NR] = {0};
            memcpy(t, c, nc * sizeof *t);
            acc[r][0] = *(const vfu *)t;
            acc[r][1] = *(const vfu *)(t + 8);
        }
    }
    for (size_t k = 0; k < K; k++) {
        vf b0 = *(const vf *)(bp + k * NR), b1 = *(const vf *)(bp + k * NR + 8);
#pragma GCC unroll 8
        for (int r = 0; r < mr; r++) {
            float a = A[(size_t)r * lda + k];
            acc[r][0] = acc[r][0] + a * b0;
            acc[r][1] = acc[r][1] + a * b1;
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < mr; r++) {
        float *c = C + (size_t)r * ldc;
        if (nc == NR) {
            *(vfu *)c = acc[r][0];
            *(vfu *)(c + 8) = acc[r][1];
        } else {
            float t[NR];
            *(vfu *)t = acc[r][0];
            *(vfu *)(t + 8) = acc[r][1];
            memcpy(c, t, nc * sizeof *t);
        }
    }
}

static inline __attribute__((always_inline)) void gemm_nt(float *C, size_t ldc, const float *A, size_t lda,
                                                          size_t M, const dp_gemm_w *pw)
{
    size_t N = pw->N, K = pw->K, np = (N + NR - 1) / NR;
    for (size_t m0 = 0; m0 < M; m0 += MC) {
        size_t mc = M - m0 < MC ? M - m0 : MC;
        for (size_t j = 0; j < np; j++) {
            const float *bp = pw->p + j * K * NR;
            size_t nc = N - j * NR < NR ? N - j * NR : NR;
            float *c = C + m0 * ldc + j * NR;
            const float *a = A + m0 * lda;
            size_t r = 0;
            for (; r + MR <= mc; r += MR)
                tile(MR, c + r * ldc, ldc, a + r * lda, lda, bp, K, nc);
            switch (mc - r) {
            case 5: tile(5, c + r * ldc, ldc, a + r * lda, lda, bp, K, nc); break;
            case 4: tile(4, c + r * ldc, ldc, a + r * lda, lda, bp, K, nc); break;
            case 3: tile(3, c + r * ldc, ldc, a + r * lda, lda, bp, K, nc); break;
            case 2: tile(2, c + r * ldc, ldc, a + r * lda, lda, bp, K, nc); break;
            case 1: tile(1, c + r * ldc, ldc, a + r * lda, lda, bp, K, nc); break;
            default: break;
            }
        }
    }
}

/* The same code compiled twice on x86, for AVX2 and for the baseline ISA, chosen per call
 * (a cheap flag test; not an ifunc: resolvers run before sanitizer runtimes start). Other
 * architectures compile the baseline alone (GCC's vectors lower to their own SIMD). */
#ifdef DP_X86
__attribute__((target("avx2"))) static void gemm_nt_avx2(float *C, size_t ldc, const float *A, size_t lda,
                                                         size_t M, const dp_gemm_w *pw)
{
    gemm_nt(C, ldc, A, lda, M, pw);
}
#endif

static void gemm_nt_baseline(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_w *pw)
{
    gemm_nt(C, ldc, A, lda, M, pw);
}

void dp_gemm_nt(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_w *pw)
{
    if (pw->q8)
        dp_gemm_q8_nt(C, ldc, A, lda, M, pw->q8);
#ifdef DP_X86
    else if (dp_cpu_avx2())
        gemm_nt_avx2(C, ldc, A, lda, M, pw);
#endif
    else
        gemm_nt_baseline(C, ldc, A, lda, M, pw);
}
