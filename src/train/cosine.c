#include "train/cosine.h"

#include <stddef.h>

void dp_rowdot(float *cos, const float *u, const float *v, int B, int D)
{
    for (int i = 0; i < B; i++) {
        float s = 0.0f;
        for (int k = 0; k < D; k++)
            s += u[(size_t)i * D + k] * v[(size_t)i * D + k];
        cos[i] = s;
    }
}

void dp_rowdot_backward(float *du, float *dv, const float *dcos, const float *u, const float *v, int B, int D)
{
    for (int i = 0; i < B; i++)
        for (int k = 0; k < D; k++) {
            size_t o = (size_t)i * D + k;
            du[o] = dcos[i] * v[o];
            dv[o] = dcos[i] * u[o];
        }
}
