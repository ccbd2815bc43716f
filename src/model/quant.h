/*
 * Storage types of the embedding table in a model file. In memory a model is fp32, except
 * that a model loaded for inference may keep an int8 table as stored (model.h, dp_embed_q8);
 * these convert a table to and from its file form.
 *   fp16: IEEE 754 binary16, round to nearest even; values beyond ±65504 do not fit.
 *   int8: per row r, scale[r] = max|x| / 127 and q = round(x / scale) in -127..127, so
 *         every value comes back within scale[r] / 2 (plus fp32 rounding).
 */
#ifndef DP_MODEL_QUANT_H
#define DP_MODEL_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "model/cpu.h"

typedef enum {
    DP_DTYPE_FP32 = 0,
    DP_DTYPE_FP16 = 1,
    DP_DTYPE_INT8 = 2,
} dp_dtype;

/* "fp32", "fp16", "int8", or NULL for an unknown value. */
const char *dp_dtype_name(dp_dtype t);
/* Parses a name; -1 if unknown. */
int dp_dtype_parse(const char *name);
/* Bytes per element (1, 2 or 4); 0 for an unknown dtype. */
size_t dp_dtype_size(dp_dtype t);

uint16_t dp_fp16_from_f32(float x);
float dp_f32_from_fp16(uint16_t h);

/* Whether every value of x[0..n) has an fp16 form (finite and |x| <= 65504 after rounding). */
int dp_fp16_fits(const float *x, size_t n);

/* x [rows][cols] -> q [rows][cols], scale [rows]. Non-finite input is the caller's to reject.
 * The one int8 rule for what is kept: model tables, the int8 GEMM's weights and the
 * sweep's sentence vectors. */
void dp_int8_quantize(int8_t *q, float *scale, const float *x, size_t rows, size_t cols);
/* The value an int8 entry q of a row with this scale stands for. The one definition of the
 * dequantization: the load-time conversion below and the on-the-fly gather of an int8
 * table (embedbag.c) both use it, so they give the same bits. */
static inline float dp_int8_value(int8_t q, float scale) { return (float)q * scale; }

/* One row x [n] to q [n] in -127..127 (int16, for the int8 GEMM's pairs), returning its
 * scale max|x| / 127: q = x · (127 / max|x|) rounded to nearest even. The activations of
 * the int8 inference GEMM (gemm_q8.h), quantized at every step: a multiply, not
 * dp_int8_quantize's divide, so it vectorizes; a value may round the other way than there
 * at a tie. x finite. */
float dp_int8_quantize_fast(int16_t *q, const float *x, size_t n);
#ifdef DP_X86
/* Its AVX2 twin (the same bits), for CPUs with AVX2 only. */
float dp_int8_quantize_fast_avx2(int16_t *q, const float *x, size_t n);
#endif

/* q [rows][cols], scale [rows] -> x [rows][cols] */
void dp_int8_dequantize(float *x, const int8_t *q, const float *scale, size_t rows, size_t cols);

#endif
