/*
 * Keeps the batch's non-matching pairs apart in absolute terms. The in-batch losses only
 * rank: a row's positive must beat its negatives, however close those are to each other, so
 * sentences of one subject that say different things (the passages of one document, the
 * verses of one chapter: a hard batch) may all drift together while paraphrases come
 * together too, and the sweep's same-topic background rises with them. This term charges
 * every pair of rows of different groups whose cosine passes a margin m:
 *   C = U Vᵀ                                    [B][B] (unit vectors: cosines)
 *   N = #{ (i, j) : g_i != g_j }
 *   L = w / N · Σ_{g_i != g_j} max(0, C_ij - m)²
 * (no groups: every row its own). It is added to the inbatch and multipos losses.
 */
#ifndef DP_TRAIN_LOSS_APART_H
#define DP_TRAIN_LOSS_APART_H

#include <stddef.h>
#include <stdint.h>

/* Floats of workspace the functions below need for a batch of B. */
size_t dp_apart_work_size(int B);

/* u, v: [B][D]; group: [B] or NULL; work: dp_apart_work_size(B) floats. Returns L. */
float dp_apart_forward(float *work, const float *u, const float *v, const uint32_t *group, int B, int D,
                       float margin, float weight);

/* ADDS dL/du and dL/dv into du, dv: [B][D]. */
void dp_apart_backward(float *du, float *dv, float *work, const float *u, const float *v, const uint32_t *group,
                       int B, int D, float margin, float weight);

#endif
