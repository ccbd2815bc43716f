#include "model/embedbag.h"

#include <string.h>

void DP_R(dp_embedbag_forward)(dp_real *x, const dp_batch *batch, const dp_pack *pk, const dp_real *table,
                               size_t E)
{
    for (int t = 0; t < pk->T; t++) {
        dp_real *xr = x + (size_t)pk->tok_row[t] * E; /* [E] */
        int k0 = batch->tok_off[t], k1 = batch->tok_off[t + 1];
        /* the rows are scattered over a table far larger than the caches (and the TLB):
         * fetch the next token's rows while this one sums */
        if (t + 1 < pk->T)
            for (int k = k1; k < batch->tok_off[t + 2]; k++)
                for (size_t i = 0; i < E; i += 64 / sizeof(dp_real))
                    __builtin_prefetch(table + (size_t)batch->ids[k] * E + i);
        memset(xr, 0, E * sizeof *xr);
        for (int k = k0; k < k1; k++) {
            const dp_real *e = table + (size_t)batch->ids[k] * E; /* [E] */
            for (size_t i = 0; i < E; i++)
                xr[i] += e[i];
        }
        if (k1 - k0 > 1) {
            dp_real inv = (dp_real)1 / (dp_real)(k1 - k0);
            for (size_t i = 0; i < E; i++)
                xr[i] *= inv;
        }
    }
}

void DP_R(dp_embedbag_backward)(dp_real *dtable, const dp_real *dx, const dp_batch *batch, const dp_pack *pk,
                                size_t E)
{
    for (int t = 0; t < pk->T; t++) {
        const dp_real *g = dx + (size_t)pk->tok_row[t] * E; /* [E] */
        int k0 = batch->tok_off[t], k1 = batch->tok_off[t + 1];
        if (k1 == k0)
            continue;
        dp_real inv = (dp_real)1 / (dp_real)(k1 - k0);
        for (int k = k0; k < k1; k++) {
            dp_real *d = dtable + (size_t)batch->ids[k] * E; /* [E] */
            for (size_t i = 0; i < E; i++)
                d[i] += g[i] * inv;
        }
    }
}
