#!/usr/bin/env python3
"""bench/measures.py (the rank measures bench/clough_eval.py and the TF-IDF baseline share)
and clough_eval.py's accuracy on hand-worked cases."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ["DOPPEL_SOURCE_ROOT"], "bench"))
import clough_eval as ce  # noqa: E402
import measures as ms  # noqa: E402


def close(a, b):
    return abs(a - b) < 1e-9


# ROC-AUC: positives 0.9, 0.5; negatives 0.5, 0.1. Of the 4 (pos, neg) pairs: 0.9 beats both
# (2), 0.5 ties 0.5 (0.5) and beats 0.1 (1): 3.5 / 4.
assert close(ms.roc_auc([0.9, 0.5], [0.5, 0.1]), 0.875)
assert close(ms.roc_auc([1.0], [0.0]), 1.0) and close(ms.roc_auc([0.0], [1.0]), 0.0)
# every score tied: a coin toss; one side empty: undefined
assert close(ms.roc_auc([0.5, 0.5], [0.5]), 0.5) and ms.roc_auc([], [0.1]) != ms.roc_auc([], [0.1])

# ranks with ties take their mean rank
assert ms.ranks([0.3, 0.1, 0.3, 0.2]) == [3.5, 1.0, 3.5, 2.0]

# Spearman: a monotone relation is 1, a reversed one -1; with a tie, by hand:
# x = 1, 2, 2, 3 -> ranks 1, 2.5, 2.5, 4; y = 1, 2, 3, 4; mean 2.5 both;
# cov = (-1.5)(-1.5) + 0 + 0 + 1.5 * 1.5 = 4.5; |x| = sqrt(4.5), |y| = sqrt(5): 4.5 / sqrt(22.5)
assert close(ms.spearman([1, 2, 3], [10, 20, 30]), 1.0)
assert close(ms.spearman([1, 2, 3], [30, 20, 10]), -1.0)
assert close(ms.spearman([1, 2, 2, 3], [1, 2, 3, 4]), 4.5 / 22.5 ** 0.5)

# Pearson by hand: x = 1, 2, 3, y = 1, 3, 2; means 2 and 2; sxy = (-1)(-1) + 0 + (1)(0) = 1;
# |x| = |y| = sqrt(2): 1 / 2. A constant side has no correlation: 0.
assert close(ms.pearson([1, 2, 3], [1, 3, 2]), 0.5)
assert ms.pearson([1, 1, 1], [1, 2, 3]) == 0.0

# accuracy at cuts (0.2, 0.5, 0.9): levels none < 0.2 <= heavy < 0.5 <= light < 0.9 <= cut
rows = [(0.1, 0), (0.3, 1), (0.6, 2), (0.95, 3), (0.4, 2), (0.25, 0)]
assert close(ce.accuracy(rows, (0.2, 0.5, 0.9)), 4 / 6)
# the fitted cuts separate a perfectly graded set
cuts = ce.fit_cuts([(0.0, 0), (0.05, 0), (0.3, 1), (0.7, 2), (0.99, 3), (1.0, 3)])
assert close(ce.accuracy([(0.0, 0), (0.05, 0), (0.3, 1), (0.7, 2), (0.99, 3), (1.0, 3)], cuts), 1.0)
print("measures, clough_eval: all cases pass")
