/*
 * One direction of one GRU layer over a packed batch (PyTorch's nn.GRU, gates r, z, n):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))     h' = (1 - z) ⊙ n + z ⊙ h,  h0 = 0.
 * The reverse direction runs each sequence from its own last token to its first, so no
 * padding ever enters a state (packed-sequence semantics). Rows are packed (batch.h).
 * The input projection of all T rows is one GEMM; each step is one GEMM over the running
 * prefix of the batch.
 */
#ifndef DP_MODEL_GRU_H
#define DP_MODEL_GRU_H

#include "model/batch.h"
#include "model/gemm.h"
#include "model/real.h"

/* y   [T][ldy]  output: this direction's H columns (y points at its first column)
 * g   [T][3H]   cache out: the gates r, z, n
 * gh  [T][3H]   cache out: W_hh h + b_hh (backward needs its n part)
 * x   [T][in]   input rows
 * pih, phh: w_ih and w_hh packed for the fixed-order GEMM (gemm.h), or NULL for BLAS */
void DP_R(dp_gru_forward)(dp_real *y, size_t ldy, dp_real *g, dp_real *gh, const dp_real *x, size_t in,
                          const DP_R(dp_gru_params) *w, const dp_gemm_w *pih, const dp_gemm_w *phh, size_t H,
                          const dp_pack *pk, int reverse);

#ifndef DP_REAL_DOUBLE
/* Inference: dp_gru_forward's y (the same bits) with the input projection made a step at a
 * time, so g and gh are only [B][3H] (B = pk->bs[0], the widest step) and stay in cache:
 * at 64 sentences of 50 tokens the whole-batch g and gh were 10 MB, written and read
 * back from memory. pih and phh packed (gemm.h). No cache for a backward. */
void dp_gru_infer(float *y, size_t ldy, float *g, float *gh, const float *x, size_t in, const dp_gru_params *w,
                  const dp_gemm_w *pih, const dp_gemm_w *phh, size_t H, const dp_pack *pk, int reverse);
#endif

/* dx    [T][in]   += gradient of x
 * dy    [T][ldy]  in: gradient of y (this direction's columns); used as the running
 *                 gradient of the states, so it is overwritten
 * dw    gradients of the weights, +=
 * dg    [T][3H]   scratch: gradient of the input pre-activations
 * dgh   [T][3H]   scratch: gradient of W_hh h + b_hh
 * hprev [T][H]    scratch: the state each row started from
 * y, g, gh, x     as left by dp_gru_forward */
void DP_R(dp_gru_backward)(dp_real *dx, dp_real *dy, const DP_R(dp_gru_params) *dw, dp_real *dg, dp_real *dgh,
                           dp_real *hprev, const dp_real *y, size_t ldy, const dp_real *g, const dp_real *gh,
                           const dp_real *x, size_t in, const DP_R(dp_gru_params) *w, size_t H,
                           const dp_pack *pk, int reverse);

#endif
