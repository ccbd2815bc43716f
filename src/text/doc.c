/* The public face of the text stage: doppel_tokenizer and doppel_doc over dp_*. */
#include <stdint.h>
#include <stdlib.h>

#include "core/diag.h"
#include "doppel.h"
#include "text/decode.h"
#include "text/sentences.h"
#include "text/tokenize.h"

_Static_assert((int)DP_ENC_LATIN1 == (int)DOPPEL_ENC_LATIN1 && (int)DP_ENC_CP1252 == (int)DOPPEL_ENC_CP1252 &&
                   (int)DP_ENC_UTF8 == (int)DOPPEL_ENC_UTF8 && (int)DP_ENC_AUTO == (int)DOPPEL_ENC_AUTO,
               "public and internal encodings agree");
_Static_assert((int)DP_TOK_WORD == (int)DOPPEL_TOK_WORD && (int)DP_TOK_CJK == (int)DOPPEL_TOK_CJK,
               "public and internal token kinds agree");

struct doppel_tokenizer {
    dp_tokenizer *tk;
};

struct doppel_doc {
    dp_text text;
    dp_tokens toks;
    dp_sentences sents;
    doppel_token *ptoks;
    doppel_sentence *psents;
};

int doppel_tokenizer_create(doppel_tokenizer **out, int strip_accents, doppel_diag *diag)
{
    if (!out)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    *out = NULL;
    doppel_tokenizer *t = malloc(sizeof *t);
    if (!t)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    dp_tokenizer_opts opts = {.strip_accents = strip_accents != 0};
    int rc = dp_tokenizer_create(&t->tk, &opts, diag);
    if (rc) {
        free(t);
        return rc;
    }
    *out = t;
    return DOPPEL_OK;
}

void doppel_tokenizer_free(doppel_tokenizer *tk)
{
    if (!tk)
        return;
    dp_tokenizer_free(tk->tk);
    free(tk);
}

/* Copies the internal arrays into the public shapes once everything is computed. */
static int publish(doppel_doc *d)
{
    d->ptoks = malloc((d->toks.n ? d->toks.n : 1) * sizeof *d->ptoks);
    d->psents = malloc((d->sents.n ? d->sents.n : 1) * sizeof *d->psents);
    if (!d->ptoks || !d->psents)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < d->toks.n; i++) {
        const dp_token *t = &d->toks.v[i];
        d->ptoks[i] = (doppel_token){t->start, t->end, t->dstart, t->dend, dp_token_norm(&d->toks, i),
                                     t->norm_len, t->kind};
    }
    for (size_t i = 0; i < d->sents.n; i++) {
        const dp_sentence *s = &d->sents.v[i];
        d->psents[i] = (doppel_sentence){s->start, s->end, s->dstart, s->dend, s->tok_begin, s->tok_end};
    }
    return DOPPEL_OK;
}

int doppel_doc_create(doppel_doc **out, const doppel_tokenizer *tk, const char *bytes, size_t len,
                      doppel_encoding enc, doppel_diag *diag)
{
    if (!out || !tk || (!bytes && len))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    *out = NULL;
    doppel_doc *d = calloc(1, sizeof *d);
    if (!d)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int rc = dp_text_decode(&d->text, bytes, len, (dp_encoding)enc, diag);
    if (rc) {
        free(d);
        return rc;
    }
    rc = dp_tokenize(tk->tk, &d->text, 0, d->text.len, &d->toks);
    if (rc == DOPPEL_OK)
        rc = dp_split_sentences(&d->text, &d->toks, &d->sents);
    if (rc == DOPPEL_OK)
        rc = publish(d);
    if (rc) {
        doppel_doc_free(d);
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    }
    *out = d;
    return DOPPEL_OK;
}

void doppel_doc_free(doppel_doc *doc)
{
    if (!doc)
        return;
    dp_text_free(&doc->text);
    dp_tokens_free(&doc->toks);
    dp_sentences_free(&doc->sents);
    free(doc->ptoks);
    free(doc->psents);
    free(doc);
}

const char *doppel_doc_text(const doppel_doc *doc, size_t *len)
{
    if (len)
        *len = doc->text.len;
    return doc->text.utf8;
}

size_t doppel_doc_tokens(const doppel_doc *doc, const doppel_token **tokens)
{
    *tokens = doc->ptoks;
    return doc->toks.n;
}

size_t doppel_doc_sentences(const doppel_doc *doc, const doppel_sentence **sentences)
{
    *sentences = doc->psents;
    return doc->sents.n;
}

void doppel_doc_decode_info(const doppel_doc *doc, doppel_decode_info *info)
{
    info->used = (doppel_encoding)doc->text.used;
    info->utf16 = doc->text.utf16;
    info->invalid_count = doc->text.invalid_count;
    info->first_invalid = doc->text.invalid_count ? doc->text.first_invalid : UINT64_MAX;
}
