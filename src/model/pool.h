/* Pooling over time of the concatenated directions [h_fwd ; h_bwd] (width D = 2H) of
 * each sequence: mean, max, [mean ; max], or [mean ; max ; mean of the embedded tokens
 * (width E)] for DP_POOL_MEANMAX_BAG. A sequence of length 0 pools to zeros. */
#ifndef DP_MODEL_POOL_H
#define DP_MODEL_POOL_H

#include "model/batch.h"
#include "model/real.h"

/* out    [B][P]  P = dp_pool_width(D, E, mode); rows in batch order
 * argmax [B][D]  packed row of each maximum (max modes; -1 for an empty sequence), or NULL
 *                when no backward follows (inference)
 * y      [T][D]  packed top-layer states
 * x      [T][E]  packed embedded tokens (read by DP_POOL_MEANMAX_BAG only) */
void DP_R(dp_pool_forward)(dp_real *out, int *argmax, const dp_real *y, size_t D, const dp_real *x, size_t E,
                           int mode, const dp_batch *batch, const dp_pack *pk);

/* dy [T][D] and dx [T][E] (DP_POOL_MEANMAX_BAG only) += gradient (caller zeroes them);
 * dout [B][P] */
void DP_R(dp_pool_backward)(dp_real *dy, dp_real *dx, const dp_real *dout, const int *argmax, size_t D, size_t E,
                            int mode, const dp_batch *batch, const dp_pack *pk);

#endif
