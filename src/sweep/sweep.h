/*
 * The pairwise document sweep: documents go in one at a time (each is decoded,
 * tokenized, split into sentences and encoded once), then dp_sweep_run finds the
 * candidate pairs, aligns each into passages, scores it, and hands every pair at or
 * above the threshold to a callback.
 *
 * Evidence that does not count: template text (--template; verbatim runs or
 * sentences close in meaning), passages found in more than max_docs documents,
 * quotations and a trailing references section when asked.
 *
 * A sweep is also an index (sweep/index.h): documents can be removed, one new
 * document can be queried against all others without sweeping everything, and the
 * prepared documents can be read out and put back (the index file). What a document
 * keeps depends only on itself, the templates and the model; what depends on the
 * corpus (boilerplate fingerprints) is worked out at each run or query, so running twice,
 * or after a save and load, gives the same pairs.
 */
#ifndef DP_SWEEP_SWEEP_H
#define DP_SWEEP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "model/encoder.h"
#include "sweep/allpairs.h"
#include "sweep/passages.h"
#include "sweep/result.h"

/* Default thresholds (corpora/synth/README.md): the seed-2 synthetic class set gives the
 * ranges that separate its plants from its negatives, and with a model the seed-1 corpus of
 * the PAN-style benchmark (bench/pan_gen.py) chooses inside them, with the background floor's
 * deviations, since they depend on how the model spreads unrelated sentences. With the
 * default model's sentence vectors, and with lexical evidence only (no vectors), pair scores
 * are on different scales, and a sentence pair needs another level of evidence (cosine or
 * word overlap) to count. */
#define DP_SWEEP_THRESHOLD_MODEL 0.04f
#define DP_SWEEP_THRESHOLD_LEXICAL 0.03f
#define DP_SWEEP_SENT_THRESHOLD_MODEL 0.84f
#define DP_SWEEP_BACKGROUND_Z_MODEL 2.25f
#define DP_SWEEP_SENT_THRESHOLD_LEXICAL DP_PASSAGE_SENT_THRESHOLD
/* dp_model_identity of the model the defaults above were calibrated with (the shipped
 * corpora/models/default.dpm; tests/sweep/test_defaults.c holds them together). */
#define DP_SWEEP_CALIBRATED_MODEL 0x0003f70bu

typedef struct dp_sweep_opts {
    uint32_t k;               /* shortest verbatim run, in words */
    uint32_t max_docs;        /* fingerprints in more documents than this are boilerplate */
    uint32_t min_match;       /* passages shorter than this many words are not reported */
    float threshold;          /* pair score to report (inclusive); 0 reports every compared pair;
                               * negative: the calibrated default of the evidence at hand */
    float sent_threshold;     /* sentence pair evidence: max(cosine, word overlap);
                               * negative: the calibrated default of the evidence at hand */
    float template_sim;       /* a sentence this close to a template sentence is template */
    uint32_t top_k;           /* neighbours per document when candidates are used */
    float near_sim;           /* document vectors this close make a candidate pair beside each
                               * document's top_k (0: none; a mean of sentence vectors sits
                               * close to every other for some models, so no default level) */
    uint32_t all_pairs_limit; /* corpora up to this size compare every pair when that costs
                               * little beside the candidates (sweep.c, every_pair_affordable) */
    int all_pairs;            /* compare every pair whatever the size */
    int ignore_quotes;
    int ignore_references;
    uint32_t shards;          /* candidate all-pairs computed as shards x shards blocks,
                               * merged (0 or 1: one block); the result never depends on it */
    uint32_t threads;         /* workers aligning pairs (0 or 1: this thread only; at most
                               * DP_SWEEP_MAX_THREADS); the output never depends on it */
    int precision;            /* the encoder's arithmetic of an index (model/net.h dp_precision;
                               * 0: auto) */
    int whole_runs;           /* near-duplicates (sweep --dedup): a shared verbatim run that holds
                               * own text is copied text whole, its common ends too (sweep.c,
                               * pair_skips) */
} dp_sweep_opts;

