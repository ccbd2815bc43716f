#include "train/loss_apart.h"

#include <cblas.h>

/* C, G: [B][B] each */
size_t dp_apart_work_size(int B) { return 2 * (size_t)B * (size_t)B; }

static int other(const uint32_t *group, int i, int j) { return group ? group[i] != group[j] : i != j; }

/* C = U Vᵀ; returns L, and when G is not NULL writes G = dL/dC there. */
static double apart(float *C, float *G, const float *u, const float *v, const uint32_t *group, int B, int D,
                    float margin, float weight)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, B, D, 1.0f, u, D, v, D, 0.0f, C, B);
    double sum = 0.0;
    int n = 0;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < B; j++)
            if (other(group, i, j)) {
                n++;
                double e = (double)C[(size_t)i * B + j] - (double)margin;
                if (e > 0.0)
                    sum += e * e;
            }
    if (G) {
        for (int i = 0; i < B; i++)
            for (int j = 0; j < B; j++) {
                float e = C[(size_t)i * B + j] - margin;
                G[(size_t)i * B + j] = other(group, i, j) && e > 0.0f ? 2.0f * weight * e / (float)n : 0.0f;
            }
    }
    return n ? (double)weight * sum / n : 0.0;
}

float dp_apart_forward(float *work, const float *u, const float *v, const uint32_t *group, int B, int D,
                       float margin, float weight)
{
    return B > 0 ? (float)apart(work, NULL, u, v, group, B, D, margin, weight) : 0.0f;
}

void dp_apart_backward(float *du, float *dv, float *work, const float *u, const float *v, const uint32_t *group,
                       int B, int D, float margin, float weight)
{
    if (B <= 0)
        return;
    float *C = work, *G = work + (size_t)B * B;
    apart(C, G, u, v, group, B, D, margin, weight);
    /* dU += G V;  dV += Gᵀ U */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, D, B, 1.0f, G, B, v, D, 1.0f, du, D);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, B, D, B, 1.0f, G, B, u, D, 1.0f, dv, D);
}
