/*
 * Cosine regression: L = mean_i (u_i·v_i - t_i)² for unit vectors, targets t_i in [-1, 1]
 * (the trainer maps a 0-5 score s to t = s / 5).
 */
#ifndef DP_TRAIN_LOSS_COSMSE_H
#define DP_TRAIN_LOSS_COSMSE_H

/* u, v: [B][D]; target: [B]. Returns the mean squared error. */
float dp_cosmse_forward(const float *u, const float *v, const float *target, int B, int D);

/* du, dv: [B][D], overwritten with dL/du, dL/dv. */
void dp_cosmse_backward(float *du, float *dv, const float *u, const float *v, const float *target, int B, int D);

#endif
