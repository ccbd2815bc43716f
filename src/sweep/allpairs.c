#include "sweep/allpairs.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"

#define DEFAULT_BLOCK 1024
/* GEMM rounding depends on how OpenBLAS tiles a call (shape, threads), so its values only
 * gate: anything within this margin of a cut is re-scored by exact_sim, whose fixed
 * summation order makes every blocking and thread count give identical results. */
#define GEMM_MARGIN 1e-4f

static float exact_sim(const float *x, const float *y, size_t d)
{
    double s = 0;
    for (size_t k = 0; k < d; k++)
        s += (double)x[k] * y[k];
    return (float)s;
}

static int result_init(dp_allpairs_result *r, size_t row0, size_t rows, size_t top_k)
{
    memset(r, 0, sizeof *r);
    r->row0 = row0, r->rows = rows, r->top_k = top_k;
    if (top_k && rows) {
        r->topk = malloc(rows * top_k * sizeof *r->topk);
        if (!r->topk)
            return DOPPEL_ERR_NOMEM;
        for (size_t i = 0; i < rows * top_k; i++)
            r->topk[i] = (dp_scored){UINT32_MAX, -2.0f};
    }
    return DOPPEL_OK;
}

void dp_allpairs_result_free(dp_allpairs_result *r)
{
    if (!r)
        return;
    free(r->topk);
    free(r->pairs);
    free(r->pair_sim);
    memset(r, 0, sizeof *r);
}

static int push_pair(dp_allpairs_result *r, uint32_t a, uint32_t b, float sim)
{
    /* two arrays of one capacity: both grow from the same count to the same size */
    size_t cap = r->cap_pairs, cap_sim = r->cap_pairs;
    if (DP_GROW(r->pairs, cap, r->n_pairs + 1, 256) || DP_GROW(r->pair_sim, cap_sim, r->n_pairs + 1, 256))
        return DOPPEL_ERR_NOMEM;
    r->cap_pairs = cap;
    r->pairs[r->n_pairs][0] = a;
    r->pairs[r->n_pairs][1] = b;
    r->pair_sim[r->n_pairs++] = sim;
    return DOPPEL_OK;
}

/* Ties are broken by the smaller id so every blocking gives the same lists. */
static int better(dp_scored x, dp_scored y) { return x.sim > y.sim || (x.sim == y.sim && x.id < y.id); }

/* Inserts into a best-first list of k, dropping the worst. */
static void topk_insert(dp_scored *list, size_t k, dp_scored s)
{
    if (!better(s, list[k - 1]))
        return;
    size_t i = k - 1;
    while (i > 0 && better(s, list[i - 1])) {
        list[i] = list[i - 1];
        i--;
    }
    list[i] = s;
}

static int comparable(const dp_allpairs_opts *o, size_t i, size_t j)
{
    if (i == j)
        return 0;
    if (o->is_reference && o->is_reference[i] && o->is_reference[j])
        return 0;
    if (o->group && o->group[i] == o->group[j])
        return 0;
    return 1;
}

int dp_allpairs_block(const float *X, size_t n, size_t d, size_t r0, size_t r1, size_t c0, size_t c1,
                      const dp_allpairs_opts *opts, dp_allpairs_result *out)
{
    return dp_allpairs_block_at(X + r0 * d, X + c0 * d, n, d, r0, r1, c0, c1, opts, out);
}