#define DP_SWEEP_MAX_THREADS 16

void dp_sweep_opts_default(dp_sweep_opts *o);

typedef struct dp_sweep dp_sweep;

/* What a sweep keeps of one document (or template), all of it independent of the
 * other documents, compactly (about 8 KiB for 500 words and 25 sentences at dim 256):
 * 32-bit word hashes, and sentence vectors as int8 with one scale per sentence (as an
 * index file stores them), so a sweep and a saved-and-loaded index give identical
 * results. Sentence similarities are exact integer dot products times the scales. */
typedef struct dp_sweep_doc {
    char *id;             /* NULL for templates */
    int is_ref;
    uint32_t group; /* 0, or documents of one group (one student's attempts) are not compared */
    uint32_t *words;      /* [n_words] hashes of normalised words */
    uint8_t *skip;        /* [dp_skip_bytes(n_words)] bits (sweep/skipbits.h), set: not evidence
                           * (template, quotation, references) */
    size_t n_words;       /* > 0 */
    dp_sent_info *sents;  /* [n_sents] sentences that hold words, partitioning them in order
                           * (tok_begin, words); excluded: as above */
    size_t n_sents;
    int8_t *sq;           /* [n_sents][dim] sentence vectors: x[i][k] ~ sq[i][k] * sscale[i];
                           * NULL when spilled (see dp_sweep_spill_vectors) */
    uint64_t sq_off;      /* where sq lies in the spill file, when sq_spilled */
    uint8_t sq_spilled;
    float *sscale;        /* [n_sents] (NULL without encoder, as sq) */
    float *dvec;          /* [dim] normalised mean of the non-excluded sentence vectors */
    uint64_t invalid;     /* invalid byte sequences its decoding replaced by U+FFFD (0 when loaded
                           * from an index) */
    uint64_t first_invalid; /* original byte offset of the first of them */
    /* the text its offsets index: CRC-32C and length of the bytes it was prepared from, so
     * a file read again for a report is known to be that text (has_sum 0: not known, a
     * document of a format-2 index) */
    uint32_t text_crc;
    uint8_t has_sum;
    uint64_t text_len;
    uint8_t extracted; /* its offsets index text extracted from its file (.docx, .html, ...) */
    char *source; /* where an index finds its file again (relative to the index's folder), or NULL */
} dp_sweep_doc;

void dp_sweep_doc_free(dp_sweep_doc *d);

/*
 * From now on, documents added with dp_sweep_add keep their sentence vectors in an
 * unlinked temporary file (read back, by any thread, when a pair is aligned) instead of
 * memory: the largest part of what a document keeps, so a large corpus's resident memory
 * stays small. For sweeps, not for indexes (a spilled document cannot be saved).
 */
int dp_sweep_spill_vectors(dp_sweep *s, doppel_diag *diag);

/* enc is borrowed. out_dim 0: lexical evidence only (with enc: words tokenized as enc's model
 * tokenizes them, so that enc can be attached later); out_dim > 0 without enc: documents
 * with vectors can be inserted and swept, but none added or queried. */
int dp_sweep_create(dp_sweep **s, dp_encoder *enc, size_t out_dim, const dp_sweep_opts *opts);
void dp_sweep_free(dp_sweep *s);

/* Template text handed out to everyone; add templates before documents. */
int dp_sweep_add_template(dp_sweep *s, const char *bytes, size_t len, doppel_diag *diag);

/* A document of the corpus (is_reference: compared with the others, not with other
 * references). The id is copied. Fails with DOPPEL_ERR_EMPTY for a text without words. */
int dp_sweep_add(dp_sweep *s, const char *id, const char *bytes, size_t len, int is_reference,
                 doppel_diag *diag);

/* One document for dp_sweep_add_many: id, bytes, len and is_reference as dp_sweep_add's;
 * what came of it in rc (DOPPEL_OK: added as document number index) and diag. */
