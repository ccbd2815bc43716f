/* Pooling over time of the concatenated directions [h_fwd ; h_bwd] (width D = 2H) of
 * each sequence: mean, max, [mean ; max], [mean ; max ; mean of the embedded tokens
 * (width E)] for DP_POOL_MEANMAX_BAG, or [attention-weighted mean ; max] for
 * DP_POOL_ATTNMAX (weights softmax over the sequence of attn · embedded token). A sequence
 * of length 0 pools to zeros. */
#ifndef DP_MODEL_POOL_H
#define DP_MODEL_POOL_H

#include "model/batch.h"
#include "model/real.h"

/* The inputs of a pooling. */
typedef struct DP_R(dp_pool_in) {
    const dp_real *y;    /* [T][D] packed top-layer states */
    size_t D;
    const dp_real *x;    /* [T][E] packed embedded tokens (MEANMAX_BAG and ATTNMAX) */
    size_t E;
    const dp_real *attn; /* [E] (ATTNMAX only) */
    int mode;            /* dp_pooling */
} DP_R(dp_pool_in);

/* out    [B][P]  P = dp_pool_width(D, E, mode); rows in batch order
 * argmax [B][D]  packed row of each maximum (max modes; -1 for an empty sequence), or NULL
 *                when no backward follows (inference)
 * weight [T]     packed attention weight of each token (ATTNMAX; written, read by backward) */
void DP_R(dp_pool_forward)(dp_real *out, int *argmax, dp_real *weight, const DP_R(dp_pool_in) *in,
                           const dp_batch *batch, const dp_pack *pk);

/* dy [T][D], dx [T][E] (MEANMAX_BAG and ATTNMAX) and dattn [E] (ATTNMAX) += gradient (the
 * caller zeroes them); dout [B][P]; argmax and weight as the forward left them */
void DP_R(dp_pool_backward)(dp_real *dy, dp_real *dx, dp_real *dattn, const dp_real *dout, const int *argmax,
                            const dp_real *weight, const DP_R(dp_pool_in) *in, const dp_batch *batch,
                            const dp_pack *pk);

#endif
