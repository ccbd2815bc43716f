#include "train/featset.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "text/decode.h"
#include "text/hashvocab.h"
#include "text/tokenize.h"

/* Appends the tokens of one text to fs (arrays grown through dp_grow). */
typedef struct builder {
    dp_featset *fs;
    size_t ntok, cap_off, cap_ids;
} builder;

static int add_text(builder *b, const dp_tokenizer *tk, const dp_hashvocab *hv, const dp_str *s, int max_tokens,
                    dp_tokens *toks, doppel_diag *diag)
{
    dp_featset *fs = b->fs;
    if (!s->s)
        return DOPPEL_OK;
    dp_text text;
    int rc = dp_text_decode(&text, s->s, s->len, DP_ENC_UTF8, diag);
    if (rc)
        return rc;
    dp_tokens_clear(toks);
    rc = dp_tokenize(tk, &text, 0, text.len, toks);
    size_t n = toks->n < (size_t)max_tokens ? toks->n : (size_t)max_tokens;
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t ids[DP_HASHVOCAB_MAX_IDS];
        size_t k = dp_hashvocab_ids(hv, dp_token_norm(toks, i), toks->v[i].norm_len, ids);
        size_t used = fs->id_off[b->ntok];
        if (dp_grow((void **)&fs->id_off, &b->cap_off, b->ntok + 2, sizeof *fs->id_off) ||
            dp_grow((void **)&fs->ids, &b->cap_ids, used + k, sizeof *fs->ids)) {
            rc = DOPPEL_ERR_NOMEM;
            break;
        }
        memcpy(fs->ids + used, ids, k * sizeof *ids);
        fs->id_off[++b->ntok] = used + k;
    }
    dp_text_free(&text);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

int dp_featset_build(dp_featset *fs, const dp_dataset *ds, const dp_model_config *cfg, int max_tokens,
                     doppel_diag *diag)
{
    memset(fs, 0, sizeof *fs);
    fs->ntext = 3 * ds->n;
    builder b = {fs, 0, 0, 0};
    fs->tok_first = malloc((fs->ntext + 1) * sizeof *fs->tok_first);
    if (!fs->tok_first || dp_grow((void **)&fs->id_off, &b.cap_off, 1, sizeof *fs->id_off))
        return dp_featset_free(fs), dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    fs->id_off[0] = 0;
    dp_tokenizer *tk;
    dp_tokenizer_opts opts = {.strip_accents = (int)cfg->strip_accents};
    int rc = dp_tokenizer_create(&tk, &opts, diag);
    if (rc)
        return dp_featset_free(fs), rc;
    dp_hashvocab hv = {cfg->hash_seed, cfg->buckets, cfg->minn, cfg->maxn};
    dp_tokens toks;
    memset(&toks, 0, sizeof toks);
    for (size_t i = 0; i < ds->n && !rc; i++) {
        const dp_str *side[3] = {&ds->pairs[i].a, &ds->pairs[i].b, &ds->pairs[i].c};
        for (int s = 0; s < 3 && !rc; s++) {
            fs->tok_first[3 * i + s] = b.ntok;
            rc = add_text(&b, tk, &hv, side[s], max_tokens, &toks, diag);
        }
    }
    fs->tok_first[fs->ntext] = b.ntok;
    dp_tokens_free(&toks);
    dp_tokenizer_free(tk);
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
