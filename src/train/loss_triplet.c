#include "train/loss_triplet.h"

#include <stddef.h>
#include <string.h>

static float sqdist(const float *x, const float *y, int D)
{
    float s = 0.0f;
    for (int k = 0; k < D; k++) {
        float d = x[k] - y[k];
        s += d * d;
    }
    return s;
}

void dp_triplet_mine(int *neg, const float *a, const float *p, int B, int D, float margin, dp_mining mode)
{
    for (int i = 0; i < B; i++) {
        const float *ai = a + (size_t)i * D;
        float d_ap = sqdist(ai, p + (size_t)i * D, D);
        int hard = -1, semi = -1;
        float hard_d = 0.0f, semi_d = 0.0f;
        for (int j = 0; j < B; j++) {
            if (j == i)
                continue;
            float d = sqdist(ai, p + (size_t)j * D, D);
            if (hard < 0 || d < hard_d) {
                hard = j;
                hard_d = d;
            }
            if (d > d_ap && d < d_ap + margin && (semi < 0 || d < semi_d)) {
                semi = j;
                semi_d = d;
            }
        }
        neg[i] = mode == DP_MINE_SEMIHARD && semi >= 0 ? semi : hard;
    }
}

float dp_triplet_forward(const float *a, const float *p, const float *cand, const int *neg, int B, int D,
                         float margin)
{
    double total = 0.0;
    for (int i = 0; i < B; i++) {
        const float *ai = a + (size_t)i * D;
        float l = sqdist(ai, p + (size_t)i * D, D) - sqdist(ai, cand + (size_t)neg[i] * D, D) + margin;
        if (l > 0.0f)
            total += (double)l;
    }
    return B > 0 ? (float)(total / B) : 0.0f;
}

void dp_triplet_backward(float *da, float *dp_, float *dcand, int N, const float *a, const float *p,
                         const float *cand, const int *neg, int B, int D, float margin)
{
    memset(da, 0, sizeof(float) * (size_t)B * D);
    memset(dp_, 0, sizeof(float) * (size_t)B * D);
    memset(dcand, 0, sizeof(float) * (size_t)N * D);
    float inv_b = B > 0 ? 1.0f / (float)B : 0.0f;
    for (int i = 0; i < B; i++) {
        const float *ai = a + (size_t)i * D, *pi = p + (size_t)i * D, *ni = cand + (size_t)neg[i] * D;
        if (sqdist(ai, pi, D) - sqdist(ai, ni, D) + margin <= 0.0f)
            continue;
        /* d/da = 2(n - p), d/dp = -2(a - p), d/dn = 2(a - n) */
        float *gn = dcand + (size_t)neg[i] * D;
        for (int k = 0; k < D; k++) {
            da[(size_t)i * D + k] += 2.0f * inv_b * (ni[k] - pi[k]);
            dp_[(size_t)i * D + k] -= 2.0f * inv_b * (ai[k] - pi[k]);
            gn[k] += 2.0f * inv_b * (ai[k] - ni[k]);
        }
    }
}
