#include "train/loss_contrastive.h"

#include <math.h>
#include <stddef.h>

static float pair_dist(const float *u, const float *v, int D)
{
    float s = 0.0f;
    for (int k = 0; k < D; k++) {
        float d = u[k] - v[k];
        s += d * d;
    }
    return sqrtf(s);
}

float dp_contrastive_forward(const float *u, const float *v, const float *label, int B, int D, float margin)
{
    double total = 0.0;
    for (int i = 0; i < B; i++) {
        float dist = pair_dist(u + (size_t)i * D, v + (size_t)i * D, D);
        float y = 1.0f - label[i];
        float hinge = fmaxf(0.0f, margin - dist);
        total += (double)((1.0f - y) * dist * dist + y * hinge * hinge);
    }
    return B > 0 ? (float)(total / B) : 0.0f;
}

void dp_contrastive_backward(float *du, float *dv, const float *u, const float *v, const float *label, int B,
                             int D, float margin)
{
    float inv_b = B > 0 ? 1.0f / (float)B : 0.0f;
    for (int i = 0; i < B; i++) {
        const float *ui = u + (size_t)i * D, *vi = v + (size_t)i * D;
        float dist = pair_dist(ui, vi, D);
        float y = 1.0f - label[i];
        float hinge = fmaxf(0.0f, margin - dist);
        /* dL/d(u-v) = 2(1-Y)(u-v) - 2Y·hinge·(u-v)/D; the hinge term has no direction at D = 0. */
        float c = 2.0f * (1.0f - y);
        if (hinge > 0.0f && dist > 1e-12f)
            c -= 2.0f * y * hinge / dist;
        c *= inv_b;
        for (int k = 0; k < D; k++) {
            float g = c * (ui[k] - vi[k]);
            du[(size_t)i * D + k] = g;
            dv[(size_t)i * D + k] = -g;
        }
    }
}