typedef struct dp_sweep_add_item {
    const char *id;
    const char *bytes;
    size_t len;
    int is_reference;
    int rc;
    size_t index;
    doppel_diag diag;
} dp_sweep_add_item;

/* dp_sweep_add of items[0 .. n) in that order, the documents decoded, tokenized and
 * encoded on the sweep's threads (opts.threads) at once: the same documents, numbers
 * and vectors as added one by one, whatever the threads. Each item's outcome is in its
 * rc; returns DOPPEL_ERR_NOMEM (nothing added) or DOPPEL_OK. */
int dp_sweep_add_many(dp_sweep *s, dp_sweep_add_item *items, size_t n);
/* The same on `workers` threads instead of opts.threads (an index's encoder threads). */
int dp_sweep_add_many_on(dp_sweep *s, dp_sweep_add_item *items, size_t n, size_t workers);

/* A prepared document or template (read from an index file) whose arrays the sweep
 * takes over; *d is zeroed on success. Vectors must have the sweep's dimension. */
int dp_sweep_insert(dp_sweep *s, dp_sweep_doc *d, int is_template);

/* Removes the document with this id (later documents move down one number);
 * DOPPEL_ERR_NOT_FOUND when there is none. */
int dp_sweep_remove(dp_sweep *s, const char *id);
/* Removes document i (< dp_sweep_count), as dp_sweep_remove does. */
void dp_sweep_remove_at(dp_sweep *s, size_t i);

/* The document numbered i (< dp_sweep_count), or template i; the sweep owns them. */
size_t dp_sweep_count(const dp_sweep *s);
const dp_sweep_doc *dp_sweep_doc_at(const dp_sweep *s, size_t i);
size_t dp_sweep_template_count(const dp_sweep *s);
const dp_sweep_doc *dp_sweep_template_at(const dp_sweep *s, size_t i);
/* The number of the document with this id, or SIZE_MAX. */
size_t dp_sweep_find(const dp_sweep *s, const char *id);
/* The vector dimension (0 without an encoder). */
size_t dp_sweep_dim(const dp_sweep *s);
/* Marks document i as a reference (or not). */
void dp_sweep_set_reference(dp_sweep *s, size_t i, int is_reference);
/* Puts document i in a group (0: none); documents of one group are never compared. */
void dp_sweep_set_group(dp_sweep *s, size_t i, uint32_t group);
/* Document d's text that is not evidence (template, quotation, references: its excluded
 * sentences) as [start, end) byte spans, adjacent ones merged, into spans[0 .. 2n) (room
 * for 2 * d->n_sents values); returns n. */
size_t dp_sweep_doc_excluded(const dp_sweep_doc *d, uint64_t *spans);
/* Where document i came from: its file (copied; NULL: none), and whether its offsets index
 * text extracted from it. */
int dp_sweep_set_origin(dp_sweep *s, size_t i, const char *source, int extracted);

const dp_sweep_opts *dp_sweep_get_opts(const dp_sweep *s);
/*
 * Sentence vectors for some documents only, after a run without them (a cascade: the
 * lexical evidence of every pair first, then meaning for the pairs it points to).
 * dp_sweep_attach_encoder gives a sweep created without vectors (out_dim 0, no templates,
 * its words tokenized as enc's: DOPPEL_ERR_INVALID otherwise) the encoder enc of out_dim;
 * dp_sweep_encode_many then gives documents items[k].index, k in [0, n) (distinct), their
 * vectors from their text again (items[k].bytes and len: the bytes each was added with;
 * its rc DOPPEL_ERR_INVALID when they no longer make the same words), made on the sweep's
 * threads at once, the same vectors whatever the threads; their vectors go to the spill
 * file when dp_sweep_spill_vectors was called after the encoder was attached. Each outcome
 * is in items[k].rc and diag (id and is_reference are set to the document's); returns
 * DOPPEL_ERR_INVALID (nothing done) when a document has vectors or the sweep no encoder,
 * DOPPEL_ERR_NOMEM, or DOPPEL_OK. Afterwards only pairs of encoded documents may be
 * aligned (dp_sweep_run_pairs); dp_sweep_run and queries need every document encoded.
 */
