#include "model/gemm_q8.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"
#include "model/cpu.h"
#include "model/quant.h"

#ifdef DP_X86
#include <immintrin.h>
#endif

#define NR 16      /* columns per panel: two vectors of 8 int32 sums */
#define QA 16384   /* int16 values of A quantized at a time (on the stack) */
#define MB_MAX 64  /* rows of A at a time at most: W is read once per block of rows */
#define MR 4       /* rows per tile (the AVX2 kernel's 4 x 2 int32 accumulators) */

static size_t pairs_of(size_t K) { return (K + 1) / 2; }

/* Rows of A per block: as many as fit in QA, at most MB_MAX, a multiple of MR. */
static size_t rows_per_block(size_t K)
{
    size_t r = QA / (2 * pairs_of(K));
    return r > MB_MAX ? MB_MAX : r / MR * MR;
}

int dp_gemm_q8_pack(dp_gemm_q8 *pw, const float *w, size_t N, size_t K)
{
    memset(pw, 0, sizeof *pw);
    if (K > DP_GEMM_Q8_MAX_K)
        return DOPPEL_ERR_INVALID;
    size_t np = (N + NR - 1) / NR, kp = pairs_of(K), n_el = np * kp * 2 * NR;
    int8_t *q = malloc(N * K > 0 ? N * K : 1);
    pw->p = aligned_alloc(64, (n_el * sizeof *pw->p + 63) / 64 * 64 + 64);
    pw->scale = malloc((N ? N : 1) * sizeof *pw->scale);
    if (!q || !pw->p || !pw->scale) {
        free(q);
        dp_gemm_q8_release(pw);
        return DOPPEL_ERR_NOMEM;
    }
    dp_int8_quantize(q, pw->scale, w, N, K);
    memset(pw->p, 0, n_el * sizeof *pw->p);
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < K; k++)
            pw->p[((n / NR * kp + k / 2) * NR + n % NR) * 2 + k % 2] = q[n * K + k];
    free(q);
    pw->N = N, pw->K = K;
    return DOPPEL_OK;
}

void dp_gemm_q8_release(dp_gemm_q8 *pw)
{
    free(pw->p), free(pw->scale);
    pw->p = NULL, pw->scale = NULL;
}

typedef float (*quantize_fn)(int16_t *q, const float *x, size_t n);

/* mb rows of A to int16 pairs qa [mb][2 * kp] (zero past K) and their scales, and zero rows
 * after them up to a multiple of MR (a tile reads them; their sums are not stored). */
static void quantize_rows(quantize_fn quantize, int16_t *qa, float *sa, const float *A, size_t lda, size_t mb,
                          size_t K)
{
    size_t kp2 = 2 * pairs_of(K);
    for (size_t r = 0; r < mb; r++) {
        sa[r] = quantize(qa + r * kp2, A + r * lda, K);
        for (size_t k = K; k < kp2; k++)
            qa[r * kp2 + k] = 0;
    }
    for (size_t r = mb; r % MR; r++)
        memset(qa + r * kp2, 0, kp2 * sizeof *qa);
}

/* The one way an integer sum goes back to float, for every kernel. */
static inline float dequant(int32_t acc, float sa, float sw) { return (float)acc * (sa * sw); }

/* Rows [0, mb) of quantized A times every panel, portable: the integer sums in any order. */
static void block_portable(float *C, size_t ldc, const int16_t *qa, const float *sa, size_t mb, const dp_gemm_q8 *pw)
{
    size_t N = pw->N, kp = pairs_of(pw->K), np = (N + NR - 1) / NR;
    for (size_t j = 0; j < np; j++) {
        const int16_t *bp = pw->p + j * kp * 2 * NR;
        size_t nc = N - j * NR < NR ? N - j * NR : NR;
        for (size_t r = 0; r < mb; r++) {
            const int16_t *a = qa + r * 2 * kp;
            for (size_t c = 0; c < nc; c++) {
                int32_t acc = 0;
                for (size_t k = 0; k < kp; k++)
                    acc += a[2 * k] * bp[(k * NR + c) * 2] + a[2 * k + 1] * bp[(k * NR + c) * 2 + 1];
                C[r * ldc + j * NR + c] += dequant(acc, sa[r], pw->scale[j * NR + c]);
            }
        }
    }
}

#ifdef DP_X86
/* Rows [0, MR) of quantized A (int16 pairs, kp per row) times panel bp: acc[2r + c] holds
 * row r's sums of columns 8c .. 8c + 7. Four rows always (a block's rows are padded). */
