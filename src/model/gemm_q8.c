#include "model/gemm_q8.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"
#include "model/cpu.h"
#include "model/quant.h"

#ifdef DP_X86
#include <immintrin.h>
#endif

#define NR 16 /* columns per panel: two vectors of 8 int32 sums */
#define MB 16 /* rows of A quantized at a time (on the stack) */

static size_t pairs_of(size_t K) { return (K + 1) / 2; }

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

/* mb rows of A to int16 pairs qa [mb][2 * kp] (zero past K) and their scales, with
 * dp_int8_quantize_fast (activations are quantized at every step: it vectorizes). */
static void quantize_rows(int16_t *qa, float *sa, const float *A, size_t lda, size_t mb, size_t K)
{
    size_t kp2 = 2 * pairs_of(K);
    for (size_t r = 0; r < mb; r++) {
        sa[r] = dp_int8_quantize_fast(qa + r * kp2, A + r * lda, K);
        for (size_t k = K; k < kp2; k++)
            qa[r * kp2 + k] = 0;
    }
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
#define MR 4 /* rows per tile: 4 x 2 int32 accumulators */

/* mr rows of quantized A (int16 pairs) times panel bp into nc <= NR columns of C. */
static inline __attribute__((always_inline, target("avx2"))) void tile_avx2(int mr, float *C, size_t ldc,
                                                                             const int16_t *qa, size_t kp,
                                                                             const float *sa, const int16_t *bp,
                                                                             const float *sw, size_t nc)
{
    __m256i acc[MR][2];
    for (int r = 0; r < mr; r++)
        acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    for (size_t k = 0; k < kp; k++) {
        __m256i b0 = _mm256_load_si256((const __m256i *)(bp + k * 2 * NR));
        __m256i b1 = _mm256_load_si256((const __m256i *)(bp + k * 2 * NR + 16));
        for (int r = 0; r < mr; r++) {
            int32_t pair;
            memcpy(&pair, qa + (size_t)r * 2 * kp + 2 * k, sizeof pair);
            __m256i a = _mm256_set1_epi32(pair);
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(a, b0));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(a, b1));
        }
    }
    for (int r = 0; r < mr; r++) {
        float *c = C + (size_t)r * ldc;
        if (nc == NR) { /* dequant's operations, eight lanes at a time: the same bits */
            __m256 s = _mm256_set1_ps(sa[r]);
            __m256 x0 = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][0]), _mm256_mul_ps(s, _mm256_loadu_ps(sw)));
            __m256 x1 = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][1]), _mm256_mul_ps(s, _mm256_loadu_ps(sw + 8)));
            _mm256_storeu_ps(c, _mm256_add_ps(_mm256_loadu_ps(c), x0));
            _mm256_storeu_ps(c + 8, _mm256_add_ps(_mm256_loadu_ps(c + 8), x1));
            continue;
        }
        int32_t s[NR];
        _mm256_storeu_si256((__m256i *)s, acc[r][0]);
        _mm256_storeu_si256((__m256i *)(s + 8), acc[r][1]);
        for (size_t k = 0; k < nc; k++)
            c[k] += dequant(s[k], sa[r], sw[k]);
    }
}

__attribute__((target("avx2"))) static void block_avx2(float *C, size_t ldc, const int16_t *qa, const float *sa,
                                                       size_t mb, const dp_gemm_q8 *pw)
{
    size_t N = pw->N, kp = pairs_of(pw->K), np = (N + NR - 1) / NR;
    for (size_t j = 0; j < np; j++) {
        const int16_t *bp = pw->p + j * kp * 2 * NR;
        const float *sw = pw->scale + j * NR;
        size_t nc = N - j * NR < NR ? N - j * NR : NR;
        float *c = C + j * NR;
        size_t r = 0;
        for (; r + MR <= mb; r += MR)
            tile_avx2(MR, c + r * ldc, ldc, qa + r * 2 * kp, kp, sa + r, bp, sw, nc);
        switch (mb - r) {
        case 3: tile_avx2(3, c + r * ldc, ldc, qa + r * 2 * kp, kp, sa + r, bp, sw, nc); break;
        case 2: tile_avx2(2, c + r * ldc, ldc, qa + r * 2 * kp, kp, sa + r, bp, sw, nc); break;
        case 1: tile_avx2(1, c + r * ldc, ldc, qa + r * 2 * kp, kp, sa + r, bp, sw, nc); break;
        default: break;
        }
    }
}
#endif

typedef void (*block_fn)(float *C, size_t ldc, const int16_t *qa, const float *sa, size_t mb, const dp_gemm_q8 *pw);

static void run(block_fn block, float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_q8 *pw)
{
    _Alignas(32) int16_t qa[MB * 2 * ((DP_GEMM_Q8_MAX_K + 1) / 2)];
    float sa[MB];
    for (size_t m0 = 0; m0 < M; m0 += MB) {
        size_t mb = M - m0 < MB ? M - m0 : MB;
        quantize_rows(qa, sa, A + m0 * lda, lda, mb, pw->K);
        block(C + m0 * ldc, ldc, qa, sa, mb, pw);
    }
}

void dp_gemm_q8_nt_portable(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_q8 *pw)
{
    run(block_portable, C, ldc, A, lda, M, pw);
}

void dp_gemm_q8_nt(float *C, size_t ldc, const float *A, size_t lda, size_t M, const dp_gemm_q8 *pw)
{
#ifdef DP_X86
    if (dp_cpu_avx2()) {
        run(block_avx2, C, ldc, A, lda, M, pw);
        return;
    }
#endif
    run(block_portable, C, ldc, A, lda, M, pw);
}

const char *dp_gemm_q8_kernel(void)
{
#ifdef DP_X86
    if (dp_cpu_avx2())
        return "avx2";
#endif
    return "portable";
}
