#include "model/net.h"

#include <stdlib.h>
#include <string.h>

#include "model/embedbag.h"
#include "model/gru.h"
#include "model/l2norm.h"
#include "model/linear.h"
#include "model/pool.h"

typedef struct DP_R(net_buf) {
    dp_real *p;
    size_t cap;
} DP_R(net_buf);

struct DP_R(dp_net_ws) {
    dp_model_config cfg;
    dp_pack pk;
    int cached, cached_B, cached_T; /* the caches hold a keep_cache forward of this shape */
    /* forward; with keep_cache = 0 layer l uses y[l % 2] and g/gh[0][0] */
    DP_R(net_buf) x0;                               /* [T][E]  embedded tokens */
    DP_R(net_buf) y[DP_MAX_LAYERS];                 /* [T][2H] layer outputs [fwd ; bwd] */
    DP_R(net_buf) g[DP_MAX_LAYERS][2];              /* [T][3H] gates r, z, n */
    DP_R(net_buf) gh[DP_MAX_LAYERS][2];             /* [T][3H] W_hh h + b_hh */
    DP_R(net_buf) pool;                             /* [B][P]  pooled */
    DP_R(net_buf) weight;                           /* [T]     attention weights (attnmax) */
    DP_R(net_buf) proj;                             /* [B][O]  projected, before normalising */
    DP_R(net_buf) out;                              /* [B][O]  unit vectors */
    DP_R(net_buf) norm;                             /* [B]     clamped norms */
    int *argmax;                                    /* [B][2H] packed row of each max */
    size_t cap_argmax;
    /* backward */
    DP_R(net_buf) dproj, dpool;                     /* [B][O], [B][P] */
    DP_R(net_buf) dy[2];                            /* [T][2H] gradient of a layer's output */
    DP_R(net_buf) dg, dgh;                          /* [T][3H] */
    DP_R(net_buf) hprev;                            /* [T][H] */
    DP_R(net_buf) dx0;                              /* [T][E] */
    uint32_t *touched;
    size_t cap_touched;
};

static int DP_R(net_grow)(DP_R(net_buf) *b, size_t n) { return dp_grow((void **)&b->p, &b->cap, n, sizeof(dp_real)); }

int DP_R(dp_net_ws_create)(DP_R(dp_net_ws) **ws, const dp_model_config *cfg)
{
    *ws = calloc(1, sizeof **ws);
    if (!*ws)
        return DOPPEL_ERR_NOMEM;
    (*ws)->cfg = *cfg;
    return DOPPEL_OK;
}

void DP_R(dp_net_ws_free)(DP_R(dp_net_ws) *ws)
{
    if (!ws)
        return;
    DP_R(net_buf) *all[] = {&ws->x0,    &ws->pool,  &ws->weight, &ws->proj, &ws->out, &ws->norm,  &ws->dproj,
                            &ws->dpool, &ws->dy[0], &ws->dy[1],  &ws->dg,   &ws->dgh, &ws->hprev, &ws->dx0};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]->p);
    for (int l = 0; l < DP_MAX_LAYERS; l++) {
        free(ws->y[l].p);
        for (int d = 0; d < 2; d++) {
            free(ws->g[l][d].p);
            free(ws->gh[l][d].p);
        }
    }
    free(ws->argmax);
    free(ws->touched);
    dp_pack_release(&ws->pk);
    free(ws);
}

/* The one forward: pw == NULL multiplies with BLAS, else with the packed weights; q8 is the
 * embedding table when p->embed is NULL (an int8-resident model). */
