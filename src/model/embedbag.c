#include "model/embedbag.h"

#include <string.h>

#include "model/cpu.h"
#include "model/quant.h"

/* The sum of a bag is one loop over its rows whatever the storage; only adding a row
 * differs, in two small kernels, each a plain loop gcc vectorises (a per-element fetch
 * through a function pointer would not be). */

/* xr [E] += e [E] */
static inline void DP_R(add_row)(dp_real *xr, const dp_real *e, size_t E)
{
    for (size_t i = 0; i < E; i++)
        xr[i] += e[i];
}

/* xr [E] += q [E] dequantized with scale */
static inline void DP_R(add_row_int8)(dp_real *xr, const int8_t *q, float scale, size_t E)
{
    for (size_t i = 0; i < E; i++)
        xr[i] += (dp_real)dp_int8_value(q[i], scale);
}

static inline __attribute__((always_inline)) void DP_R(embedbag_forward)(dp_real *x, const dp_batch *batch,
                                                                         const dp_pack *pk, const dp_real *table,
                                                                         const dp_embed_q8 *q8, size_t E)
{
    /* rows as bytes, for prefetching either storage */
    const char *rows = table ? (const char *)table : (const char *)q8->q;
    size_t row_bytes = table ? E * sizeof *table : E;
    for (int t = 0; t < pk->T; t++) {
        dp_real *xr = x + (size_t)pk->tok_row[t] * E; /* [E] */
        int k0 = batch->tok_off[t], k1 = batch->tok_off[t + 1];
        /* the rows are scattered over a table far larger than the caches (and the TLB):
         * fetch the next token's rows (and scales) while this one sums */
        if (t + 1 < pk->T)
            for (int k = k1; k < batch->tok_off[t + 2]; k++) {
                for (size_t i = 0; i < row_bytes; i += 64)
                    __builtin_prefetch(rows + (size_t)batch->ids[k] * row_bytes + i);
                if (!table)
                    __builtin_prefetch(q8->scale + batch->ids[k]);
            }
        memset(xr, 0, E * sizeof *xr);
        for (int k = k0; k < k1; k++) {
            size_t id = batch->ids[k];
            if (table)
                DP_R(add_row)(xr, table + id * E, E);
            else
                DP_R(add_row_int8)(xr, q8->q + id * E, q8->scale[id], E);
        }
        if (k1 - k0 > 1) {
            dp_real inv = (dp_real)1 / (dp_real)(k1 - k0);
            for (size_t i = 0; i < E; i++)
                xr[i] *= inv;
        }
    }
}

/* The same code compiled twice on x86, as gemm.c's kernel is: the baseline ISA (SSE2) has
 * no int8-to-int32 widening, so an int8 table's rows summed there were a sixth of int8
 * inference. Each element goes through the same multiply and add in both (no FMA): the
 * same bits. */
#ifdef DP_X86
__attribute__((target("avx2"))) static void DP_R(embedbag_forward_avx2)(dp_real *x, const dp_batch *batch,
                                                                        const dp_pack *pk, const dp_real *table,
                                                                        const dp_embed_q8 *q8, size_t E)
{
    DP_R(embedbag_forward)(x, batch, pk, table, q8, E);
}
#endif

void DP_R(dp_embedbag_forward_portable)(dp_real *x, const dp_batch *batch, const dp_pack *pk, const dp_real *table,
                                        const dp_embed_q8 *q8, size_t E)
{
    DP_R(embedbag_forward)(x, batch, pk, table, q8, E);
}

void DP_R(dp_embedbag_forward)(dp_real *x, const dp_batch *batch, const dp_pack *pk, const dp_real *table,
                               const dp_embed_q8 *q8, size_t E)
{
#ifdef DP_X86
    if (dp_cpu_avx2()) {
        DP_R(embedbag_forward_avx2)(x, batch, pk, table, q8, E);
        return;
    }
#endif
    DP_R(dp_embedbag_forward_portable)(x, batch, pk, table, q8, E);
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