int dp_sweep_attach_encoder(dp_sweep *s, dp_encoder *enc, size_t out_dim);
int dp_sweep_encode_many(dp_sweep *s, dp_sweep_add_item *items, size_t n);

/* Changes what a run or query reports (threshold, min_match, max_docs, top_k,
 * all_pairs, all_pairs_limit, shards, threads, sent_threshold). What documents keep (k,
 * template_sim, ignore_quotes, ignore_references) may differ only while the sweep is
 * empty: DOPPEL_ERR_INVALID otherwise. */
int dp_sweep_set_opts(dp_sweep *s, const dp_sweep_opts *opts);

/* Bins of the compared pairs' scores in dp_sweep_stats. */
#define DP_SWEEP_SCORE_BINS 20

typedef struct dp_sweep_stats {
    size_t documents, pairs_compared, pairs_reported;
    /* every compared pair by score, reported or not: bin k counts the scores in
     * [k, k + 1) / DP_SWEEP_SCORE_BINS (1 in the last); one process's pairs only */
    uint64_t score_bins[DP_SWEEP_SCORE_BINS];
    size_t common_passages; /* handed to the dp_sweep_on_common function */
    /* wall seconds of dp_sweep_run's stages: fingerprint index and boilerplate,
     * candidate pairs (of which the document-vector all-pairs product, with its
     * floating-point operations; 0 when every pair is compared), alignment */
    double seconds_fingerprints, seconds_candidates, seconds_allpairs, seconds_align;
    double allpairs_flops;
} dp_sweep_stats;

/* Called for each reported pair, in a deterministic order, with the documents' numbers
 * (the order they were added in); a non-zero return stops the run and is returned. */
typedef int (*dp_sweep_pair_fn)(void *ctx, const dp_pair_result *pair, uint32_t a, uint32_t b);
/* Called as pairs are aligned (done of total), for progress displays; may be NULL. */
typedef void (*dp_sweep_progress_fn)(void *ctx, size_t done, size_t total);

/* Passages held by more than max_docs documents are not evidence of any pair; a run
 * hands each of them, with the documents holding it, to fn (after the pairs), when set
 * (sweep/common.h says how they are grouped). fn's non-zero return stops the run. */
typedef int (*dp_sweep_common_fn)(void *ctx, const dp_common_passage *c);
void dp_sweep_on_common(dp_sweep *s, dp_sweep_common_fn fn, void *ctx);

int dp_sweep_run(dp_sweep *s, dp_sweep_pair_fn on_pair, dp_sweep_progress_fn progress, void *ctx,
                 dp_sweep_stats *stats);

/* Asked after each pair a run aligns, with the run's ctx; non-zero stops the run with
 * DOPPEL_ERR_INTERRUPTED (a cancel button, a deadline). NULL: never. Set it before any
 * run: runs on other threads read it. */
typedef int (*dp_sweep_stop_fn)(void *ctx);
void dp_sweep_on_stop(dp_sweep *s, dp_sweep_stop_fn fn);

/* Builds what runs and queries share and otherwise build on first use (the fingerprint
 * index), so that concurrent queries afterwards only read the sweep. */
int dp_sweep_prepare(dp_sweep *s);

/*
 * One new document (not added) against every document of the sweep: as if it were
 * added last and the sweep run, keeping only its pairs, but aligning only its
 * candidates — every document while the sweep holds at most all_pairs_limit (or
 * with all_pairs), else the documents sharing its fingerprints (held by at most
 * max_docs documents) and its top_k nearest by document vector. Pairs come in increasing document number with the
 * query as side a (even against a reference) and b = the document's number; a is
 * passed as UINT32_MAX. stats->documents counts the sweep's documents. Then the text the
 * query shares with more than max_docs documents goes to on_common (NULL: not looked for;
 * the query a member, after the others), counted in stats->common_passages; both get ctx.
 */