static int DP_R(net_forward)(const DP_R(dp_model_params) *p, const dp_embed_q8 *q8, const dp_net_packed *pw,
                             DP_R(dp_net_ws) *ws, const dp_batch *batch, dp_real *out, int keep_cache)
{
    const dp_model_config *c = &ws->cfg;
    ws->cached = 0;
    int rc = dp_pack_plan(&ws->pk, batch, c->buckets);
    if (rc)
        return rc;
    const dp_pack *pk = &ws->pk;
    size_t T = (size_t)pk->T, B = (size_t)pk->B, E = c->embed_dim, H = c->hidden, L = c->layers, O = c->out_dim;
    size_t P = dp_model_pool_dim(c);
    int err = DP_R(net_grow)(&ws->x0, T * E) | DP_R(net_grow)(&ws->pool, B * P) | DP_R(net_grow)(&ws->weight, T) |
              DP_R(net_grow)(&ws->proj, B * O) | DP_R(net_grow)(&ws->out, B * O) | DP_R(net_grow)(&ws->norm, B) |
              dp_grow((void **)&ws->argmax, &ws->cap_argmax, B * 2 * H, sizeof(int));
    /* inference with packed weights runs the GRU a step at a time: g and gh hold one step */
    int stepwise = !keep_cache && pw;
#ifdef DP_REAL_DOUBLE
    stepwise = 0;
#endif
    size_t grows = stepwise ? B : T;
    for (size_t l = 0; l < L; l++) {
        size_t yl = keep_cache ? l : l % 2, gl = keep_cache ? l : 0;
        err |= DP_R(net_grow)(&ws->y[yl], T * 2 * H);
        for (int d = 0; d < 2; d++) {
            int gd = keep_cache ? d : 0;
            err |= DP_R(net_grow)(&ws->g[gl][gd], grows * 3 * H) | DP_R(net_grow)(&ws->gh[gl][gd], grows * 3 * H);
        }
    }
    if (err)
        return DOPPEL_ERR_NOMEM;

    DP_R(dp_embedbag_forward)(ws->x0.p, batch, pk, p->embed, q8, E);
    const dp_real *x = ws->x0.p; /* [T][in] */
    size_t in = E;
    for (size_t l = 0; l < L; l++) {
        dp_real *y = ws->y[keep_cache ? l : l % 2].p; /* [T][2H] */
        for (int d = 0; d < 2; d++) {
            size_t gl = keep_cache ? l : 0;
            int gd = keep_cache ? d : 0;
#ifndef DP_REAL_DOUBLE
            if (stepwise) {
                dp_gru_infer(y + (size_t)d * H, 2 * H, ws->g[gl][gd].p, ws->gh[gl][gd].p, x, in, &p->gru[l][d],
                             &pw->ih[l][d], &pw->hh[l][d], H, pk, d);
                continue;
            }
#endif
            DP_R(dp_gru_forward)(y + (size_t)d * H, 2 * H, ws->g[gl][gd].p, ws->gh[gl][gd].p, x, in, &p->gru[l][d],
                                 pw ? &pw->ih[l][d] : NULL, pw ? &pw->hh[l][d] : NULL, H, pk, d);
        }
        x = y;
        in = 2 * H;
    }
    DP_R(dp_pool_in) pin = {x, 2 * H, ws->x0.p, E, p->attn, (int)c->pooling};
    /* argmax is for backward only: inference takes the vectorisable max without it */
    DP_R(dp_pool_forward)(ws->pool.p, keep_cache ? ws->argmax : NULL, ws->weight.p, &pin, batch, pk);
    DP_R(dp_linear_forward)(ws->proj.p, ws->pool.p, p->proj_w, pw ? &pw->proj : NULL, p->proj_b, B, P, O);
    DP_R(dp_l2norm_forward)(ws->out.p, ws->norm.p, ws->proj.p, B, O);
    if (B)
        memcpy(out, ws->out.p, B * O * sizeof *out);
    ws->cached = keep_cache != 0;
    ws->cached_B = pk->B;
    ws->cached_T = pk->T;
    return DOPPEL_OK;
}

int DP_R(dp_net_forward_params)(const DP_R(dp_model_params) *p, DP_R(dp_net_ws) *ws, const dp_batch *batch,
                                dp_real *out, int keep_cache)
{
    return DP_R(net_forward)(p, NULL, NULL, ws, batch, out, keep_cache);
}

