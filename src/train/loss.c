#include "train/loss.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"
#include "train/loss_apart.h"
#include "train/loss_contrastive.h"
#include "train/loss_cosent.h"
#include "train/loss_cosmse.h"
#include "train/loss_inbatch.h"
#include "train/loss_multipos.h"

static const char *const kind_names[] = {NULL, "contrastive", "triplet", "inbatch", "cosent", "cosmse", "multipos"};

void dp_loss_spec_default(dp_loss_spec *s, dp_loss_kind kind)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->margin = 0.5f;
    s->scale = 20.0f;
    s->mining = DP_MINE_SEMIHARD;
    s->symmetric = 1;
    s->apart_margin = 0.3f;
}

dp_loss_kind dp_loss_kind_parse(const char *name)
{
    for (int k = DP_LOSS_CONTRASTIVE; k <= DP_LOSS_MULTIPOS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return (dp_loss_kind)k;
    return (dp_loss_kind)0;
}

const char *dp_loss_kind_name(dp_loss_kind kind)
{
    return kind >= DP_LOSS_CONTRASTIVE && kind <= DP_LOSS_MULTIPOS ? kind_names[kind] : "?";
}

int dp_loss_ws_alloc(dp_loss_ws *ws, int B)
{
    memset(ws, 0, sizeof *ws);
    size_t nf = dp_inbatch_work_size(B) + 2 * (size_t)B;
    if (dp_multipos_work_size(B) > nf)
        nf = dp_multipos_work_size(B);
    if (dp_apart_work_size(B) > nf)
        nf = dp_apart_work_size(B);
    ws->f = malloc(sizeof(float) * nf);
    ws->neg = malloc(sizeof(int) * (size_t)B);
    if (!ws->f || !ws->neg) {
        dp_loss_ws_free(ws);
        return DOPPEL_ERR_NOMEM;
    }
    ws->cap = B;
    return DOPPEL_OK;
}

void dp_loss_ws_free(dp_loss_ws *ws)
{
    free(ws->f);
    free(ws->neg);
    memset(ws, 0, sizeof *ws);
}

static float triplet_eval(const dp_loss_spec *s, dp_loss_ws *ws, const float *u, const float *v, const float *c,
                          int B, int D, float *du, float *dv, float *dc)
{
    /* Without explicit negatives the other positives are the candidates. */
    const float *cand = c ? c : v;
    if (c) {
        for (int i = 0; i < B; i++)
            ws->neg[i] = i;
    } else {
        if (B < 2)
            return 0.0f;
        dp_triplet_mine(ws->neg, u, v, B, D, s->margin, s->mining);
    }
    float l = dp_triplet_forward(u, v, cand, ws->neg, B, D, s->margin);
    if (du)
        dp_triplet_backward(du, dv, c ? dc : dv, B, u, v, cand, ws->neg, B, D, s->margin);
    return l;
}

float dp_loss_eval(const dp_loss_spec *s, dp_loss_ws *ws, const float *u, const float *v, const float *c,
                   const float *label, const uint32_t *group, int B, int D, float *du, float *dv, float *dc)
{
    float l = 0.0f;
    switch (s->kind) {
    case DP_LOSS_CONTRASTIVE:
        l = dp_contrastive_forward(u, v, label, B, D, s->margin);
        if (du)
            dp_contrastive_backward(du, dv, u, v, label, B, D, s->margin);
        break;
    case DP_LOSS_TRIPLET:
        return triplet_eval(s, ws, u, v, c, B, D, du, dv, dc);
    case DP_LOSS_INBATCH:
        l = dp_inbatch_forward(ws->f, u, v, B, D, s->scale, s->symmetric);
        if (du)
            dp_inbatch_backward(du, dv, ws->f, u, v, B, D, s->scale, s->symmetric);
        group = NULL; /* its positives are the diagonal's */
        break;
    case DP_LOSS_COSENT:
        l = dp_cosent_forward(ws->f, u, v, label, B, D, s->scale);
        if (du)
            dp_cosent_backward(du, dv, ws->f, u, v, label, B, D, s->scale);
        break;
    case DP_LOSS_COSMSE:
        l = dp_cosmse_forward(u, v, label, B, D);
        if (du)
            dp_cosmse_backward(du, dv, u, v, label, B, D);
        break;
    case DP_LOSS_MULTIPOS:
        l = dp_multipos_forward(ws->f, u, v, c, group, B, D, s->scale, s->symmetric);
        if (du)
            dp_multipos_backward(du, dv, dc, ws->f, u, v, c, group, B, D, s->scale, s->symmetric);
        break;
    }
    if ((s->kind == DP_LOSS_INBATCH || s->kind == DP_LOSS_MULTIPOS) && s->apart_weight > 0.0f) {
        l += dp_apart_forward(ws->f, u, v, group, B, D, s->apart_margin, s->apart_weight);
        if (du)
            dp_apart_backward(du, dv, ws->f, u, v, group, B, D, s->apart_margin, s->apart_weight);
    }
    /* Pair losses leave explicit negatives alone. */
    if (du && c && dc && s->kind != DP_LOSS_MULTIPOS)
        memset(dc, 0, sizeof(float) * (size_t)B * D);
    return l;
}

int dp_loss_mix_pick(const dp_loss_mix *mix, dp_rng *rng)
{
    double total = 0.0;
    for (int i = 0; i < mix->n; i++)
        total += (double)mix->weight[i];
    double r = (double)dp_rng_float(rng) * total;
    for (int i = 0; i < mix->n; i++) {
        r -= (double)mix->weight[i];
        if (r < 0.0 && mix->weight[i] > 0.0f)
            return i;
    }
    for (int i = mix->n - 1; i > 0; i--)
        if (mix->weight[i] > 0.0f)
            return i;
    return 0;
}
