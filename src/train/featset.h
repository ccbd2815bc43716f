/*
 * The bucket ids of every text of a set of pairs (a source), computed before training through the
 * encoder's own path (model/encoder.h dp_encoder_text_ids: decoding, tokens, hashed word +
 * n-gram ids), so a trained model sees at inference exactly the ids it was trained on.
 * A text keeps at most max_tokens tokens, its first (the encoder keeps
 * DP_ENCODER_MAX_TOKENS).
 *
 * Text k of pairs[i] is side s (0 a, 1 b, 2 c) at index 3*i + s; a missing side (c of a
 * plain pair) has no tokens.
 */
#ifndef DP_TRAIN_FEATSET_H
#define DP_TRAIN_FEATSET_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "model/batch.h"
#include "model/model.h"
#include "train/dataset.h"

typedef struct dp_featset {
    size_t ntext;
    size_t *tok_first; /* [ntext+1] first token of each text */
    size_t *id_off;    /* [ntok+1] first id of each token */
    uint32_t *ids;     /* [id_off[ntok]] */
} dp_featset;

int dp_featset_build(dp_featset *fs, const dp_pair *pairs, size_t n, const dp_model *m, int max_tokens,
                     doppel_diag *diag);
void dp_featset_free(dp_featset *fs);

/* Grow-only arrays behind a dp_batch. */
typedef struct dp_batch_buf {
    dp_batch batch;
    int *seq_len, *tok_off;
    uint32_t *ids;
    size_t cap_seq, cap_tok, cap_ids;
} dp_batch_buf;

/* bb->batch = the texts text[0..n) in this order. 0 or DOPPEL_ERR_NOMEM / _TOO_LARGE. */
int dp_batch_gather(dp_batch_buf *bb, const dp_featset *fs, const size_t *text, int n);
void dp_batch_buf_free(dp_batch_buf *bb);

#endif
