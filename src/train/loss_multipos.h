/*
 * In-batch softmax with several positives and explicit hard negatives (supervised
 * contrastive over paraphrase groups). Row i of a batch is a pair (u_i, v_i) of group g_i
 * with an optional hard negative c_i (an NLI contradiction of the same premise, a
 * minimal edit, a word-order swap). u_i picks among every v_j and every c_k:
 *   S = scale · U Vᵀ, T = scale · U Cᵀ          [B][B] each
 *   P(i) = { j : g_j = g_i }                   (i itself always; other translations of
 *                                               the verse, captions of the image, ...)
 *   L_row(i) = logsumexp(S_i· ; T_i·) - mean_{j ∈ P(i)} S_ij
 * so the batch's other groups and all the c are negatives and no member of i's group is
 * pushed away. The symmetric version averages mean_i L_row(i) with the same over the
 * columns of S (v_j picking among the u, positives P(j); the c do not take part there).
 * With every group distinct and no c this is train/loss_inbatch.h's loss.
 */
#ifndef DP_TRAIN_LOSS_MULTIPOS_H
#define DP_TRAIN_LOSS_MULTIPOS_H

#include <stddef.h>
#include <stdint.h>

/* Floats of workspace the functions below need for a batch of B. */
size_t dp_multipos_work_size(int B);

/* u, v: [B][D]; c: [B][D] or NULL; group: [B] or NULL (every row its own group);
 * work: dp_multipos_work_size(B) floats. Returns the loss. */
float dp_multipos_forward(float *work, const float *u, const float *v, const float *c, const uint32_t *group, int B,
                          int D, float scale, int symmetric);

/* du, dv (and dc when c is given): [B][D], overwritten with the loss's gradients. */
void dp_multipos_backward(float *du, float *dv, float *dc, float *work, const float *u, const float *v,
                          const float *c, const uint32_t *group, int B, int D, float scale, int symmetric);

#endif
