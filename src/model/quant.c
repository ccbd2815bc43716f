#include "model/quant.h"

#include "model/cpu.h"
#ifdef DP_X86
#include <immintrin.h>
#endif

#include <math.h>
#include <string.h>

static const char *const names[] = {[DP_DTYPE_FP32] = "fp32", [DP_DTYPE_FP16] = "fp16", [DP_DTYPE_INT8] = "int8"};

const char *dp_dtype_name(dp_dtype t)
{
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : NULL;
}

int dp_dtype_parse(const char *name)
{
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

size_t dp_dtype_size(dp_dtype t)
{
    switch (t) {
    case DP_DTYPE_FP32: return 4;
    case DP_DTYPE_FP16: return 2;
    case DP_DTYPE_INT8: return 1;
    }
    return 0;
}

static uint32_t bits_of(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static float float_of(uint32_t u)
{
    float x;
    memcpy(&x, &u, 4);
    return x;
}

uint16_t dp_fp16_from_f32(float x)
{
    uint32_t u = bits_of(x);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    uint32_t exp = (u >> 23) & 0xffu, man = u & 0x7fffffu;
    if (exp == 0xff) /* inf stays inf; NaN keeps a quiet, non-zero mantissa */
        return (uint16_t)(sign | 0x7c00u | (man ? 0x200u | (man >> 13) : 0));
    int e = (int)exp - 127 + 15; /* biased half exponent */
    if (e >= 31)
        return (uint16_t)(sign | 0x7c00u);
    uint32_t full, shift;
    if (e <= 0) { /* subnormal half (or zero): shift the implicit 1 in */
        if (e < -10)
            return sign;
        full = man | 0x800000u;
        shift = (uint32_t)(14 - e);
    } else {
        full = man;
        shift = 13;
    }
    uint32_t h = full >> shift, rest = full & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rest > half || (rest == half && (h & 1)))
        h++; /* a carry into the exponent field is the correct rounding */
    return (uint16_t)(sign | (e <= 0 ? h : (((uint32_t)e << 10) + h)));
}

float dp_f32_from_fp16(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    if (exp == 0x1f)
        return float_of(sign | 0x7f800000u | (man << 13));
    if (exp == 0) /* zero or subnormal: man * 2^-24, exact in fp32 */
        return (sign ? -1.0f : 1.0f) * (float)man * 0x1p-24f;
    return float_of(sign | ((exp - 15 + 127) << 23) | (man << 13));
}

int dp_fp16_fits(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((dp_fp16_from_f32(x[i]) & 0x7c00u) == 0x7c00u)
            return 0;
    return 1;
}

void dp_int8_quantize(int8_t *q, float *scale, const float *x, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float m = 0.0f;
        for (size_t c = 0; c < cols; c++)
            m = fmaxf(m, fabsf(xr[c]));
        scale[r] = m / 127.0f;
        /* m near FLT_MAX: 127 * (m / 127) may round up past it; the largest scale whose
         * dequantized values stay finite keeps a saved model loadable */
        while (isinf(127.0f * scale[r]))
            scale[r] = nextafterf(scale[r], 0.0f);
        /* x / m first: 127 / m overflows to infinity for a subnormal m */
        for (size_t c = 0; c < cols; c++) {
            float v = m > 0.0f ? roundf(xr[c] / m * 127.0f) : 0.0f;
            q[r * cols + c] = (int8_t)(v > 127.0f ? 127 : v < -127.0f ? -127 : v);
        }
    }
}

/* 127 / m for a row's max |x| = m, or 0: m / 127 overflowing, or 127 / m for a subnormal
 * m: no such activation after a tanh or a bag of embedding rows; they quantize to zero
 * with scale 0. Both quantizers below share it, so they agree bit for bit. */
static float quantize_inv(float m) { return m > 1e-30f && m < 1e30f ? 127.0f / m : 0.0f; }

static float quantize_scale(float m, float inv) { return inv > 0.0f ? m / 127.0f : 0.0f; }

/* Adding and taking away 1.5 * 2^23 rounds a float of magnitude < 2^22 to the nearest even
 * integer in IEEE arithmetic, lane by lane. */
#define ROUND_MAGIC 12582912.0f

static int16_t quantize_one(float x, float inv)
{
    float v = x * inv;
    v = v > 127.0f ? 127.0f : v < -127.0f ? -127.0f : v;
    return (int16_t)((v + ROUND_MAGIC) - ROUND_MAGIC);
}

float dp_int8_quantize_fast(int16_t *q, const float *x, size_t n)
{
    float m = 0.0f;
    for (size_t i = 0; i < n; i++) {
        float v = fabsf(x[i]);
        m = v > m ? v : m; /* not fmaxf: a libm call per element here */
    }
    float inv = quantize_inv(m);
    for (size_t i = 0; i < n; i++)
        q[i] = quantize_one(x[i], inv);
    return quantize_scale(m, inv);
}

#ifdef DP_X86
/* The same operations eight lanes at a time (the maximum is exact in any order; the
 * clamp, for finite values, and the rounding are the scalar ones): the same bits. */
__attribute__((target("avx2"))) float dp_int8_quantize_fast_avx2(int16_t *q, const float *x, size_t n)
{
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 vm = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        vm = _mm256_max_ps(vm, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(vm), _mm256_extractf128_ps(vm, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
    float m = _mm_cvtss_f32(h);
    for (; i < n; i++) {
        float v = fabsf(x[i]);
        m = v > m ? v : m;
    }
    float inv = quantize_inv(m);
    const __m256 vinv = _mm256_set1_ps(inv), hi = _mm256_set1_ps(127.0f), lo = _mm256_set1_ps(-127.0f),
                 magic = _mm256_set1_ps(ROUND_MAGIC);
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 v = _mm256_max_ps(_mm256_min_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i), vinv), hi), lo);
        __m256i k = _mm256_cvttps_epi32(_mm256_sub_ps(_mm256_add_ps(v, magic), magic));
        __m128i p = _mm_packs_epi32(_mm256_castsi256_si128(k), _mm256_extracti128_si256(k, 1));
        _mm_storeu_si128((__m128i *)(q + i), p);
    }
    for (; i < n; i++)
        q[i] = quantize_one(x[i], inv);
    return quantize_scale(m, inv);
}
#endif

void dp_int8_dequantize(float *x, const int8_t *q, const float *scale, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++)
            x[r * cols + c] = dp_int8_value(q[r * cols + c], scale[r]);
}
