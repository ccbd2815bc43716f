/*
 * The training losses behind one call, and the mixture of data sources each with its
 * own loss. Every loss sees a batch of B pairs of UNIT vectors u_i, v_i (the two sides),
 * optional explicit negatives c_i (triplet data), and labels in [0, 1] (1 = similar; the
 * trainer divides graded scores by their maximum, e.g. STS 0-5 by 5).
 */
#ifndef DP_TRAIN_LOSS_H
#define DP_TRAIN_LOSS_H

#include <stddef.h>
#include <stdint.h>

#include "core/rng.h"
#include "train/loss_triplet.h"

typedef enum {
    DP_LOSS_CONTRASTIVE = 1, /* margin */
    DP_LOSS_TRIPLET = 2,     /* margin, mining (when no explicit negatives) */
    DP_LOSS_INBATCH = 3,     /* scale = 1/temperature, symmetric; uses only similar pairs */
    DP_LOSS_COSENT = 4,      /* scale = λ */
    DP_LOSS_COSMSE = 5,      /* no parameter */
    DP_LOSS_MULTIPOS = 6,    /* scale, symmetric; in-batch over groups with hard negatives */
} dp_loss_kind;

typedef struct dp_loss_spec {
    dp_loss_kind kind;
    float margin;
    float scale;
    dp_mining mining;
    int symmetric;
    float apart_margin, apart_weight; /* inbatch, multipos: train/loss_apart.h's term (weight 0: none) */
} dp_loss_spec;

/* The defaults of a kind: contrastive m 0.5; triplet m 0.5, semi-hard; in-batch scale 20,
 * symmetric; CoSENT λ 20; no apart term (its margin 0.3). */
void dp_loss_spec_default(dp_loss_spec *s, dp_loss_kind kind);

/* "contrastive", "triplet", "inbatch", "cosent", "cosmse", "multipos" -> kind; 0 if unknown. */
dp_loss_kind dp_loss_kind_parse(const char *name);
const char *dp_loss_kind_name(dp_loss_kind kind);

/* Scratch of a loss for batches up to B (allocated once, reused every step). */
typedef struct dp_loss_ws {
    float *f; /* floats: in-batch [2B*B], multipos [4B*B], CoSENT [2B], apart [2B*B] */
    int *neg; /* [B] mined negatives */
    int cap;
} dp_loss_ws;

int dp_loss_ws_alloc(dp_loss_ws *ws, int B);
void dp_loss_ws_free(dp_loss_ws *ws);

/*
 * Loss of the batch. u, v: [B][D]; c: [B][D] explicit negatives or NULL; label: [B];
 * group: [B] paraphrase groups of the rows (multipos only; NULL: each row its own).
 * When du is not NULL, also writes du, dv: [B][D] (and dc: [B][D] when c is given).
 * B <= ws->cap.
 */
float dp_loss_eval(const dp_loss_spec *s, dp_loss_ws *ws, const float *u, const float *v, const float *c,
                   const float *label, const uint32_t *group, int B, int D, float *du, float *dv, float *dc);

/*
 * A mixture of data sources: each batch is drawn from one source, picked with
 * probability weight / Σ weight, and trained with that source's loss. pos_frac is the
 * source's class balance (train/sampler.h; < 0 keeps the data's proportion).
 */
#define DP_LOSS_MAX_SOURCES 16

typedef struct dp_loss_mix {
    int n;
    float weight[DP_LOSS_MAX_SOURCES];
    dp_loss_spec loss[DP_LOSS_MAX_SOURCES];
    float pos_frac[DP_LOSS_MAX_SOURCES];
} dp_loss_mix;

/* The source of the next batch (n >= 1, weights >= 0 with a positive sum). */
int dp_loss_mix_pick(const dp_loss_mix *mix, dp_rng *rng);

#endif
