#include "train/loss_inbatch.h"

#include <cblas.h>
#include <math.h>

size_t dp_inbatch_work_size(int B) { return 2 * (size_t)B * (size_t)B; }

/* S [B][B] = scale · U Vᵀ */
static void scores(float *S, const float *u, const float *v, int B, int D, float scale)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, B, D, scale, u, D, v, D, 0.0f, S, B);
}

/*
 * Softmax cross-entropy of the lines of S picked by stride (rows: step 1 within a line,
 * B between lines; columns: the reverse), target the diagonal. Adds w·(softmax - onehot)
 * into G when G is not NULL. Returns the sum of the lines' losses.
 */
static double lines_xent(const float *S, float *G, int B, size_t along, size_t across, float w)
{
    double total = 0.0;
    for (int i = 0; i < B; i++) {
        const float *s = S + i * across;
        float mx = s[0];
        for (int j = 1; j < B; j++)
            mx = fmaxf(mx, s[j * along]);
        double z = 0.0;
        for (int j = 0; j < B; j++)
            z += exp((double)(s[j * along] - mx));
        total += (double)mx + log(z) - (double)s[i * along];
        if (!G)
            continue;
        float *g = G + i * across;
        for (int j = 0; j < B; j++)
            g[j * along] += w * ((float)(exp((double)(s[j * along] - mx)) / z) - (i == j ? 1.0f : 0.0f));
    }
    return total;
}

float dp_inbatch_forward(float *work, const float *u, const float *v, int B, int D, float scale, int symmetric)
{
    if (B <= 0)
        return 0.0f;
    float *S = work;
    scores(S, u, v, B, D, scale);
    double l = lines_xent(S, NULL, B, 1, (size_t)B, 0.0f) / B;
    if (symmetric)
        l = 0.5 * (l + lines_xent(S, NULL, B, (size_t)B, 1, 0.0f) / B);
    return (float)l;
}

void dp_inbatch_backward(float *du, float *dv, float *work, const float *u, const float *v, int B, int D,
                         float scale, int symmetric)
{
    if (B <= 0)
        return;
    float *S = work, *G = work + (size_t)B * B; /* G = dL/dS, [B][B] */
    scores(S, u, v, B, D, scale);
    for (size_t k = 0; k < (size_t)B * B; k++)
        G[k] = 0.0f;
    float w = (symmetric ? 0.5f : 1.0f) / (float)B;
    lines_xent(S, G, B, 1, (size_t)B, w);
    if (symmetric)
        lines_xent(S, G, B, (size_t)B, 1, w);
    /* dU [B][D] = scale · G V ;  dV [B][D] = scale · Gᵀ U */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, D, B, scale, G, B, v, D, 0.0f, du, D);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, B, D, B, scale, G, B, u, D, 0.0f, dv, D);
}