int dp_sweep_query(dp_sweep *s, const char *id, const char *bytes, size_t len, dp_sweep_pair_fn on_pair,
                   dp_sweep_common_fn on_common, void *ctx, dp_sweep_stats *stats, doppel_diag *diag);

/*
 * For a run split across processes (src/mpi/dist_sweep.h), each holding some documents of
 * the corpus and the documents of others it fetched: the pieces of dp_sweep_run it puts
 * together with what the processes exchange.
 */
/* The cache of the sentence vectors encoded so far (NULL without an encoder): processes
 * that share theirs encode each distinct sentence once between them. */
struct dp_sentcache *dp_sweep_sentcache(dp_sweep *s);
/* Keeps documents [first, last) only (numbered from 0 again): a process's share of an index. */
void dp_sweep_keep(dp_sweep *s, size_t first, size_t last);
/* Moves documents [first, last) of src to the end of s (their dimensions equal): the
 * shards of a sharded index put together (sweep/shards.h). */
int dp_sweep_take(dp_sweep *s, dp_sweep *src, size_t first, size_t last);
/* The sorted unique fingerprint hashes of d (*out malloc'd). */
int dp_sweep_doc_hashes(const dp_sweep *s, const dp_sweep_doc *d, uint64_t **out, size_t *n_out);
/* d's sentence vectors: in memory, or read back from the spill file into *owned (to free). */
int dp_sweep_doc_vectors(const dp_sweep *s, const dp_sweep_doc *d, const int8_t **q, int8_t **owned);
/* From now on, runs take how many documents hold each fingerprint hash from this table
 * (hashes sorted and unique, with their counts, DP_FP_TEMPLATE for template text; both
 * arrays malloc'd and taken over) instead of counting them over the sweep's documents:
 * the counts of the whole corpus, so boilerplate is what it is for one process. */
void dp_sweep_set_counts(dp_sweep *s, uint64_t *hashes, uint32_t *counts, size_t n);
/* The options dp_sweep_run's near-pair candidates use (is_ref: [documents] or NULL). */
void dp_sweep_near_opts(const dp_sweep *s, const uint8_t *is_ref, dp_allpairs_opts *ao);
/* Aligns and reports these pairs of document numbers in this order, as dp_sweep_run
 * does its candidates: pairs[i][0] must stand for the document that comes first in the
 * whole corpus (the side a of a pair without a reference). */
int dp_sweep_run_pairs(dp_sweep *s, const uint32_t (*pairs)[2], size_t n, dp_sweep_pair_fn on_pair,
                       dp_sweep_progress_fn progress, void *ctx, dp_sweep_stats *stats);
/* What a run's common passages are made of: the boilerplate fingerprints of documents
 * [0, n) of s, numbered from first in the whole corpus (*out malloc'd, sorted by document
 * then position). */
struct dp_common_fp;
int dp_sweep_common_fps(dp_sweep *s, size_t n, uint32_t first, struct dp_common_fp **out, size_t *n_out);
/* Hands the common passages of fps[n] (sorted by document, then position; docs[] holds
 * the documents they number: only ids and sentences are read) to the dp_sweep_on_common
 * function, as dp_sweep_run does at its end; *count grows by their number. */
/* The sweep's common passages to fn (as a run hands them to dp_sweep_on_common's function),
 * counted in *count: for a caller that may not set that function (concurrent readers). */
int dp_sweep_common(dp_sweep *s, dp_sweep_common_fn fn, void *ctx, size_t *count);
int dp_sweep_report_common(const dp_sweep *s, struct dp_common_fp *fps, size_t n, const dp_sweep_doc *docs,
                           size_t *count);

#endif
