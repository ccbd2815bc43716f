#include "train/metrics.h"

#include <math.h>
#include <stdlib.h>

#include "doppel.h"

static double pearson_d(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double mx = 0.0, my = 0.0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0.0 || syy <= 0.0)
        return NAN;
    return sxy / sqrt(sxx * syy);
}

double dp_pearson(const double *x, const double *y, size_t n) { return pearson_d(x, y, n); }

typedef struct {
    double v;
    size_t i;
} keyed;

/* Ascending by value, then by index: a total order, so the sort is deterministic. */
static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static keyed *sorted(const double *x, size_t n)
{
    keyed *k = malloc(sizeof(keyed) * (n ? n : 1));
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){x[i], i};
    qsort(k, n, sizeof *k, cmp_keyed);
    return k;
}

int dp_rank_average(double *rank, const double *x, size_t n)
{
    keyed *k = sorted(x, n);
    if (!k)
        return DOPPEL_ERR_NOMEM;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && k[b + 1].v == k[a].v)
            b++;
        double avg = 0.5 * (double)(a + b) + 1.0; /* positions a..b hold ranks a+1..b+1 */
        for (size_t j = a; j <= b; j++)
            rank[k[j].i] = avg;
        a = b + 1;
    }
    free(k);
    return DOPPEL_OK;
}

int dp_spearman(const double *x, const double *y, size_t n, double *out)
{
    double *r = malloc(sizeof(double) * 2 * (n ? n : 1));
    if (!r)
        return DOPPEL_ERR_NOMEM;
    int rc = dp_rank_average(r, x, n);
    if (!rc)
        rc = dp_rank_average(r + n, y, n);
    if (!rc)
        *out = pearson_d(r, r + n, n);
    free(r);
    return rc;
}

int dp_roc_auc(const double *score, const double *label, size_t n, double *out)
{
    double *r = malloc(sizeof(double) * (n ? n : 1));
    if (!r)
        return DOPPEL_ERR_NOMEM;
    int rc = dp_rank_average(r, score, n);
    if (rc) {
        free(r);
        return rc;
    }
    double npos = 0.0, rank_sum = 0.0;
    for (size_t i = 0; i < n; i++)
        if (label[i] >= 0.5) {
            npos += 1.0;
            rank_sum += r[i];
        }
    double nneg = (double)n - npos;
    *out = npos > 0.0 && nneg > 0.0 ? (rank_sum - npos * (npos + 1.0) / 2.0) / (npos * nneg) : (double)NAN;
    free(r);
    return DOPPEL_OK;
}

int dp_best_threshold_accuracy(const double *score, const double *label, size_t n, double *accuracy,
                               double *threshold)
{
    keyed *k = sorted(score, n);
    if (!k)
        return DOPPEL_ERR_NOMEM;
    /* Threshold below everything: all predicted positive, correct = number of positives. */
    size_t correct = 0;
    for (size_t i = 0; i < n; i++)
        correct += label[i] >= 0.5;
    size_t best = correct;
    double best_t = n ? k[0].v - 1.0 : 0.0;
    /* Moving the threshold past a group of equal scores flips them to negative. */
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && k[b + 1].v == k[a].v)
            b++;
        for (size_t j = a; j <= b; j++)
            correct += label[k[j].i] >= 0.5 ? (size_t)-1 : 1;
        if (correct > best) {
            best = correct;
            best_t = b + 1 < n ? 0.5 * (k[b].v + k[b + 1].v) : k[b].v + 1.0;
        }
        a = b + 1;
    }
    free(k);
    *accuracy = n ? (double)best / (double)n : (double)NAN;
    *threshold = best_t;
    return DOPPEL_OK;
}
