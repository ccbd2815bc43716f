/*
 * Texts to vectors: decode (UTF-8, invalid bytes become U+FFFD) → tokens → bucket ids per
 * token (text/hashvocab.h) → batches of similar length → dp_net_forward.
 *
 * A text longer than DP_ENCODER_MAX_TOKENS tokens is cut to its first DP_ENCODER_MAX_TOKENS
 * (the encoder is for sentences; split documents first). A text with no tokens gets
 * normalize(proj_b), the network's output for an empty sequence.
 *
 * Threads: one call splits its batches over up to `threads` workers (the caller plus
 * threads-1 pthreads), each with its own workspace from a pool, so any number of callers
 * may encode concurrently. BLAS should run single-threaded (the workers are the
 * parallelism); the CLI sets that.
 *
 * Determinism: a text's vector depends only on the text and the model, not on the
 * number of threads nor on what else is in the call (see encoder.c for how).
 */
#ifndef DP_MODEL_ENCODER_H
#define DP_MODEL_ENCODER_H

#include <stddef.h>

#include "doppel.h"
#include "model/model.h"
#include "model/net.h"
#include "text/sentences.h"
#include "text/tokenize.h"

/* One cap for both sides: a sentence the sweep splits off is never cut again here. */
#define DP_ENCODER_MAX_TOKENS DP_SENTENCE_MAX_TOKENS
#define DP_ENCODER_MAX_THREADS 64

typedef struct dp_encoder dp_encoder;

/* m is borrowed and must outlive the encoder; its table may be int8 (read with
 * DP_MODEL_KEEP_INT8, a quarter of the memory, the same vectors). threads:
 * 1..DP_ENCODER_MAX_THREADS. */
int dp_encoder_create(dp_encoder **out, const dp_model *m, int threads, doppel_diag *diag);
void dp_encoder_free(dp_encoder *e);

/* The arithmetic of the encoder's products (net.h): fp32, the reference, until set.
 * Call before encoding (not while another thread encodes). DOPPEL_ERR_INVALID for an
 * unknown value, DOPPEL_ERR_NOMEM. */
int dp_encoder_set_precision(dp_encoder *e, dp_precision p, doppel_diag *diag);
/* fp32 or int8: what the encoder runs (auto resolved). */
dp_precision dp_encoder_precision(const dp_encoder *e);

/* out [n][out_dim]: the unit vector of texts[i] (lens[i] bytes) in row i. Safe to call
 * from several threads at once on one encoder. */
int dp_encoder_encode(dp_encoder *e, const char *const *texts, const size_t *lens, size_t n, float *out,
                      doppel_diag *diag);

/* The same vectors from tokens already made by a tokenizer with this encoder's options
 * (dp_encoder_tokenizer_opts): text i is toks' tokens [first[i], first[i] + count[i]),
 * its first DP_ENCODER_MAX_TOKENS kept. Tokenizing the text of those tokens gives the
 * same tokens, so a text gets the same bits either way; the sweep uses this to decode
 * and tokenize a document once. */
int dp_encoder_encode_tokens(dp_encoder *e, const dp_tokens *toks, const size_t *first, const size_t *count,
                             size_t n, float *out, doppel_diag *diag);
/* The same on at most `threads` workers (1: the calling thread alone), for callers that
 * run workers of their own; the same bits whatever `threads`. */
int dp_encoder_encode_tokens_on(dp_encoder *e, int threads, const dp_tokens *toks, const size_t *first,
                                const size_t *count, size_t n, float *out, doppel_diag *diag);

/* The tokenizer options the encoder's model was trained with (its accent rule). */
dp_tokenizer_opts dp_encoder_tokenizer_opts(const dp_encoder *e);

/* Bucket-id CSR of one text as the encoder builds it: *ntok tokens, token t's ids are
 * ids[tok_off[t] .. tok_off[t+1]). Arrays are malloc'd; for tests and tools. */
int dp_encoder_text_ids(const dp_encoder *e, const char *text, size_t len, int *ntok, int **tok_off,
                        uint32_t **ids, doppel_diag *diag);

/* The dp_model behind a public doppel_model (for other stages' public wrappers). */
const dp_model *dp_model_of(const doppel_model *m);

#endif
