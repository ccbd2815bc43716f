/*
 * A batch of token sequences and its packed layout.
 *
 * Input (CSR): sequence b has seq_len[b] tokens; tokens are numbered 0..T-1 in sequence
 * order (those of b follow those of b-1); token t is the bag of bucket ids
 * ids[tok_off[t] .. tok_off[t+1]). A token with an empty bag has the zero vector; a
 * sequence of length 0 has a zero pooled vector (its output is then normalize(proj_b)).
 *
 * Packed layout (PyTorch's PackedSequence): sequences ranked by length, longest first
 * (ties by batch index), and every per-token tensor is stored time-major: the row of step
 * t of the rank-j sequence is off[t] + j. The sequences still running at step t are
 * ranks 0..bs[t]-1, a prefix, so one recurrent step is one GEMM over contiguous rows.
 */
#ifndef DP_MODEL_BATCH_H
#define DP_MODEL_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "core/grow.h"

typedef struct dp_batch {
    int B;                 /* sequences in the batch */
    const int *seq_len;    /* [B] tokens per sequence, >= 0 */
    const int *tok_off;    /* [T+1] CSR offsets into ids, tok_off[0] == 0 */
    const uint32_t *ids;   /* [tok_off[T]] bucket ids, each < buckets */
} dp_batch;

/* The packed layout of one batch; arrays grow only (reused across batches). */
typedef struct dp_pack {
    int B, T, maxlen;
    int *rank;      /* [B] rank of sequence b */
    int *seq;       /* [B] sequence of rank j */
    int *tok0;      /* [B] first token of sequence b */
    int *bs;        /* [maxlen] sequences running at step t */
    int *off;       /* [maxlen+1] first packed row of step t */
    int *tok_row;   /* [T] packed row of token t */
    int *ints;      /* storage of the arrays above */
    size_t cap;
} dp_pack;

/* Validates the batch (lengths, offsets, ids < buckets) and lays it out into pk.
 * DOPPEL_ERR_INVALID on a malformed batch, DOPPEL_ERR_NOMEM. */
int dp_pack_plan(dp_pack *pk, const dp_batch *batch, uint32_t buckets);
void dp_pack_release(dp_pack *pk);

/* The distinct ids of the batch, ascending, into *out (grow-only, capacity *cap);
 * returns the count or (size_t)-1 when out of memory. */
size_t dp_batch_unique_ids(const dp_batch *batch, const dp_pack *pk, uint32_t **out, size_t *cap);


#endif
