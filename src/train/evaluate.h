/*
 * Scoring a model on labelled pairs: the cosine of each pair's two embeddings (computed
 * by the encoder, the very path of inference), then
 * Spearman/Pearson against graded scores or ROC-AUC and best-threshold accuracy against
 * binary labels. Used by the trainer's dev evaluation and by `doppel eval`.
 */
#ifndef DP_TRAIN_EVALUATE_H
#define DP_TRAIN_EVALUATE_H

#include <stddef.h>

#include "doppel.h"
#include "model/encoder.h"
#include "train/dataset.h"

/* cos: [n] cosines of pairs first..first+n-1 of ds under the encoder's model. */
int dp_eval_cosines(dp_encoder *enc, size_t out_dim, const dp_dataset *ds, size_t first, size_t n, double *cos,
                    doppel_diag *diag);

typedef struct dp_eval_result {
    size_t n;
    int graded;       /* 1: spearman, pearson are set; 0: auc, accuracy, threshold */
    double spearman, pearson;
    double auc, accuracy, threshold;
} dp_eval_result;

/* Metrics of cos [n] against the labels of pairs first..first+n-1, which must all come
 * from sources of the same kind (graded or binary). */
int dp_eval_metrics(dp_eval_result *r, const double *cos, const dp_dataset *ds, size_t first, size_t n);

#endif
