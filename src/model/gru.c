#include "model/gru.h"

#include <stdint.h>
#include <string.h>

#include "model/cpu.h"

/* Step s of the recurrence visits time t; its state came from time *tp for the first
 * *np running rows, and from h0 = 0 for the rest (sequences that start at t in reverse). */
static int DP_R(gru_step)(const dp_pack *pk, int s, int reverse, int *tp, int *np)
{
    int t = reverse ? pk->maxlen - 1 - s : s;
    *tp = reverse ? t + 1 : t - 1;
    int has_prev = reverse ? t + 1 < pk->maxlen : t > 0;
    *np = 0;
    if (has_prev)
        *np = pk->bs[*tp] < pk->bs[t] ? pk->bs[*tp] : pk->bs[t];
    return t;
}

static dp_real DP_R(sigmoid)(dp_real v) { return (dp_real)1 / ((dp_real)1 + DP_EXP(-v)); }

/* Gates i0..H-1 of one row (scalar; the float build does the first multiple of 4 below). */
static void DP_R(gru_cell_tail)(dp_real *h, dp_real *g, const dp_real *gh, const dp_real *hp, size_t i0, size_t H)
{
    dp_real *r = g, *z = g + H, *n = g + 2 * H;
    for (size_t i = i0; i < H; i++) {
        r[i] = DP_R(sigmoid)(r[i] + gh[i]);
        z[i] = DP_R(sigmoid)(z[i] + gh[H + i]);
        n[i] = DP_TANH(n[i] + r[i] * gh[2 * H + i]);
        h[i] = ((dp_real)1 - z[i]) * n[i] + (hp ? z[i] * hp[i] : 0);
    }
}

#ifdef DP_REAL_DOUBLE
/* One row: g [3H] holds W_ih x + b_ih and becomes (r, z, n); gh [3H]; hp [H] or NULL. */
typedef void (*gru_cell_fn_d)(double *h, double *g, const double *gh, const double *hp, size_t i0, size_t H);
#else
/* Gates several lanes at a time: libm's expf/tanhf are scalar calls and were a fifth of
 * inference. gru_cell.inc holds the lane code, in GCC vectors; it is compiled for 4 lanes
 * (the portable twin: SSE2 on x86-64, NEON on aarch64, scalar code elsewhere) and, on x86,
 * for 8 (AVX2). Both run the same operations on every lane, and AVX2 hands its last H % 8
 * gates to the 4-lane code, so a gate's value is the same bits in both; each lane depends
 * on its own value alone, so batching cannot change it. */
#define CELL_LANES 4
#define CELL_NAME gru_cell_forward_4lane
#define CELL_TARGET
#define CELL_REST gru_cell_tail
#include "model/gru_cell.inc"

#ifdef DP_X86
#define CELL_LANES 8
#define CELL_NAME gru_cell_forward_avx2
#define CELL_TARGET __attribute__((target("avx2")))
#define CELL_REST gru_cell_forward_4lane
#include "model/gru_cell.inc"
#endif

/* One row: g [3H] holds W_ih x + b_ih and becomes (r, z, n); gh [3H]; hp [H] or NULL. */
typedef void (*gru_cell_fn)(float *h, float *g, const float *gh, const float *hp, size_t i0, size_t H);
#endif

/* Step s of the recurrence: ght [bs[t]][3H] = h_prev · W_hh^T + b_hh, then the cells turn
 * gt [bs[t]][3H] (W_ih x + b_ih of time t's rows) into the gates and y's rows of time t. */
static void DP_R(gru_recur)(dp_real *y, size_t ldy, dp_real *gt, dp_real *ght, const DP_R(dp_gru_params) *w,
                            const dp_gemm_w *phh, size_t H, const dp_pack *pk, int s, int reverse)
{
    size_t G = 3 * H;
#ifdef DP_REAL_DOUBLE
    gru_cell_fn_d cell = gru_cell_tail_d;
#else
    gru_cell_fn cell = gru_cell_forward_4lane;
#ifdef DP_X86
    if (dp_cpu_avx2())
        cell = gru_cell_forward_avx2;
#endif
#endif
    int tp, np, t = DP_R(gru_step)(pk, s, reverse, &tp, &np);
    size_t row0 = (size_t)pk->off[t];
    for (int j = 0; j < pk->bs[t]; j++)
        memcpy(ght + (size_t)j * G, w->b_hh, G * sizeof *ght);
    /* gh[:np] += h_prev [np][H] · W_hh^T [H][3H] */
    if (np > 0)
        DP_R(dp_mm_nt)(ght, G, y + (size_t)pk->off[tp] * ldy, ldy, w->w_hh, phh, (size_t)np, G, H);
    for (int j = 0; j < pk->bs[t]; j++) {
        const dp_real *hp = j < np ? y + ((size_t)pk->off[tp] + (size_t)j) * ldy : NULL;
        cell(y + (row0 + (size_t)j) * ldy, gt + (size_t)j * G, ght + (size_t)j * G, hp, 0, H);
    }
}

void DP_R(dp_gru_forward)(dp_real *y, size_t ldy, dp_real *g, dp_real *gh, const dp_real *x, size_t in,
                          const DP_R(dp_gru_params) *w, const dp_gemm_w *pih, const dp_gemm_w *phh, size_t H,
                          const dp_pack *pk, int reverse)
{
    size_t G = 3 * H, T = (size_t)pk->T;
    if (T == 0)
        return;
    /* g [T][3H] = x [T][in] · W_ih^T [in][3H] + b_ih */
    for (size_t r = 0; r < T; r++)
        memcpy(g + r * G, w->b_ih, G * sizeof *g);
    DP_R(dp_mm_nt)(g, G, x, in, w->w_ih, pih, T, G, in);
    for (int s = 0; s < pk->maxlen; s++) {
        size_t row0 = (size_t)pk->off[reverse ? pk->maxlen - 1 - s : s];
        DP_R(gru_recur)(y, ldy, g + row0 * G, gh + row0 * G, w, phh, H, pk, s, reverse);
    }
}

