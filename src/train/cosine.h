/* Row-wise dot products of two batches of vectors: the cosine when the rows are unit. */
#ifndef DP_TRAIN_COSINE_H
#define DP_TRAIN_COSINE_H

/* u, v: [B][D] -> cos: [B] */
void dp_rowdot(float *cos, const float *u, const float *v, int B, int D);

/* du [B][D] = dcos_i · v_i, dv [B][D] = dcos_i · u_i: the backward of dp_rowdot. */
void dp_rowdot_backward(float *du, float *dv, const float *dcos, const float *u, const float *v, int B, int D);

#endif