static inline __attribute__((always_inline, target("avx2"))) void tile_avx2(__m256i acc[2 * MR], const int16_t *qa,
                                                                             size_t kp, const int16_t *bp)
{
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
            c31 = c00;
    const int16_t *a0 = qa, *a1 = qa + 2 * kp, *a2 = qa + 4 * kp, *a3 = qa + 6 * kp;
    for (size_t k = 0; k < kp; k++, bp += 2 * NR) {
        __m256i b0 = _mm256_load_si256((const __m256i *)bp), b1 = _mm256_load_si256((const __m256i *)(bp + 16));
        int32_t p0, p1, p2, p3;
        memcpy(&p0, a0 + 2 * k, 4), memcpy(&p1, a1 + 2 * k, 4), memcpy(&p2, a2 + 2 * k, 4), memcpy(&p3, a3 + 2 * k, 4);
        __m256i x0 = _mm256_set1_epi32(p0), x1 = _mm256_set1_epi32(p1), x2 = _mm256_set1_epi32(p2),
                x3 = _mm256_set1_epi32(p3);
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x0, b0)), c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x0, b1));
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x1, b0)), c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x1, b1));
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x2, b0)), c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x2, b1));
        c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x3, b0)), c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x3, b1));
    }
    acc[0] = c00, acc[1] = c01, acc[2] = c10, acc[3] = c11, acc[4] = c20, acc[5] = c21, acc[6] = c30, acc[7] = c31;
}

/* mr <= MR rows of sums into nc <= NR columns of C, by dequant's operations (eight lanes at
 * a time for a whole panel: the same bits). */
static inline __attribute__((always_inline, target("avx2"))) void tile_store_avx2(const __m256i acc[2 * MR],
                                                                                   size_t mr, float *C, size_t ldc,
                                                                                   const float *sa, const float *sw,
                                                                                   size_t nc)
{
    for (size_t r = 0; r < mr; r++) {
        float *c = C + r * ldc;
        if (nc == NR) {
            __m256 s = _mm256_set1_ps(sa[r]);
            __m256 x0 = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[2 * r]), _mm256_mul_ps(s, _mm256_loadu_ps(sw)));
            __m256 x1 = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[2 * r + 1]), _mm256_mul_ps(s, _mm256_loadu_ps(sw + 8)));
            _mm256_storeu_ps(c, _mm256_add_ps(_mm256_loadu_ps(c), x0));
            _mm256_storeu_ps(c + 8, _mm256_add_ps(_mm256_loadu_ps(c + 8), x1));
            continue;
        }
        int32_t v[NR];
        _mm256_storeu_si256((__m256i *)v, acc[2 * r]);
        _mm256_storeu_si256((__m256i *)(v + 8), acc[2 * r + 1]);
        for (size_t k = 0; k < nc; k++)
            c[k] += dequant(v[k], sa[r], sw[k]);
    }
}

__attribute__((target("avx2"))) static void block_avx2(float *C, size_t ldc, const int16_t *qa, const float *sa,
                                                       size_t mb, const dp_gemm_q8 *pw)
{
    size_t N = pw->N, kp = pairs_of(pw->K), np = (N + NR - 1) / NR;
    for (size_t j = 0; j < np; j++) {
        const int16_t *bp = pw->p + j * kp * 2 * NR;
        size_t nc = N - j * NR < NR ? N - j * NR : NR;
        for (size_t r = 0; r < mb; r += MR) {
            __m256i acc[2 * MR];
            tile_avx2(acc, qa + r * 2 * kp, kp, bp);
            tile_store_avx2(acc, mb - r < MR ? mb - r : MR, C + r * ldc + j * NR, ldc, sa + r, pw->scale + j * NR, nc);
        }
    }
}
#endif

typedef void (*block_fn)(float *C, size_t ldc, const int16_t *qa, const float *sa, size_t mb, const dp_gemm_q8 *pw);

static void run(quantize_fn quantize, block_fn block, float *C, size_t ldc, const float *A, size_t lda, size_t M,
                const dp_gemm_q8 *pw)
{
    _Alignas(32) int16_t qa[QA];
    float sa[MB_MAX];
    size_t mb_max = rows_per_block(pw->K);
    for (size_t m0 = 0; m0 < M; m0 += mb_max) {
        size_t mb = M - m0 < mb_max ? M - m0 : mb_max;
        quantize_rows(quantize, qa, sa, A + m0 * lda, lda, mb, pw->K);
        block(C + m0 * ldc, ldc, qa, sa, mb, pw);
    }
}

void dp_gemm_q8_nt_portable(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_q8 *pw)
{
    run(dp_int8_quantize_fast, block_portable, C, ldc, A, lda, M, pw);
}

void dp_gemm_q8_nt(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_q8 *pw)
{
#ifdef DP_X86
    if (dp_cpu_avx2()) {
        run(dp_int8_quantize_fast_avx2, block_avx2, C, ldc, A, lda, M, pw);
        return;
    }
#endif
    run(dp_int8_quantize_fast, block_portable, C, ldc, A, lda, M, pw);
}

const char *dp_gemm_q8_kernel(void)
{
#ifdef DP_X86
    if (dp_cpu_avx2())
        return "avx2";
#endif
    return "portable";
}
