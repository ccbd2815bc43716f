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

/* weight [T] = softmax over the sequence's packed rows of attn · x[row]; o [D] (zeroed by
 * the caller) = the weighted sum of its rows of y */
static void DP_R(attn_rows)(dp_real *o, dp_real *weight, const DP_R(dp_pool_in) *in, int len, int j,
                            const dp_pack *pk)
{
    dp_real top = 0;
    for (int p = 0; p < len; p++) {
        size_t row = (size_t)(pk->off[p] + j);
        const dp_real *x = in->x + row * in->E;
        dp_real s = 0;
        for (size_t i = 0; i < in->E; i++)
            s += in->attn[i] * x[i];
        weight[row] = s;
        top = p == 0 || s > top ? s : top;
    }
    dp_real sum = 0;
    for (int p = 0; p < len; p++) {
        size_t row = (size_t)(pk->off[p] + j);
        weight[row] = DP_EXP(weight[row] - top); /* shifted by the largest: no overflow */
        sum += weight[row];
    }
    for (int p = 0; p < len; p++) {
        size_t row = (size_t)(pk->off[p] + j);
        weight[row] /= sum;
        const dp_real *h = in->y + row * in->D;
        for (size_t i = 0; i < in->D; i++)
            o[i] += weight[row] * h[i];
    }
}

/* the backward of attn_rows for d = dL/do [D]: with g_t = d · y_t and ḡ = Σ_t w_t g_t,
 * dL/dy_t = w_t d and the score s_t = attn · x_t gets w_t (g_t - ḡ) */
static void DP_R(attn_rows_backward)(dp_real *dy, dp_real *dx, dp_real *dattn, const dp_real *d,
                                     const dp_real *weight, const DP_R(dp_pool_in) *in, int len, int j,
                                     const dp_pack *pk)
{
    size_t D = in->D, E = in->E;
    dp_real mean_g = 0;
    for (int p = 0; p < len; p++) {
        size_t row = (size_t)(pk->off[p] + j);
        const dp_real *h = in->y + row * D;
        dp_real g = 0;
        for (size_t i = 0; i < D; i++)
            g += d[i] * h[i];
        mean_g += weight[row] * g;
    }
    for (int p = 0; p < len; p++) {
        size_t row = (size_t)(pk->off[p] + j);
        const dp_real *h = in->y + row * D, *x = in->x + row * E;
        dp_real *gy = dy + row * D, *gx = dx + row * E, w = weight[row], g = 0;
        for (size_t i = 0; i < D; i++) {
            g += d[i] * h[i];
            gy[i] += w * d[i];
        }
        dp_real ds = w * (g - mean_g);
        for (size_t i = 0; i < E; i++) {
            gx[i] += ds * in->attn[i];
            dattn[i] += ds * x[i];
        }
    }
}

void DP_R(dp_pool_forward)(dp_real *out, int *argmax, dp_real *weight, const DP_R(dp_pool_in) *in,
                           const dp_batch *batch, const dp_pack *pk)
{
    size_t D = in->D, E = in->E;
    int mode = in->mode;
    const dp_real *y = in->y;
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
        if (mode == DP_POOL_ATTNMAX)
            DP_R(attn_rows)(o, weight, in, len, j, pk);
        else if (has_mean)
            DP_R(mean_rows)(o, y, D, len, j, pk);
        if (mode == DP_POOL_MEANMAX_BAG)
            DP_R(mean_rows)(o + 2 * D, in->x, E, len, j, pk);
    }
}

void DP_R(dp_pool_backward)(dp_real *dy, dp_real *dx, dp_real *dattn, const dp_real *dout, const int *argmax,
                            const dp_real *weight, const DP_R(dp_pool_in) *in, const dp_batch *batch,
                            const dp_pack *pk)
{
    size_t D = in->D, E = in->E;
    int mode = in->mode;
    size_t P = dp_pool_width(D, E, (uint32_t)mode);
    int has_mean = mode != DP_POOL_MAX, has_max = mode != DP_POOL_MEAN;
    for (int b = 0; b < batch->B; b++) {
        int len = batch->seq_len[b], j = pk->rank[b];
        const dp_real *d = dout + (size_t)b * P; /* [P] */
        if (len == 0)
            continue;
        if (mode == DP_POOL_ATTNMAX)
            DP_R(attn_rows_backward)(dy, dx, dattn, d, weight, in, len, j, pk);
        else if (has_mean)
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
