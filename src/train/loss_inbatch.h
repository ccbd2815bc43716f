/*
 * In-batch negatives (InfoNCE / MultipleNegativesRanking): for unit vectors u_i, v_i of B
 * positive pairs, S = scale · U Vᵀ is the [B][B] cosine matrix over a temperature
 * (scale = 1/τ), and row i is a softmax classification whose answer is column i — every
 * other positive of the batch is a negative:
 *   L = mean_i (logsumexp_j S_ij - S_ii)
 * The symmetric version averages this with the same over columns (v_j picking u_j).
 */
#ifndef DP_TRAIN_LOSS_INBATCH_H
#define DP_TRAIN_LOSS_INBATCH_H

#include <stddef.h>

/* Floats of workspace the functions below need for a batch of B. */
size_t dp_inbatch_work_size(int B);

/* u, v: [B][D]; work: dp_inbatch_work_size(B) floats. Returns the loss. */
float dp_inbatch_forward(float *work, const float *u, const float *v, int B, int D, float scale, int symmetric);

/* du, dv: [B][D], overwritten with dL/du, dL/dv. */
void dp_inbatch_backward(float *du, float *dv, float *work, const float *u, const float *v, int B, int D,
                         float scale, int symmetric);

#endif