int DP_R(dp_net_backward_params)(const DP_R(dp_model_params) *p, DP_R(dp_net_ws) *ws, const dp_batch *batch,
                                 const dp_real *dout, const DP_R(dp_model_params) *grad, const uint32_t **touched,
                                 size_t *n_touched)
{
    const dp_model_config *c = &ws->cfg;
    const dp_pack *pk = &ws->pk;
    if (!ws->cached || batch->B != ws->cached_B)
        return DOPPEL_ERR_INVALID;
    long long ntok = 0; /* a cheap guard against a different batch than the forward's */
    for (int b = 0; b < batch->B; b++)
        ntok += batch->seq_len[b];
    if (ntok != ws->cached_T)
        return DOPPEL_ERR_INVALID;
    size_t T = (size_t)pk->T, B = (size_t)pk->B, E = c->embed_dim, H = c->hidden, L = c->layers, O = c->out_dim;
    size_t P = dp_model_pool_dim(c);
    if (DP_R(net_grow)(&ws->dproj, B * O) | DP_R(net_grow)(&ws->dpool, B * P) | DP_R(net_grow)(&ws->dy[0], T * 2 * H) |
        DP_R(net_grow)(&ws->dy[1], T * 2 * H) | DP_R(net_grow)(&ws->dg, T * 3 * H) |
        DP_R(net_grow)(&ws->dgh, T * 3 * H) | DP_R(net_grow)(&ws->hprev, T * H) | DP_R(net_grow)(&ws->dx0, T * E))
        return DOPPEL_ERR_NOMEM;
    size_t nt = dp_batch_unique_ids(batch, pk, &ws->touched, &ws->cap_touched);
    if (nt == (size_t)-1)
        return DOPPEL_ERR_NOMEM;

    DP_R(dp_l2norm_backward)(ws->dproj.p, dout, ws->out.p, ws->norm.p, B, O);
    DP_R(dp_linear_backward)(ws->dpool.p, grad->proj_w, grad->proj_b, ws->dproj.p, ws->pool.p, p->proj_w, B, P, O);
    dp_real *dy = ws->dy[0].p; /* [T][2H] gradient of layer l's output */
    memset(dy, 0, T * 2 * H * sizeof *dy);
    memset(ws->dx0.p, 0, T * E * sizeof *ws->dx0.p); /* the bag and attention poolings add to it first */
    DP_R(dp_pool_in) pin = {ws->y[L - 1].p, 2 * H, ws->x0.p, E, p->attn, (int)c->pooling};
    DP_R(dp_pool_backward)(dy, ws->dx0.p, grad->attn, ws->dpool.p, ws->argmax, ws->weight.p, &pin, batch, pk);
    for (size_t l = L; l-- > 0;) {
        dp_real *dx = l > 0 ? ws->dy[(L - l) % 2].p : ws->dx0.p; /* [T][in] */
        const dp_real *x = l > 0 ? ws->y[l - 1].p : ws->x0.p;    /* [T][in] */
        size_t in = l > 0 ? 2 * H : E;
        if (l > 0)
            memset(dx, 0, T * in * sizeof *dx);
        for (int d = 0; d < 2; d++)
            DP_R(dp_gru_backward)(dx, dy + (size_t)d * H, &grad->gru[l][d], ws->dg.p, ws->dgh.p, ws->hprev.p,
                                  ws->y[l].p + (size_t)d * H, 2 * H, ws->g[l][d].p, ws->gh[l][d].p, x, in,
                                  &p->gru[l][d], H, pk, d);
        dy = dx;
    }
    DP_R(dp_embedbag_backward)(grad->embed, ws->dx0.p, batch, pk, E);
    *touched = ws->touched;
    *n_touched = nt;
    return DOPPEL_OK;
}

