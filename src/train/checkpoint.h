/*
 * Training checkpoints: everything a run needs to continue exactly (the layout is in
 * train/trainer.h). Written through core/atomic_file.h, so a kill mid-write leaves the
 * previous checkpoint; read back only after the CRC and every size check out.
 */
#ifndef DP_TRAIN_CHECKPOINT_H
#define DP_TRAIN_CHECKPOINT_H

#include <stdint.h>

#include "doppel.h"
#include "model/model.h"
#include "train/optim.h"
#include "train/sampler.h"

/* The pieces of a trainer a checkpoint saves, by reference. */
typedef struct dp_ckpt_view {
    uint64_t step, seed, batch;
    double curriculum;
    uint64_t steps; /* of the whole run (the learning-rate schedule and curriculum ramp follow
                     * it); dp_ckpt_read sets it to the saved run's, which may differ */
    dp_sampler_state *sampler;
    dp_model *model;
    dp_adamw *opt;
} dp_ckpt_view;

int dp_ckpt_write(const char *path, const dp_ckpt_view *v, doppel_diag *diag);

/*
 * Reads path into v: step, sampler state, model weights and optimizer moments. The
 * seed, batch, curriculum and model shape in the file must equal v's (else
 * DOPPEL_ERR_MODEL_MISMATCH): a run may be resumed with another length, so v->steps
 * comes back as the saved run's for the caller to compare; a checkpoint of an older layout ("DPCKPT1": no curriculum,
 * prose copies fixed for the run; "DPCKPT2": no total steps) is refused with
 * DOPPEL_ERR_MODEL_VERSION. Nothing in v
 * changes unless the whole file is good.
 */
int dp_ckpt_read(const char *path, dp_ckpt_view *v, doppel_diag *diag);

#endif
