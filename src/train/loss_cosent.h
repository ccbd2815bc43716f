/*
 * CoSENT (Su 2022), a ranking loss for graded similarity labels (STS 0-5): every pair of
 * pairs whose gold scores are ordered s_i > s_j asks cos_i > cos_j,
 *   L = log(1 + Σ_{s_i > s_j} exp(λ·(cos_j - cos_i))),   cos_i = u_i·v_i (unit vectors).
 * Only the order of the labels matters, so no rescaling of the score range is needed.
 */
#ifndef DP_TRAIN_LOSS_COSENT_H
#define DP_TRAIN_LOSS_COSENT_H

/* u, v: [B][D]; score: [B]; lambda is the scale (20 in the paper); cos: [B] scratch.
 * Returns L. */
float dp_cosent_forward(float *cos, const float *u, const float *v, const float *score, int B, int D, float lambda);

/* du, dv: [B][D], overwritten with dL/du, dL/dv; cos: [2B] scratch. */
void dp_cosent_backward(float *du, float *dv, float *cos, const float *u, const float *v, const float *score, int B,
                        int D, float lambda);

#endif
