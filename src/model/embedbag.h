/* The hashed-vocabulary embedding bag: a token's vector is the mean of its buckets' rows
 * (nn.EmbeddingBag(mode='mean'); an empty bag gives the zero vector). */
#ifndef DP_MODEL_EMBEDBAG_H
#define DP_MODEL_EMBEDBAG_H

#include "model/batch.h"
#include "model/real.h"

/* x     [T][E] packed rows (row pk->tok_row[t] is token t)
 * table [buckets][E] fp32 rows; or NULL, and then the rows are q8's int8 ones (model.h),
 *       row r = dp_int8_value(q8->q[r][i], q8->scale[r]) computed as they are summed: the
 *       load-time dequantization's arithmetic, so the same bits as from its fp32 table */
void DP_R(dp_embedbag_forward)(dp_real *x, const dp_batch *batch, const dp_pack *pk, const dp_real *table,
                               const dp_embed_q8 *q8, size_t E);

/* The same, compiled for the baseline ISA (what dp_embedbag_forward runs on CPUs without
 * AVX2; the same bits): for tests. */
void DP_R(dp_embedbag_forward_portable)(dp_real *x, const dp_batch *batch, const dp_pack *pk, const dp_real *table,
                                        const dp_embed_q8 *q8, size_t E);

/* dtable [buckets][E] += only at the rows of ids in the batch
 * dx     [T][E] packed gradient of x */
void DP_R(dp_embedbag_backward)(dp_real *dtable, const dp_real *dx, const dp_batch *batch, const dp_pack *pk,
                                size_t E);

#endif
