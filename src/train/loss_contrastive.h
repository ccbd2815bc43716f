/*
 * Contrastive loss (Hadsell, Chopra, LeCun 2006) on pairs of unit vectors:
 *   L_i = (1-Y)·D² + Y·max(0, m - D)²,  D = ‖u_i - v_i‖,  Y = 1 - label_i
 * (data stores label 1 = similar; the formula's Y = 1 means dissimilar). Labels may be
 * fractional in [0, 1]. The batch loss is the mean over the B pairs.
 */
#ifndef DP_TRAIN_LOSS_CONTRASTIVE_H
#define DP_TRAIN_LOSS_CONTRASTIVE_H

/* u, v: [B][D]; label: [B]. Returns the mean loss. */
float dp_contrastive_forward(const float *u, const float *v, const float *label, int B, int D, float margin);

/* du, dv: [B][D], overwritten with dL/du, dL/dv of the mean loss. */
void dp_contrastive_backward(float *du, float *dv, const float *u, const float *v, const float *label, int B,
                             int D, float margin);

#endif
