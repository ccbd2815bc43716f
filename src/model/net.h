/*
 * The whole encoder network, forward and backward, over one batch:
 *   embedding bag → BiGRU × layers → pooling → projection → L2 normalisation.
 * Output: B unit vectors of out_dim floats, in batch order.
 *
 * All activations and caches live in a workspace that grows once per larger batch and is
 * reused; nothing is allocated per token. A workspace serves one thread at a time.
 *
 * Determinism: the same batch gives the same bits on every call. dp_net_forward multiplies
 * with OpenBLAS, whose sgemm rounds a row differently (by about 1e-7) depending on the
 * micro-kernel tile it lands in, so a sequence's vector there depends on the rest of its
 * batch. dp_net_infer multiplies with the fixed-order GEMM of gemm.h over weights packed
 * once (dp_net_pack): every per-sequence operation then depends on that sequence alone,
 * and a sequence gets the same bits in any batch, at any position, on any thread.
 */
#ifndef DP_MODEL_NET_H
#define DP_MODEL_NET_H

#include <stdint.h>

#include "model/batch.h"
#include "model/gemm.h"
#include "model/real.h"

typedef struct DP_R(dp_net_ws) DP_R(dp_net_ws);

/* A model's GEMM weights packed for gemm.h (float only; the double build passes none). */
typedef struct dp_net_packed {
    dp_gemm_w ih[DP_MAX_LAYERS][2]; /* [layer][direction] w_ih */
    dp_gemm_w hh[DP_MAX_LAYERS][2]; /* [layer][direction] w_hh */
    dp_gemm_w proj;                 /* proj_w */
} dp_net_packed;

/* A workspace for models of this shape (dims and pooling of cfg). */
int DP_R(dp_net_ws_create)(DP_R(dp_net_ws) **ws, const dp_model_config *cfg);
void DP_R(dp_net_ws_free)(DP_R(dp_net_ws) *ws);

/* out [B][out_dim]. keep_cache = 1 keeps every activation for dp_net_backward; 0 lets the
 * layers share buffers (inference). Errors: DOPPEL_ERR_INVALID (malformed batch, an id
 * >= buckets), DOPPEL_ERR_NOMEM, DOPPEL_ERR_TOO_LARGE. */
int DP_R(dp_net_forward_params)(const DP_R(dp_model_params) *p, DP_R(dp_net_ws) *ws, const dp_batch *batch,
                                dp_real *out, int keep_cache);

/* Backpropagates dout [B][out_dim] through the last forward (which must have run on this
 * batch with keep_cache = 1). Gradients are accumulated (+=) into grad, a block carved
 * like the parameters; of the embedding table only the rows of *touched are written:
 * *touched (owned by ws, valid until its next use) lists the distinct ids of the batch in
 * ascending order, *n_touched of them. */
int DP_R(dp_net_backward_params)(const DP_R(dp_model_params) *p, DP_R(dp_net_ws) *ws, const dp_batch *batch,
                                 const dp_real *dout, const DP_R(dp_model_params) *grad, const uint32_t **touched,
                                 size_t *n_touched);

#ifndef DP_REAL_DOUBLE
/* The same for a model (its shape must be the workspace's, else DOPPEL_ERR_INVALID); the
 * forward also takes a model whose embedding is int8 (dp_model.q8). */
int dp_net_forward(const dp_model *m, dp_net_ws *ws, const dp_batch *batch, float *out, int keep_cache);
int dp_net_backward(const dp_model *m, dp_net_ws *ws, const dp_batch *batch, const float *dout,
                    const dp_model_params *grad, const uint32_t **touched, size_t *n_touched);

/* Packs m's weights (a copy: repack after the weights change). DOPPEL_ERR_NOMEM. */
int dp_net_pack(dp_net_packed *pw, const dp_model *m);

/* Inference precision: fp32 is the reference (training's arithmetic); int8 multiplies the
 * GRU's input and recurrent products in int8 (gemm_q8.h), the rest staying fp32; auto is
 * int8 where this CPU runs a SIMD int8 kernel (measured faster than fp32 and within the
 * accuracy bounds of bench/README.md), else fp32. The values are doppel.h's
 * DOPPEL_PRECISION_*. */
typedef enum { DP_PRECISION_AUTO = 0, DP_PRECISION_FP32 = 1, DP_PRECISION_INT8 = 2 } dp_precision;

/* "auto", "fp32" or "int8"; dp_precision_parse gives -1 for another name. */
const char *dp_precision_name(dp_precision p);
int dp_precision_parse(const char *name);
/* fp32 or int8: what p means on this CPU. */
dp_precision dp_precision_resolve(dp_precision p);

/* Adds int8 twins of m's GRU weights to pw (packed from m), which dp_net_infer then
 * uses. DOPPEL_ERR_NOMEM, or DOPPEL_ERR_INVALID for rows longer than DP_GEMM_Q8_MAX_K. */
int dp_net_pack_q8(dp_net_packed *pw, const dp_model *m);
void dp_net_packed_release(dp_net_packed *pw);

/* Inference forward (no caches) through the fixed-order GEMM; pw packed from m.
 * Errors as dp_net_forward. */
int dp_net_infer(const dp_model *m, const dp_net_packed *pw, dp_net_ws *ws, const dp_batch *batch, float *out);
#endif

#endif
