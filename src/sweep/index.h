/*
 * The index: a sweep that lives on — documents added and removed one at a time,
 * one new document queried against all of them, everything swept on demand — plus
 * the model it was built with (by identity) and the documents that were skipped.
 * Saved to and loaded from an index file (sweep/indexfile.h).
 */
#ifndef DP_SWEEP_INDEX_H
#define DP_SWEEP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "model/model.h"
#include "sweep/sweep.h"

typedef struct dp_index dp_index;

/* model NULL: lexical evidence only. model is borrowed and must outlive the index;
 * threads: encoder workers (1..DP_ENCODER_MAX_THREADS). */
int dp_index_create(dp_index **out, const dp_model *model, int threads, const dp_sweep_opts *opts,
                    doppel_diag *diag);
/* An index built with a model (of this identity and dimension) that is not at hand:
 * its documents can be swept, removed and saved, but none added or queried
 * (DOPPEL_ERR_MODEL_MISMATCH). */
int dp_index_create_unencoded(dp_index **out, uint32_t model_id, size_t dim, const dp_sweep_opts *opts);
/* The encoder's arithmetic from now on (model/net.h; created with opts->precision). */
int dp_index_set_precision(dp_index *ix, dp_precision p, doppel_diag *diag);
void dp_index_free(dp_index *ix);

/* The sweep underneath (for runs with callbacks, queries and the file writer). */
dp_sweep *dp_index_sweep(dp_index *ix);
const dp_sweep *dp_index_sweep_const(const dp_index *ix);
/* 1 and the model's identity (dp_model_identity) when built with a model, else 0. */
int dp_index_has_model(const dp_index *ix, uint32_t *model_id);

int dp_index_add_template(dp_index *ix, const char *bytes, size_t len, doppel_diag *diag);

/*
 * Adds a document. An id already in the index is DOPPEL_ERR_INVALID. A document that
 * cannot be used (no words, ...) fails and is remembered as skipped, with the reason,
 * unless its id is already listed.
 */
int dp_index_add(dp_index *ix, const char *id, const char *bytes, size_t len, int is_reference,
                 doppel_diag *diag);

/* dp_index_add of items[0 .. n) (id, bytes, len, is_reference) in that order, their
 * documents made on the index's threads at once (dp_sweep_add_many_on): each outcome in
 * its rc, diag and index; an id already indexed or given earlier in items is
 * DOPPEL_ERR_INVALID. groups[i] (groups NULL: none) puts an added document in a group
 * (dp_sweep_set_group). Returns DOPPEL_ERR_NOMEM (nothing added) or DOPPEL_OK. */
int dp_index_add_many(dp_index *ix, dp_sweep_add_item *items, const uint32_t *groups, size_t n);

/* Remembers a document the caller skipped (binary, unreadable, ...); ids are copied. */
int dp_index_skip(dp_index *ix, const char *id, const char *reason);

/* Removes a document or skipped entry by id: DOPPEL_ERR_NOT_FOUND when neither. */
int dp_index_remove(dp_index *ix, const char *id);

size_t dp_index_skipped_count(const dp_index *ix);
void dp_index_skipped_at(const dp_index *ix, size_t i, const char **id, const char **reason);

/* The public handle over ix, which it takes over (doppel_index_free frees it, also on
 * failure), and back: for the program's paths the API has no call for (index add --mpi's
 * shares). */
int dp_index_wrap(doppel_index **out, dp_index *ix, doppel_diag *diag);
dp_index *dp_index_of(doppel_index *ix);

/* The wall time of the query or sweep that made a public report (its JSONL summary's). */
double dp_report_seconds(const doppel_report *r);
/* Every pair it compared by score ([*n] bins, as dp_sweep_stats.score_bins). */
const uint64_t *dp_report_score_bins(const doppel_report *r, size_t *n);

#endif