#ifndef DP_REAL_DOUBLE
void dp_gru_infer(float *y, size_t ldy, float *g, float *gh, const float *x, size_t in, const dp_gru_params *w,
                  const dp_gemm_w *pih, const dp_gemm_w *phh, size_t H, const dp_pack *pk, int reverse)
{
    size_t G = 3 * H;
    for (int s = 0; s < pk->maxlen; s++) {
        size_t t = (size_t)(reverse ? pk->maxlen - 1 - s : s), row0 = (size_t)pk->off[t], bs = (size_t)pk->bs[t];
        /* g [bs][3H] = x [bs][in] (time t's rows) · W_ih^T + b_ih: the packed GEMM's sums are
         * the same bits whatever the rows around them, so this is dp_gru_forward's g */
        for (size_t j = 0; j < bs; j++)
            memcpy(g + j * G, w->b_ih, G * sizeof *g);
        dp_mm_nt(g, G, x + row0 * in, in, w->w_ih, pih, bs, G, in);
        gru_recur(y, ldy, g, gh, w, phh, H, pk, s, reverse);
    }
}
#endif

/* One row backward. dh [H] is dL/dh' (complete); writes dg [3H] (input pre-activations),
 * dgh [3H] (W_hh h + b_hh), and dh_prev_direct = dh ⊙ z into dhp when hp exists. */
static void DP_R(gru_cell_backward)(dp_real *dg, dp_real *dgh, dp_real *dhp, const dp_real *dh, const dp_real *g,
                                    const dp_real *gh, const dp_real *hp, size_t H)
{
    const dp_real *r = g, *z = g + H, *n = g + 2 * H, *ghn = gh + 2 * H;
    for (size_t i = 0; i < H; i++) {
        dp_real h0 = hp ? hp[i] : 0;
        dp_real dn = dh[i] * ((dp_real)1 - z[i]);
        dp_real dz = dh[i] * (h0 - n[i]);
        dp_real dan = dn * ((dp_real)1 - n[i] * n[i]);
        dp_real dr = dan * ghn[i];
        dp_real dar = dr * r[i] * ((dp_real)1 - r[i]);
        dp_real daz = dz * z[i] * ((dp_real)1 - z[i]);
        dg[i] = dar;
        dg[H + i] = daz;
        dg[2 * H + i] = dan;
        dgh[i] = dar;
        dgh[H + i] = daz;
        dgh[2 * H + i] = dan * r[i];
    }
    if (hp)
        for (size_t i = 0; i < H; i++)
            dhp[i] += dh[i] * z[i];
}

void DP_R(dp_gru_backward)(dp_real *dx, dp_real *dy, const DP_R(dp_gru_params) *dw, dp_real *dg, dp_real *dgh,
                           dp_real *hprev, const dp_real *y, size_t ldy, const dp_real *g, const dp_real *gh,
                           const dp_real *x, size_t in, const DP_R(dp_gru_params) *w, size_t H,
                           const dp_pack *pk, int reverse)
{
    size_t G = 3 * H, T = (size_t)pk->T;
    if (T == 0)
        return;
    /* Undo the steps in reverse order; when step s runs, dy of its rows is complete. */
    for (int s = pk->maxlen - 1; s >= 0; s--) {
        int tp, np, t = DP_R(gru_step)(pk, s, reverse, &tp, &np);
        size_t row0 = (size_t)pk->off[t], prow0 = np > 0 ? (size_t)pk->off[tp] : 0;
        for (int j = 0; j < pk->bs[t]; j++) {
            size_t row = row0 + (size_t)j;
            const dp_real *hp = j < np ? y + (prow0 + (size_t)j) * ldy : NULL;
            dp_real *dhp = j < np ? dy + (prow0 + (size_t)j) * ldy : NULL;
            if (hp)
                memcpy(hprev + row * H, hp, H * sizeof *hprev);
            else
                memset(hprev + row * H, 0, H * sizeof *hprev);
            DP_R(gru_cell_backward)(dg + row * G, dgh + row * G, dhp, dy + row * ldy, g + row * G, gh + row * G,
                                    hp, H);
        }
        /* dh_prev [np][H] += dgh [np][3H] · W_hh [3H][H] */
        if (np > 0)
            DP_GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, np, (int)H, (int)G, 1, dgh + row0 * G, (int)G,
                    w->w_hh, (int)H, 1, dy + prow0 * ldy, (int)ldy);
    }
    /* dW_hh [3H][H] += dgh^T · hprev;  dW_ih [3H][in] += dg^T · x;  dx [T][in] += dg · W_ih */
    DP_GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, (int)G, (int)H, (int)T, 1, dgh, (int)G, hprev, (int)H, 1,
            dw->w_hh, (int)H);
    DP_GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, (int)G, (int)in, (int)T, 1, dg, (int)G, x, (int)in, 1, dw->w_ih,
            (int)in);
    DP_GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)T, (int)in, (int)G, 1, dg, (int)G, w->w_ih, (int)in, 1,
            dx, (int)in);
    for (size_t r = 0; r < T; r++)
        for (size_t i = 0; i < G; i++) {
            dw->b_ih[i] += dg[r * G + i];
            dw->b_hh[i] += dgh[r * G + i];
        }
}
