/* The projection y = W x + b over a batch of rows (nn.Linear). */
#ifndef DP_MODEL_LINEAR_H
#define DP_MODEL_LINEAR_H

#include "model/gemm.h"
#include "model/real.h"

/* out [B][O], in [B][In], w [O][In], b [O]; pw: w packed for the fixed-order GEMM, or NULL */
void DP_R(dp_linear_forward)(dp_real *out, const dp_real *in, const dp_real *w, const dp_gemm_w *pw,
                             const dp_real *b, size_t B, size_t In, size_t O);

/* din [B][In] = dout · W (overwritten; may be NULL); dw [O][In] += dout^T · in; db [O] += Σ dout */
void DP_R(dp_linear_backward)(dp_real *din, dp_real *dw, dp_real *db, const dp_real *dout, const dp_real *in,
                              const dp_real *w, size_t B, size_t In, size_t O);

#endif
