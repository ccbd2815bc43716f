/*
 * AdamW (Loshchilov & Hutter 2019) over the model's whole parameter block, one loop, with
 * lazy sparse updates for the embedding rows, global gradient-norm clipping and a
 * warm-up + decay learning-rate schedule. Everything is deterministic: plain loops in a
 * fixed order, no threads.
 *
 * The block starts with `rows` embedding rows of `row_dim` floats (model.h layout); the
 * rest is dense. A step updates every dense float, but only the embedding rows the batch
 * touched: their moments and weights move, all other rows stay bit-identical — their
 * moments do not decay and no weight decay is applied ("lazy Adam", as TensorFlow's
 * LazyAdamOptimizer). Bias correction uses the global step count. The gradient of an
 * untouched row is never read, so backward need not clear the whole table.
 */
#ifndef DP_TRAIN_OPTIM_H
#define DP_TRAIN_OPTIM_H

#include <stddef.h>
#include <stdint.h>

typedef struct dp_adamw_config {
    float beta1, beta2, eps;
    float weight_decay; /* decoupled: w -= lr * wd * w */
} dp_adamw_config;

/* beta1 0.9, beta2 0.999, eps 1e-8, weight decay 0.01 */
void dp_adamw_config_default(dp_adamw_config *c);

typedef struct dp_adamw {
    dp_adamw_config cfg;
    size_t n;       /* floats in the block */
    size_t rows;    /* sparse embedding rows at the start of the block */
    size_t row_dim; /* floats per row */
    float *m, *v;   /* [n] first and second moments */
    uint64_t t;     /* steps taken */
} dp_adamw;

/* Zeroed moments for a block of n floats whose first rows*row_dim are embedding rows. */
int dp_adamw_init(dp_adamw *o, const dp_adamw_config *cfg, size_t n, size_t rows, size_t row_dim);
void dp_adamw_free(dp_adamw *o);

/*
 * One step at learning rate lr. param, grad: [n]; touched: the distinct embedding rows
 * the batch used (any order). Only the dense part and the touched rows of grad are read.
 */
void dp_adamw_step(dp_adamw *o, float *param, const float *grad, const uint32_t *touched, size_t n_touched,
                   float lr);

/*
 * Global L2 norm of the gradient (dense part + touched rows); when it exceeds max_norm
 * (> 0) those parts are scaled by max_norm / norm. Returns the norm before clipping.
 */
double dp_grad_clip(float *grad, const dp_adamw *o, const uint32_t *touched, size_t n_touched, float max_norm);

typedef enum {
    DP_DECAY_NONE = 0,
    DP_DECAY_LINEAR = 1,
    DP_DECAY_COSINE = 2,
} dp_decay;

typedef struct dp_lr_schedule {
    float peak;         /* learning rate after warm-up */
    uint64_t warmup;    /* steps of linear warm-up from peak/warmup to peak */
    uint64_t total;     /* the step at which decay reaches final_frac * peak */
    dp_decay decay;
    float final_frac;   /* in [0, 1] */
} dp_lr_schedule;

/* The learning rate of step `step` (0-based). */
float dp_lr_at(const dp_lr_schedule *s, uint64_t step);

#endif
