/* Pooling over time of the concatenated directions [h_fwd ; h_bwd] (width D = 2H) of
 * each sequence: mean, max, or [mean ; max]. A sequence of length 0 pools to zeros. */
#ifndef DP_MODEL_POOL_H
#define DP_MODEL_POOL_H

#include "model/batch.h"
#include "model/real.h"

/* out    [B][P]  P = D, or 2D for DP_POOL_MEANMAX; rows in batch order
 * argmax [B][D]  packed row of each maximum (max modes; -1 for an empty sequence), or NULL
 *                when no backward follows (inference)
 * y      [T][D]  packed top-layer states */
void DP_R(dp_pool_forward)(dp_real *out, int *argmax, const dp_real *y, size_t D, int mode, const dp_batch *batch,
                           const dp_pack *pk);

/* dy [T][D] += gradient (caller zeroes it); dout [B][P] */
void DP_R(dp_pool_backward)(dp_real *dy, const dp_real *dout, const int *argmax, size_t D, int mode,
                            const dp_batch *batch, const dp_pack *pk);

#endif
