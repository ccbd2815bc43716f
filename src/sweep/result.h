/*
 * What a sweep finds, as the report writers read it: pairs of documents with their
 * shared passages (byte spans into each document's original bytes, start inclusive,
 * end exclusive), documents that were skipped, and a closing summary.
 * The sweep fills these; src/report formats them. Nothing here owns memory but
 * dp_owned_pair: a writer copies what it must keep beyond the call.
 * A passage, a pair, a skipped document and a common passage's member are the public API's
 * own types (doppel.h), so the library hands out what the sweep made without converting it.
 */
#ifndef DP_SWEEP_RESULT_H
#define DP_SWEEP_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"

typedef enum {
    DP_PASSAGE_VERBATIM = DOPPEL_PASSAGE_VERBATIM,
    DP_PASSAGE_EDITED = DOPPEL_PASSAGE_EDITED,
    DP_PASSAGE_PARAPHRASE = DOPPEL_PASSAGE_PARAPHRASE,
} dp_passage_kind;

/* a_start..a_end: bytes in document a, b_start..b_end in b; kind a dp_passage_kind */
typedef doppel_passage dp_passage;
/* a, b: document ids, b the reference when one side is; a_coverage: share of a covered by passages */
typedef doppel_pair dp_pair_result;

/* A pair result that owns its ids and passages: the one deep copy, for whatever keeps a
 * pair past the sweep's callback (the writers that sort, the library's report). */
typedef struct dp_owned_pair {
    char *a, *b;
    float score, a_coverage, b_coverage;
    dp_passage *passages;
    size_t n_passages;
} dp_owned_pair;

/* DOPPEL_OK, or DOPPEL_ERR_NOMEM with nothing allocated. */
int dp_pair_copy(dp_owned_pair *out, const dp_pair_result *r);
void dp_owned_pair_free(dp_owned_pair *p);
/* The pair result p stands for (pointing into p). */
dp_pair_result dp_owned_pair_view(const dp_owned_pair *p);

/*
 * A passage found in more than max_docs documents (a web paragraph a whole class
 * copied, boilerplate): not evidence between any two of them, so listed on its own
 * with every document that holds it. A document's span is sentence-aligned bytes.
 */
typedef doppel_common_member dp_common_member;

typedef struct dp_common_passage {
    const dp_common_member *members; /* one per document, in document order */
    size_t n_members;                /* > max_docs */
} dp_common_passage;

typedef doppel_skipped dp_skipped;

typedef struct dp_summary {
    size_t documents;      /* documents compared (not counting skipped ones) */
    size_t skipped;
    size_t pairs_compared;
    size_t pairs_reported;
    double seconds;
    size_t common;         /* common passages listed (dp_common_passage) */
    /* [n_score_bins] every compared pair by score (bin k: [k, k + 1) / n_score_bins, 1 in
     * the last), or NULL when not known */
    const uint64_t *score_bins;
    size_t n_score_bins;
} dp_summary;

/* "verbatim", "edited", "paraphrase"; "unknown" for any other value. */
const char *dp_passage_kind_name(int kind);

#endif
