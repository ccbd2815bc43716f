/*
 * The training loop. Each step:
 *   pick a source (loss mixture) → draw `batch` pairs from it (balanced sampler) →
 *   gather the cached bucket ids of both sides (and the negatives of triplets) as ONE
 *   batch, since the two towers share their weights → forward → loss → dout → backward
 *   → clip → AdamW (lazy sparse embedding rows).
 *
 * Sources whose loss mines negatives in the batch (in-batch negatives, triplet loss on
 * pairs) are drawn positives only. Their batches follow a curriculum from easy to hard
 * negatives when cfg.curriculum > 0: at step s a batch is a hard one (train/sampler.h: a
 * window of neighbouring, same-topic pairs) with probability
 *   p(s) = DP_CURRICULUM_PMAX * min(1, s / (curriculum * steps)),
 * so the first steps see random batches and the hard share grows to PMAX.
 *
 * Prose and brown sources get freshly obfuscated copies (train/augment.h dp_prose_copy)
 * whenever the sampler starts a new pass over them: the copies' ids are recomputed then,
 * before the step's batch is gathered.
 *
 * Parallelism: the sequences of a step are always split into two fixed halves ("shards"),
 * each with its own workspace and gradient block; the gradients are reduced in a fixed
 * order (shard 0 + shard 1). With threads = 2 the shards run on two threads, with 1 one
 * after the other — the same arithmetic, so the result does not even depend on the
 * thread count. Given the seed, a run is bit-for-bit reproducible.
 *
 * Checkpoints (written through core/atomic_file.h) hold the model, the optimizer's
 * moments and step count, the sampler's RNG and counters and the step: resuming from one
 * continues the run exactly as if it had not stopped. Layout (little-endian):
 *   char[8] "DPCKPT2\0" | u64 step | u64 seed | u64 batch | f64 curriculum | sampler state
 *   (u64s: rng[4], pass[16][2], pos[16][2]) | u64 adam t | u64 model image size | model file image
 *   (model/modelfile.h, fp32) | u64 n | m[n] f32 | v[n] f32 | u32 CRC-32C of all before.
 */
#ifndef DP_TRAIN_TRAINER_H
#define DP_TRAIN_TRAINER_H

#include <signal.h>
#include <stdint.h>

#include "doppel.h"
#include "model/model.h"
#include "train/augment.h"
#include "train/dataset.h"
#include "train/evaluate.h"
#include "train/loss.h"
#include "train/optim.h"

typedef struct dp_train_config {
    int batch;                   /* pairs per step, >= 2 */
    uint64_t steps;              /* total steps of the run */
    dp_lr_schedule lr;           /* lr.total is set to steps when 0 */
    dp_adamw_config adam;
    float clip;                  /* max global gradient norm; 0 = none */
    uint64_t seed;               /* sampling order */
    int threads;                 /* 1 or 2 */
    int max_tokens;              /* tokens kept per text */
    uint64_t report_every;       /* steps between progress reports */
    uint64_t eval_every;         /* steps between dev evaluations; 0 = only at the end */
    double checkpoint_seconds;   /* 0 = only on stop and at the end */
    const char *checkpoint_path; /* NULL = no checkpoints */
    const dp_dataset *dev_binary; /* 0/1-labelled dev pairs (e.g. PAWS) evaluated with the
                                     graded dev set: ROC-AUC and best accuracy; may be NULL */
    double curriculum;           /* share of the steps over which hard batches ramp up; 0 = none */
    const dp_wordnet *wordnet;   /* synonyms of the prose copies of later passes; may be NULL */
    const dp_augment_config *augment; /* edits of those copies; NULL = the default */
} dp_train_config;

#define DP_CURRICULUM_PMAX 0.5

/* p(s) above: the probability that step s (0-based) of a mining source is a hard batch. */
double dp_train_hard_p(const dp_train_config *c, uint64_t step);

/* batch 64, lr 2e-3 with 5% warm-up and linear decay to 0, AdamW defaults, clip 1,
 * seed 1, 1 thread, DP_ENCODER_MAX_TOKENS tokens (what inference keeps), report every 10
 * steps, no checkpoints. */
void dp_train_config_default(dp_train_config *c, uint64_t steps);

typedef struct dp_train_progress {
    uint64_t step, steps;  /* steps done, total */
    float loss;            /* mean loss of the steps since the last report */
    float lr;
    double pairs_per_sec;  /* since the start of this run (or resume) */
    double elapsed;        /* seconds since the start of this run */
    double eta;            /* seconds left at this run's pace */
    double dev_spearman;   /* NAN unless a dev evaluation just ran */
    double dev_auc, dev_accuracy; /* of cfg.dev_binary; NAN unless it was just evaluated */
    int checkpointed;      /* a checkpoint was just written */
    uint64_t hard_batches; /* curriculum batches since the last report */
    double hard_p;         /* the curriculum's p at this step */
} dp_train_progress;

typedef void (*dp_train_progress_fn)(void *ctx, const dp_train_progress *p);

typedef struct dp_trainer dp_trainer;

/*
 * A trainer of m (updated in place) on the sources of `train`; mix has one entry per
 * source (index = source). dev (graded pairs, may be NULL) is evaluated by Spearman of
 * the cosine. The datasets and m must outlive the trainer. Computes every text's ids.
 * m must have fp32 parameters: one read with DP_MODEL_KEEP_INT8 gives DOPPEL_ERR_INVALID.
 */
int dp_trainer_create(dp_trainer **out, dp_model *m, const dp_dataset *train, const dp_loss_mix *mix,
                      const dp_dataset *dev, const dp_train_config *cfg, doppel_diag *diag);
void dp_trainer_free(dp_trainer *t);

/* Restores a checkpoint written by a trainer with the same data, seed, batch, curriculum
 * and model shape (DOPPEL_ERR_MODEL_MISMATCH otherwise; DOPPEL_ERR_MODEL_VERSION for a
 * checkpoint of an older layout). */
int dp_trainer_resume(dp_trainer *t, const char *path, doppel_diag *diag);
int dp_trainer_checkpoint(dp_trainer *t, const char *path, doppel_diag *diag);

/* One step; *loss receives its loss. */
int dp_trainer_step(dp_trainer *t, float *loss, doppel_diag *diag);

/*
 * Steps until cfg->steps, reporting through fn (may be NULL), evaluating dev and writing
 * checkpoints as configured. When *stop becomes non-zero (stop may be NULL) it writes a
 * checkpoint (if configured) and returns DOPPEL_ERR_INTERRUPTED.
 */
int dp_trainer_run(dp_trainer *t, volatile sig_atomic_t *stop, dp_train_progress_fn fn, void *ctx,
                   doppel_diag *diag);

uint64_t dp_trainer_step_count(const dp_trainer *t);

/* After dp_trainer_resume: the total steps of the run the checkpoint came from (the
 * learning-rate schedule and curriculum now follow this trainer's instead). */
uint64_t dp_trainer_saved_steps(const dp_trainer *t);

/* Spearman of the cosine on the dev pairs now (NAN without dev pairs). */
int dp_trainer_dev_spearman(dp_trainer *t, double *out, doppel_diag *diag);

/* The metrics of the cosine on cfg.dev_binary now (r->n = 0 without those pairs). */
int dp_trainer_dev_binary(dp_trainer *t, dp_eval_result *r, doppel_diag *diag);

#endif
