#include "sweep/words.h"

#include <stdlib.h>
#include <string.h>

#include "text/hashvocab.h"

int dp_words_from_tokens(dp_words *w, const dp_tokens *toks, uint64_t seed)
{
    memset(w, 0, sizeof *w);
    size_t cap = toks->n ? toks->n : 1;
    w->hash = malloc(cap * sizeof *w->hash);
    w->start = malloc(cap * sizeof *w->start);
    w->end = malloc(cap * sizeof *w->end);
    if (!w->hash || !w->start || !w->end) {
        dp_words_free(w);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < toks->n; i++) {
        const dp_token *t = &toks->v[i];
        if (t->kind == DP_TOK_PUNCT)
            continue;
        w->hash[w->n] = dp_hash64(dp_token_norm(toks, i), t->norm_len, seed);
        w->start[w->n] = t->start;
        w->end[w->n] = t->end;
        w->n++;
    }
    return DOPPEL_OK;
}

void dp_words_free(dp_words *w)
{
    free(w->hash);
    free(w->start);
    free(w->end);
    memset(w, 0, sizeof *w);
}
