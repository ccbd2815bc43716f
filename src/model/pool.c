#include "model/pool.h"

#include <string.h>

/* o [W] (zeroed by the caller) = mean over the sequence's packed rows of v [T][W]; stays
 * zero for an empty sequence */
static void DP_R(mean_rows)(dp_real *o, const dp_real *v, size_t W, int len, int j, const dp_pack *pk)
{
    if (len == 0)
        return;
    for (int p = 0; p < len; p++) {
        const dp_real *h = v + (size_t)(pk->off[p] + j) * W;
        for (size_t i = 0; i < W; i++)
            o[i] += h[i];
    }
    dp_real inv = (dp_real)1 / (dp_real)len;
    for (size_t i = 0; i < W; i++)
        o[i] *= inv;
}

/* dv [T][W] += d [W] / len on each of the sequence's packed rows */
static void DP_R(mean_rows_backward)(dp_real *dv, const dp_real *d, size_t W, int len, int j, const dp_pack *pk)
{
    dp_real inv = (dp_real)1 / (dp_real)len;
    for (int p = 0; p < len; p++) {
        dp_real *g = dv + (size_t)(pk->off[p] + j) * W;
        for (size_t i = 0; i < W; i++)
            g[i] += d[i] * inv;
    }
}

void DP_R(dp_pool_forward)(dp_real *out, int *argmax, const dp_real *y, size_t D, const dp_real *x, size_t E,
                           int mode, const dp_batch *batch, const dp_pack *pk)
{
    size_t P = dp_pool_width(D, E, (uint32_t)mode);
    int has_mean = mode != DP_POOL_MAX, has_max = mode != DP_POOL_MEAN;
    for (int b = 0; b < batch->B; b++) {
        int len = batch->seq_len[b], j = pk->rank[b];
        dp_real *o = out + (size_t)b * P; /* [P] */
        memset(o, 0, P * sizeof *o);
        if (has_max && len > 0) {
            dp_real *mx = o + (has_mean ? D : 0); /* [D] */
            int row0 = pk->off[0] + j;
            memcpy(mx, y + (size_t)row0 * D, D * sizeof *mx);
            if (argmax) {
                int *am = argmax + (size_t)b * D; /* [D] */
                for (size_t i = 0; i < D; i++)
                    am[i] = row0;
                for (int p = 1; p < len; p++) {
                    int row = pk->off[p] + j;
                    const dp_real *h = y + (size_t)row * D;
                    for (size_t i = 0; i < D; i++)
                        if (h[i] > mx[i]) {
                            mx[i] = h[i];
                            am[i] = row;
                        }
                }
            } else {
                for (int p = 1; p < len; p++) {
                    const dp_real *h = y + (size_t)(pk->off[p] + j) * D;
                    for (size_t i = 0; i < D; i++)
                        mx[i] = h[i] > mx[i] ? h[i] : mx[i];
                }
            }
        } else if (has_max && argmax) {
            int *am = argmax + (size_t)b * D; /* [D]: an empty sequence has no max */
            for (size_t i = 0; i < D; i++)
                am[i] = -1;
        }
        if (has_mean)
            DP_R(mean_rows)(o, y, D, len, j, pk);
        if (mode == DP_POOL_MEANMAX_BAG)
            DP_R(mean_rows)(o + 2 * D, x, E, len, j, pk);
    }
}

void DP_R(dp_pool_backward)(dp_real *dy, dp_real *dx, const dp_real *dout, const int *argmax, size_t D, size_t E,
                            int mode, const dp_batch *batch, const dp_pack *pk)
{
    size_t P = dp_pool_width(D, E, (uint32_t)mode);
    int has_mean = mode != DP_POOL_MAX, has_max = mode != DP_POOL_MEAN;
    for (int b = 0; b < batch->B; b++) {
        int len = batch->seq_len[b], j = pk->rank[b];
        const dp_real *d = dout + (size_t)b * P; /* [P] */
        if (len == 0)
            continue;
        if (has_mean)
            DP_R(mean_rows_backward)(dy, d, D, len, j, pk);
        if (mode == DP_POOL_MEANMAX_BAG)
            DP_R(mean_rows_backward)(dx, d + 2 * D, E, len, j, pk);
        if (has_max) {
            const dp_real *dm = d + (has_mean ? D : 0); /* [D] */
            const int *am = argmax + (size_t)b * D;
            for (size_t i = 0; i < D; i++)
                dy[(size_t)am[i] * D + i] += dm[i];
        }
    }
}