int dp_allpairs_block_at(const float *R, const float *C, size_t n, size_t d, size_t r0, size_t r1, size_t c0,
                         size_t c1, const dp_allpairs_opts *opts, dp_allpairs_result *out)
{
    if (r0 > r1 || r1 > n || c0 > c1 || c1 > n || n > UINT32_MAX)
        return DOPPEL_ERR_INVALID;
    int rc = result_init(out, r0, r1 - r0, opts->top_k);
    if (rc)
        return rc;
    size_t bs = opts->block ? opts->block : DEFAULT_BLOCK;
    float *S = malloc(bs * bs * sizeof *S); /* [bs][bs] one block of similarities */
    if (!S && r1 > r0 && c1 > c0)
        return DOPPEL_ERR_NOMEM;
    for (size_t i0 = r0; i0 < r1; i0 += bs) {
        size_t mi = r1 - i0 < bs ? r1 - i0 : bs;
        for (size_t j0 = c0; j0 < c1; j0 += bs) {
            size_t nj = c1 - j0 < bs ? c1 - j0 : bs;
            /* S[mi][nj] = X[i0..i0+mi) · X[j0..j0+nj)^T */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)mi, (int)nj, (int)d, 1.0f,
                        R + (i0 - r0) * d, (int)d, C + (j0 - c0) * d, (int)d, 0.0f, S, (int)nj);
            for (size_t a = 0; a < mi; a++) {
                size_t i = i0 + a;
                dp_scored *list = out->topk ? out->topk + (i - r0) * opts->top_k : NULL;
                for (size_t b = 0; b < nj; b++) {
                    size_t j = j0 + b;
                    if (!comparable(opts, i, j))
                        continue;
                    float approx = S[a * nj + b];
                    int want_topk = list && approx >= list[opts->top_k - 1].sim - GEMM_MARGIN;
                    int want_pair = i < j && approx >= opts->min_sim - GEMM_MARGIN;
                    if (!want_topk && !want_pair)
                        continue;
                    float s = exact_sim(R + (i - r0) * d, C + (j - c0) * d, d);
                    if (want_topk)
                        topk_insert(list, opts->top_k, (dp_scored){(uint32_t)j, s});
                    if (want_pair && s >= opts->min_sim && (rc = push_pair(out, (uint32_t)i, (uint32_t)j, s))) {
                        free(S);
                        return rc;
                    }
                }
            }
        }
    }
    free(S);
    return DOPPEL_OK;
}

int dp_allpairs_merge(dp_allpairs_result *acc, const dp_allpairs_result *part)
{
    if (acc->row0 != part->row0 || acc->rows != part->rows || acc->top_k != part->top_k)
        return DOPPEL_ERR_INVALID;
    for (size_t r = 0; r < acc->rows && acc->top_k; r++)
        for (size_t t = 0; t < acc->top_k; t++) {
            dp_scored s = part->topk[r * part->top_k + t];
            if (s.id != UINT32_MAX)
                topk_insert(acc->topk + r * acc->top_k, acc->top_k, s);
        }
    for (size_t p = 0; p < part->n_pairs; p++) {
        int rc = push_pair(acc, part->pairs[p][0], part->pairs[p][1], part->pair_sim[p]);
        if (rc)
            return rc;
    }
    return DOPPEL_OK;
}

static int cmp_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

int dp_allpairs_candidates(const dp_allpairs_result *results, size_t n_results,
                           uint32_t (**pairs)[2], size_t *n_pairs)
{
    size_t total = 0;
    for (size_t r = 0; r < n_results; r++)
        total += results[r].n_pairs + results[r].rows * results[r].top_k;
    uint32_t(*v)[2] = malloc((total ? total : 1) * sizeof *v);
    if (!v)
        return DOPPEL_ERR_NOMEM;
    size_t n = 0;
    for (size_t r = 0; r < n_results; r++) {
        const dp_allpairs_result *res = &results[r];
        for (size_t p = 0; p < res->n_pairs; p++, n++)
            v[n][0] = res->pairs[p][0], v[n][1] = res->pairs[p][1];
        for (size_t i = 0; i < res->rows; i++)
            for (size_t t = 0; t < res->top_k; t++) {
                uint32_t j = res->topk[i * res->top_k + t].id, a = (uint32_t)(res->row0 + i);
                if (j == UINT32_MAX)
                    continue;
                v[n][0] = a < j ? a : j;
                v[n][1] = a < j ? j : a;
                n++;
            }
    }
    qsort(v, n, sizeof *v, cmp_pair);
    size_t u = 0;
    for (size_t k = 0; k < n; k++)
        if (u == 0 || cmp_pair(v[u - 1], v[k]) != 0) {
            v[u][0] = v[k][0], v[u][1] = v[k][1];
            u++;
        }
    *pairs = v;
    *n_pairs = u;
    return DOPPEL_OK;
}
