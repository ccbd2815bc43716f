#include "train/featset.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "model/encoder.h"

/* Appends the tokens of one text to fs (arrays grown through dp_grow). */
typedef struct builder {
    dp_featset *fs;
    size_t ntok, cap_off, cap_ids;
} builder;

static int add_text(builder *b, const dp_encoder *enc, const dp_str *s, int max_tokens, doppel_diag *diag)
{
    dp_featset *fs = b->fs;
    if (!s->s)
        return DOPPEL_OK;
    int ntok, *tok_off;
    uint32_t *ids;
    int rc = dp_encoder_text_ids(enc, s->s, s->len, &ntok, &tok_off, &ids, diag);
    if (rc)
        return rc;
    size_t n = ntok < max_tokens ? (size_t)ntok : (size_t)max_tokens, used = fs->id_off[b->ntok];
    size_t k = (size_t)tok_off[n];
    if (dp_grow((void **)&fs->id_off, &b->cap_off, b->ntok + n + 1, sizeof *fs->id_off) ||
        dp_grow((void **)&fs->ids, &b->cap_ids, used + k + 1, sizeof *fs->ids)) {
        rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    } else {
        memcpy(fs->ids + used, ids, k * sizeof *ids);
        for (size_t t = 1; t <= n; t++)
            fs->id_off[++b->ntok] = used + (size_t)tok_off[t];
    }
    free(tok_off);
    free(ids);
    return rc;
}

int dp_featset_build(dp_featset *fs, const dp_pair *pairs, size_t n, const dp_model *m, int max_tokens,
                     doppel_diag *diag)
{
    memset(fs, 0, sizeof *fs);
    fs->ntext = 3 * n;
    builder b = {fs, 0, 0, 0};
    fs->tok_first = malloc((fs->ntext + 1) * sizeof *fs->tok_first);
    if (!fs->tok_first || dp_grow((void **)&fs->id_off, &b.cap_off, 1, sizeof *fs->id_off)) {
        dp_featset_free(fs);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    fs->id_off[0] = 0;
    dp_encoder *enc = NULL;
    int rc = dp_encoder_create(&enc, m, 1, diag);
    for (size_t i = 0; i < n && !rc; i++) {
        const dp_str *side[3] = {&pairs[i].a, &pairs[i].b, &pairs[i].c};
        for (int s = 0; s < 3 && !rc; s++) {
            fs->tok_first[3 * i + s] = b.ntok;
            rc = add_text(&b, enc, side[s], max_tokens, diag);
        }
    }
    fs->tok_first[fs->ntext] = b.ntok;
    dp_encoder_free(enc);
    if (rc)
        dp_featset_free(fs);
    return rc;
}

void dp_featset_free(dp_featset *fs)
{
    free(fs->tok_first);
    free(fs->id_off);
    free(fs->ids);
    memset(fs, 0, sizeof *fs);
}

int dp_batch_gather(dp_batch_buf *bb, const dp_featset *fs, const size_t *text, int n)
{
    size_t ntok = 0, nids = 0;
    for (int j = 0; j < n; j++) {
        size_t t0 = fs->tok_first[text[j]], t1 = fs->tok_first[text[j] + 1];
        ntok += t1 - t0;
        nids += fs->id_off[t1] - fs->id_off[t0];
    }
    if (nids > INT_MAX)
        return DOPPEL_ERR_TOO_LARGE;
    if (dp_grow((void **)&bb->seq_len, &bb->cap_seq, (size_t)n + 1, sizeof *bb->seq_len) ||
        dp_grow((void **)&bb->tok_off, &bb->cap_tok, ntok + 1, sizeof *bb->tok_off) ||
        dp_grow((void **)&bb->ids, &bb->cap_ids, nids + 1, sizeof *bb->ids))
        return DOPPEL_ERR_NOMEM;
    size_t t = 0, k = 0;
    bb->tok_off[0] = 0;
    for (int j = 0; j < n; j++) {
        size_t t0 = fs->tok_first[text[j]], t1 = fs->tok_first[text[j] + 1];
        bb->seq_len[j] = (int)(t1 - t0);
        size_t i0 = fs->id_off[t0], i1 = fs->id_off[t1];
        memcpy(bb->ids + k, fs->ids + i0, (i1 - i0) * sizeof *bb->ids);
        for (size_t u = t0; u < t1; u++)
            bb->tok_off[++t] = (int)(k + fs->id_off[u + 1] - i0);
        k += i1 - i0;
    }
    bb->batch = (dp_batch){n, bb->seq_len, bb->tok_off, bb->ids};
    return DOPPEL_OK;
}

void dp_batch_buf_free(dp_batch_buf *bb)
{
    free(bb->seq_len);
    free(bb->tok_off);
    free(bb->ids);
    memset(bb, 0, sizeof *bb);
}
