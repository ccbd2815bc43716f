/*
 * Deterministic drawing of training pairs from one source of a dataset, with control of
 * the positive/negative balance.
 *
 * Balance: a binary source's pairs form two pools, similar (normalised label >= 0.5) and
 * dissimilar. Each draw picks the similar pool with probability pos_frac, so 0.5 gives
 * balanced batches from a 1:3 set, 1 gives only positives (what in-batch negatives
 * want); pos_frac < 0 keeps the data's own proportion. Graded sources have one pool.
 *
 * Order: a pool is walked through a pseudo-random permutation, a fresh one per pass, so a
 * batch never repeats a pair while the pool is larger than the batch. Each permutation is
 * a function of (seed, source, pool, pass), so the state to checkpoint is the RNG and two
 * counters per pool (dp_sampler_state).
 *
 * Hard batches (the training curriculum): neighbours in a source's file order are on one
 * topic (the verses of a chapter, the passages of a Brown file), so a window of
 * consecutive pairs makes a batch whose in-batch negatives are hard to tell apart, where
 * a random draw gives unrelated, easy ones. A window takes its start from the RNG and
 * leaves the permutation where it was.
 */
#ifndef DP_TRAIN_SAMPLER_H
#define DP_TRAIN_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "core/rng.h"
#include "train/dataset.h"

typedef struct dp_pool {
    size_t *members; /* pair indices of the pool, in dataset order */
    size_t *perm;    /* the current pass's order */
    size_t n;
} dp_pool;

typedef struct dp_sampler_state {
    dp_rng rng;                           /* class choices */
    uint64_t pass[DP_DATA_MAX_SOURCES][2]; /* permutation number of each pool */
    uint64_t pos[DP_DATA_MAX_SOURCES][2];  /* next place in that permutation */
} dp_sampler_state;

typedef struct dp_sampler {
    const dp_dataset *ds;
    uint64_t seed;
    float pos_frac[DP_DATA_MAX_SOURCES];
    dp_pool pool[DP_DATA_MAX_SOURCES][2]; /* [source][0 dissimilar or all, 1 similar] */
    dp_sampler_state st;
} dp_sampler;

/* Pools of every source of ds (which must outlive the sampler); pos_frac -1 for all. */
int dp_sampler_init(dp_sampler *s, const dp_dataset *ds, uint64_t seed);
void dp_sampler_free(dp_sampler *s);

/* Index (into ds->pairs) of the next pair of this source, which must have pairs. */
size_t dp_sampler_draw(dp_sampler *s, int source);

/*
 * The next batch of n pairs of this source into out: with probability p_hard (decided by
 * an RNG draw made only when p_hard > 0) a hard batch, n consecutive members in dataset
 * order (wrapping) of the similar pool (the other if it is empty: graded sources), from a
 * random start; else n draws.
 * Returns 1 for a hard batch.
 */
int dp_sampler_batch(dp_sampler *s, int source, double p_hard, size_t *out, int n);

/* How many times the draws have started a new pass over the source's similar pool (the
 * only pool of a source of positives, such as prose). */
uint64_t dp_sampler_pass(const dp_sampler *s, int source);

/* Restores a state taken from s->st of a sampler over the same dataset and seed. */
void dp_sampler_restore(dp_sampler *s, const dp_sampler_state *st);

#endif
