/*
 * Target (b): the sentence splitter over a whole document (doppel_doc_create, AUTO
 * decoding). Checked: sentences partition the tokens in order, none holds more than
 * DP_SENTENCE_MAX_TOKENS, and each one's spans run from its first token's start to
 * its last token's end.
 */
#include "doppel.h"
#include "fuzz_check.h"
#include "text/sentences.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static doppel_tokenizer *tk;
    if (!tk)
        FUZZ_CHECK(doppel_tokenizer_create(&tk, 0, NULL) == DOPPEL_OK);
    doppel_doc *doc;
    FUZZ_CHECK(doppel_doc_create(&doc, tk, (const char *)data, size, DOPPEL_ENC_AUTO, NULL) == DOPPEL_OK);
    const doppel_token *tok;
    const doppel_sentence *sen;
    size_t nt = doppel_doc_tokens(doc, &tok), ns = doppel_doc_sentences(doc, &sen), next = 0;
    for (size_t i = 0; i < ns; i++) {
        const doppel_sentence *s = &sen[i];
        FUZZ_CHECK(s->tok_begin == next && s->tok_begin < s->tok_end && s->tok_end <= nt);
        FUZZ_CHECK(s->tok_end - s->tok_begin <= DP_SENTENCE_MAX_TOKENS);
        FUZZ_CHECK(s->start == tok[s->tok_begin].start && s->end == tok[s->tok_end - 1].end);
        FUZZ_CHECK(s->dstart == tok[s->tok_begin].dstart && s->dend == tok[s->tok_end - 1].dend);
        next = s->tok_end;
    }
    FUZZ_CHECK(next == nt);
    doppel_doc_free(doc);
    return 0;
}
