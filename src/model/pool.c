#include "model/pool.h"

#include <string.h>

void DP_R(dp_pool_forward)(dp_real *out, int *argmax, const dp_real *y, size_t D, int mode, const dp_batch *batch,
                           const dp_pack *pk)
{
    size_t P = mode == DP_POOL_MEANMAX ? 2 * D : D;
    for (int b = 0; b < batch->B; b++) {
        int len = batch->seq_len[b], j = pk->rank[b];
        dp_real *o = out + (size_t)b * P; /* [P] */
        memset(o, 0, P * sizeof *o);
        if (mode != DP_POOL_MEAN && len > 0) {
            dp_real *mx = o + (mode == DP_POOL_MEANMAX ? D : 0); /* [D] */
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
        } else if (mode != DP_POOL_MEAN && argmax) {
            int *am = argmax + (size_t)b * D; /* [D]: an empty sequence has no max */
            for (size_t i = 0; i < D; i++)
                am[i] = -1;
        }
        if (mode != DP_POOL_MAX && len > 0) {
            for (int p = 0; p < len; p++) {
                const dp_real *h = y + (size_t)(pk->off[p] + j) * D;
                for (size_t i = 0; i < D; i++)
                    o[i] += h[i];
            }
            dp_real inv = (dp_real)1 / (dp_real)len;
            for (size_t i = 0; i < D; i++)
                o[i] *= inv;
        }
    }
}

void DP_R(dp_pool_backward)(dp_real *dy, const dp_real *dout, const int *argmax, size_t D, int mode,
                            const dp_batch *batch, const dp_pack *pk)
{
    size_t P = mode == DP_POOL_MEANMAX ? 2 * D : D;
    for (int b = 0; b < batch->B; b++) {
        int len = batch->seq_len[b], j = pk->rank[b];
        const dp_real *d = dout + (size_t)b * P; /* [P] */
        if (len == 0)
            continue;
        if (mode != DP_POOL_MAX) {
            dp_real inv = (dp_real)1 / (dp_real)len;
            for (int p = 0; p < len; p++) {
                dp_real *g = dy + (size_t)(pk->off[p] + j) * D;
                for (size_t i = 0; i < D; i++)
                    g[i] += d[i] * inv;
            }
        }
        if (mode != DP_POOL_MEAN) {
            const dp_real *dm = d + (mode == DP_POOL_MEANMAX ? D : 0); /* [D] */
            const int *am = argmax + (size_t)b * D;
            for (size_t i = 0; i < D; i++)
                dy[(size_t)am[i] * D + i] += dm[i];
        }
    }
}
