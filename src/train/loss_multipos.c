#include "train/loss_multipos.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* S, T, dS, dT: [B][B] each */
size_t dp_multipos_work_size(int B) { return 4 * (size_t)B * (size_t)B; }

static int same(const uint32_t *group, int i, int j) { return group ? group[i] == group[j] : i == j; }

/* S [B][B] = scale · U Vᵀ and, when c is given, T [B][B] = scale · U Cᵀ. */
static void scores(float *S, float *T, const float *u, const float *v, const float *c, int B, int D, float scale)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, B, D, scale, u, D, v, D, 0.0f, S, B);
    if (c)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, B, D, scale, u, D, c, D, 0.0f, T, B);
}

/*
 * The loss of line i of S (a row when row != 0, else a column) and, for rows, of row i of
 * T (NULL: none). When GS is not NULL adds w · dL/dS (and w · dL/dT into GT) to them.
 */
static double line_loss(const float *S, const float *T, float *GS, float *GT, const uint32_t *group, int B, int i,
                        int row, float w)
{
    size_t at = row ? (size_t)i * B : (size_t)i, step = row ? 1 : (size_t)B;
    const float *s = S + at, *t = T ? T + (size_t)i * B : NULL;
    float mx = s[0];
    for (int j = 0; j < B; j++) {
        mx = fmaxf(mx, s[j * step]);
        if (t)
            mx = fmaxf(mx, t[j]);
    }
    double z = 0.0, pos = 0.0;
    int npos = 0;
    for (int j = 0; j < B; j++) {
        z += exp((double)(s[j * step] - mx)) + (t ? exp((double)(t[j] - mx)) : 0.0);
        if (same(group, i, j))
            pos += (double)s[j * step], npos++;
    }
    if (GS) {
        float *g = GS + at;
        for (int j = 0; j < B; j++) {
            g[j * step] += w * (float)(exp((double)(s[j * step] - mx)) / z);
            if (same(group, i, j))
                g[j * step] -= w / (float)npos;
            if (t)
                GT[(size_t)i * B + j] += w * (float)(exp((double)(t[j] - mx)) / z);
        }
    }
    return (double)mx + log(z) - pos / npos;
}

/* The loss, adding its gradient w.r.t. S and T into GS, GT when they are not NULL. */
static double batch_loss(const float *S, const float *T, float *GS, float *GT, const uint32_t *group, int B,
                         int symmetric)
{
    float w = (symmetric ? 0.5f : 1.0f) / (float)B;
    double rows = 0.0, cols = 0.0;
    for (int i = 0; i < B; i++)
        rows += line_loss(S, T, GS, GT, group, B, i, 1, w);
    if (!symmetric)
        return rows / B;
    for (int j = 0; j < B; j++)
        cols += line_loss(S, NULL, GS, NULL, group, B, j, 0, w);
    return 0.5 * (rows + cols) / B;
}

float dp_multipos_forward(float *work, const float *u, const float *v, const float *c, const uint32_t *group, int B,
                          int D, float scale, int symmetric)
{
    if (B <= 0)
        return 0.0f;
    float *S = work, *T = c ? work + (size_t)B * B : NULL;
    scores(S, T, u, v, c, B, D, scale);
    return (float)batch_loss(S, T, NULL, NULL, group, B, symmetric);
}

void dp_multipos_backward(float *du, float *dv, float *dc, float *work, const float *u, const float *v,
                          const float *c, const uint32_t *group, int B, int D, float scale, int symmetric)
{
    if (B <= 0)
        return;
    size_t BB = (size_t)B * B;
    float *S = work, *T = c ? work + BB : NULL, *GS = work + 2 * BB, *GT = c ? work + 3 * BB : NULL;
    scores(S, T, u, v, c, B, D, scale);
    memset(GS, 0, BB * sizeof *GS);
    if (GT)
        memset(GT, 0, BB * sizeof *GT);
    batch_loss(S, T, GS, GT, group, B, symmetric);
    /* dU [B][D] = scale · (GS V + GT C);  dV = scale · GSᵀ U;  dC = scale · GTᵀ U */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, D, B, scale, GS, B, v, D, 0.0f, du, D);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, B, D, B, scale, GS, B, u, D, 0.0f, dv, D);
    if (c) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, D, B, scale, GT, B, c, D, 1.0f, du, D);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, B, D, B, scale, GT, B, u, D, 0.0f, dc, D);
    }
}
