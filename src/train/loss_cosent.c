#include "train/loss_cosent.h"

#include <math.h>
#include <stddef.h>

#include "train/cosine.h"

/*
 * L from the cosines, over the ordered pairs s_i > s_j with x_ij = λ(cos_j - cos_i).
 * The formula's 1 is the term exp(0); with M the largest term, L = M + log(Σ exp(x - M))
 * cannot overflow. When dcos is not NULL it receives dL/dcos (∂L/∂x_ij = softmax weight).
 */
static float cosent_eval(const float *cos, float *dcos, const float *score, int B, float lambda)
{
    float mx = 0.0f;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < B; j++)
            if (score[i] > score[j])
                mx = fmaxf(mx, lambda * (cos[j] - cos[i]));
    double z = exp(-(double)mx);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < B; j++)
            if (score[i] > score[j])
                z += exp((double)(lambda * (cos[j] - cos[i]) - mx));
    if (dcos) {
        for (int i = 0; i < B; i++)
            dcos[i] = 0.0f;
        for (int i = 0; i < B; i++)
            for (int j = 0; j < B; j++) {
                if (!(score[i] > score[j]))
                    continue;
                float p = (float)(exp((double)(lambda * (cos[j] - cos[i]) - mx)) / z);
                dcos[j] += lambda * p;
                dcos[i] -= lambda * p;
            }
    }
    return (float)((double)mx + log(z));
}

float dp_cosent_forward(float *cos, const float *u, const float *v, const float *score, int B, int D, float lambda)
{
    dp_rowdot(cos, u, v, B, D);
    return cosent_eval(cos, NULL, score, B, lambda);
}

void dp_cosent_backward(float *du, float *dv, float *cos, const float *u, const float *v, const float *score, int B,
                        int D, float lambda)
{
    float *dcos = cos + B;
    dp_rowdot(cos, u, v, B, D);
    cosent_eval(cos, dcos, score, B, lambda);
    dp_rowdot_backward(du, dv, dcos, u, v, B, D);
}