#ifndef DP_REAL_DOUBLE
static int same_shape(const dp_model_config *a, const dp_model_config *b)
{
    return a->embed_dim == b->embed_dim && a->hidden == b->hidden && a->layers == b->layers &&
           a->out_dim == b->out_dim && a->buckets == b->buckets && a->pooling == b->pooling;
}

int dp_net_forward(const dp_model *m, dp_net_ws *ws, const dp_batch *batch, float *out, int keep_cache)
{
    if (!same_shape(&m->cfg, &ws->cfg))
        return DOPPEL_ERR_INVALID;
    return net_forward(&m->p, &m->q8, NULL, ws, batch, out, keep_cache);
}

int dp_net_backward(const dp_model *m, dp_net_ws *ws, const dp_batch *batch, const float *dout,
                    const dp_model_params *grad, const uint32_t **touched, size_t *n_touched)
{
    if (!same_shape(&m->cfg, &ws->cfg))
        return DOPPEL_ERR_INVALID;
    return dp_net_backward_params(&m->p, ws, batch, dout, grad, touched, n_touched);
}

void dp_net_packed_release(dp_net_packed *pw)
{
    for (int l = 0; l < DP_MAX_LAYERS; l++)
        for (int d = 0; d < 2; d++) {
            dp_gemm_w_release(&pw->ih[l][d]);
            dp_gemm_w_release(&pw->hh[l][d]);
        }
    dp_gemm_w_release(&pw->proj);
}

int dp_net_pack(dp_net_packed *pw, const dp_model *m)
{
    const dp_model_config *c = &m->cfg;
    size_t H = c->hidden;
    int err = 0;
    memset(pw, 0, sizeof *pw);
    for (size_t l = 0; l < c->layers; l++)
        for (int d = 0; d < 2; d++) {
            const dp_gru_params *g = &m->p.gru[l][d];
            err |= dp_gemm_w_pack(&pw->ih[l][d], g->w_ih, 3 * H, l ? 2 * H : c->embed_dim);
            err |= dp_gemm_w_pack(&pw->hh[l][d], g->w_hh, 3 * H, H);
        }
    err |= dp_gemm_w_pack(&pw->proj, m->p.proj_w, c->out_dim, dp_model_pool_dim(c));
    if (err) {
        dp_net_packed_release(pw);
        return DOPPEL_ERR_NOMEM;
    }
    return DOPPEL_OK;
}

const char *dp_precision_name(dp_precision p)
{
    return p == DP_PRECISION_INT8 ? "int8" : p == DP_PRECISION_FP32 ? "fp32" : "auto";
}

int dp_precision_parse(const char *name)
{
    static const dp_precision all[] = {DP_PRECISION_AUTO, DP_PRECISION_FP32, DP_PRECISION_INT8};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!strcmp(name, dp_precision_name(all[i])))
            return (int)all[i];
    return -1;
}

dp_precision dp_precision_resolve(dp_precision p)
{
    if (p != DP_PRECISION_AUTO)
        return p;
    return strcmp(dp_gemm_q8_kernel(), "portable") ? DP_PRECISION_INT8 : DP_PRECISION_FP32;
}

int dp_net_pack_q8(dp_net_packed *pw, const dp_model *m)
{
    int rc = DOPPEL_OK;
    for (size_t l = 0; l < m->cfg.layers && !rc; l++)
        for (int d = 0; d < 2 && !rc; d++) {
            const dp_gru_params *g = &m->p.gru[l][d];
            if (!(rc = dp_gemm_w_pack_q8(&pw->ih[l][d], g->w_ih)))
                rc = dp_gemm_w_pack_q8(&pw->hh[l][d], g->w_hh);
        }
    return rc;
}

int dp_net_infer(const dp_model *m, const dp_net_packed *pw, dp_net_ws *ws, const dp_batch *batch, float *out)
{
    if (!same_shape(&m->cfg, &ws->cfg))
        return DOPPEL_ERR_INVALID;
    return net_forward(&m->p, &m->q8, pw, ws, batch, out, 0);
}
#endif
