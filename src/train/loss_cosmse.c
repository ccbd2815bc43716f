#include "train/loss_cosmse.h"

#include <stddef.h>

#include "train/cosine.h"

float dp_cosmse_forward(const float *u, const float *v, const float *target, int B, int D)
{
    double total = 0.0;
    for (int i = 0; i < B; i++) {
        float c;
        dp_rowdot(&c, u + (size_t)i * D, v + (size_t)i * D, 1, D);
        total += (double)((c - target[i]) * (c - target[i]));
    }
    return B > 0 ? (float)(total / B) : 0.0f;
}

void dp_cosmse_backward(float *du, float *dv, const float *u, const float *v, const float *target, int B, int D)
{
    for (int i = 0; i < B; i++) {
        const float *ui = u + (size_t)i * D, *vi = v + (size_t)i * D;
        float c, g;
        dp_rowdot(&c, ui, vi, 1, D);
        g = 2.0f * (c - target[i]) / (float)B;
        dp_rowdot_backward(du + (size_t)i * D, dv + (size_t)i * D, &g, ui, vi, 1, D);
    }
}
