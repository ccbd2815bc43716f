"""Rank measures the benchmarks and the model's baseline report (standard library only):
mean ranks with ties, Pearson, Spearman and ROC-AUC, written once."""
import math


def ranks(v):
    """1-based ranks of v, ties taking their mean rank."""
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def pearson(x, y):
    """Pearson's correlation; 0 when either side is constant."""
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx and sy else 0.0


def spearman(x, y):
    """Spearman's rank correlation: Pearson's of the ranks."""
    return pearson(ranks(x), ranks(y))


def roc_auc(pos, neg):
    """The chance that a positive's score beats a negative's, ties counting half (the
    Mann-Whitney U over len(pos) * len(neg), from the ranks); NaN without both."""
    if not pos or not neg:
        return float("nan")
    r = ranks(list(pos) + list(neg))
    n = len(pos)
    return (sum(r[:n]) - n * (n + 1) / 2) / (n * len(neg))
