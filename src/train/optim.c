#include "train/optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doppel.h"

void dp_adamw_config_default(dp_adamw_config *c)
{
    c->beta1 = 0.9f;
    c->beta2 = 0.999f;
    c->eps = 1e-8f;
    c->weight_decay = 0.01f;
}

int dp_adamw_init(dp_adamw *o, const dp_adamw_config *cfg, size_t n, size_t rows, size_t row_dim)
{
    memset(o, 0, sizeof *o);
    o->cfg = *cfg;
    o->n = n;
    o->rows = rows;
    o->row_dim = row_dim;
    o->m = calloc(n ? n : 1, sizeof(float));
    o->v = calloc(n ? n : 1, sizeof(float));
    if (!o->m || !o->v) {
        dp_adamw_free(o);
        return DOPPEL_ERR_NOMEM;
    }
    return DOPPEL_OK;
}

void dp_adamw_free(dp_adamw *o)
{
    free(o->m);
    free(o->v);
    o->m = o->v = NULL;
}

/* The AdamW update of floats [lo, hi). */
static void update_range(dp_adamw *o, float *param, const float *grad, size_t lo, size_t hi, float lr, float bc1,
                         float bc2)
{
    const dp_adamw_config *c = &o->cfg;
    for (size_t i = lo; i < hi; i++) {
        float g = grad[i];
        o->m[i] = c->beta1 * o->m[i] + (1.0f - c->beta1) * g;
        o->v[i] = c->beta2 * o->v[i] + (1.0f - c->beta2) * g * g;
        float mhat = o->m[i] / bc1, vhat = o->v[i] / bc2;
        param[i] -= lr * (mhat / (sqrtf(vhat) + c->eps) + c->weight_decay * param[i]);
    }
}

void dp_adamw_step(dp_adamw *o, float *param, const float *grad, const uint32_t *touched, size_t n_touched,
                   float lr)
{
    o->t++;
    float bc1 = 1.0f - powf(o->cfg.beta1, (float)o->t);
    float bc2 = 1.0f - powf(o->cfg.beta2, (float)o->t);
    for (size_t r = 0; r < n_touched; r++) {
        size_t lo = (size_t)touched[r] * o->row_dim;
        update_range(o, param, grad, lo, lo + o->row_dim, lr, bc1, bc2);
    }
    update_range(o, param, grad, o->rows * o->row_dim, o->n, lr, bc1, bc2);
}

double dp_grad_clip(float *grad, const dp_adamw *o, const uint32_t *touched, size_t n_touched, float max_norm)
{
    size_t dense = o->rows * o->row_dim;
    double ss = 0.0;
    for (size_t r = 0; r < n_touched; r++)
        for (size_t k = 0; k < o->row_dim; k++) {
            double g = (double)grad[(size_t)touched[r] * o->row_dim + k];
            ss += g * g;
        }
    for (size_t i = dense; i < o->n; i++)
        ss += (double)grad[i] * (double)grad[i];
    double norm = sqrt(ss);
    if (max_norm > 0.0f && norm > (double)max_norm) {
        float f = (float)((double)max_norm / norm);
        for (size_t r = 0; r < n_touched; r++)
            for (size_t k = 0; k < o->row_dim; k++)
                grad[(size_t)touched[r] * o->row_dim + k] *= f;
        for (size_t i = dense; i < o->n; i++)
            grad[i] *= f;
    }
    return norm;
}

float dp_lr_at(const dp_lr_schedule *s, uint64_t step)
{
    if (step < s->warmup)
        return s->peak * (float)(step + 1) / (float)s->warmup;
    if (s->decay == DP_DECAY_NONE || s->total <= s->warmup)
        return s->peak;
    double p = (double)(step - s->warmup) / (double)(s->total - s->warmup);
    if (p > 1.0)
        p = 1.0;
    double f = (double)s->final_frac;
    double k = s->decay == DP_DECAY_LINEAR ? 1.0 - p : 0.5 * (1.0 + cos(M_PI * p));
    return (float)((double)s->peak * (f + (1.0 - f) * k));
}
