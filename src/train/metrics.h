/*
 * Evaluation metrics of a similarity function: rank and linear correlation with graded
 * scores, and ROC-AUC / best-threshold accuracy against binary labels. Ties are handled
 * exactly (average ranks), so results do not depend on input order. Inputs are doubles so
 * that a baseline computed in double precision (train/tfidf.h) keeps its exact ties.
 */
#ifndef DP_TRAIN_METRICS_H
#define DP_TRAIN_METRICS_H

#include <stddef.h>

/* Pearson correlation of x, y: [n]; NAN when n < 2 or either is constant. */
double dp_pearson(const double *x, const double *y, size_t n);

/* rank: [n] 1-based ranks of x, tied values sharing their average rank. */
int dp_rank_average(double *rank, const double *x, size_t n);

/* Spearman correlation (Pearson of average ranks) into *out; DOPPEL_ERR_NOMEM or OK. */
int dp_spearman(const double *x, const double *y, size_t n, double *out);

/*
 * ROC-AUC of score against label (>= 0.5 is positive) as the Mann–Whitney statistic:
 * the probability that a random positive outscores a random negative, ties counting
 * one half. NAN when a class is empty.
 */
int dp_roc_auc(const double *score, const double *label, size_t n, double *out);

/*
 * The best accuracy of the rule "positive iff score >= threshold" over all thresholds
 * (midpoints between distinct scores, and below/above all of them). *threshold receives
 * the best one (the lowest when several tie).
 */
int dp_best_threshold_accuracy(const double *score, const double *label, size_t n, double *accuracy,
                               double *threshold);

#endif
