/*
 * What a sweep finds, as the report writers read it: pairs of documents with their
 * shared passages (byte spans into each document's original bytes, start inclusive,
 * end exclusive), documents that were skipped, and a closing summary.
 * The sweep fills these; src/report formats them. Nothing here owns memory: a writer
 * copies what it must keep beyond the call.
 */
#ifndef DP_SWEEP_RESULT_H
#define DP_SWEEP_RESULT_H

#include <stddef.h>
#include <stdint.h>

typedef enum { DP_PASSAGE_VERBATIM, DP_PASSAGE_EDITED, DP_PASSAGE_PARAPHRASE } dp_passage_kind;

typedef struct dp_passage {
    uint64_t a_start, a_end; /* bytes in document a */
    uint64_t b_start, b_end; /* bytes in document b */
    float score;             /* similarity of the two spans, [0,1] */
    uint8_t kind;            /* dp_passage_kind */
} dp_passage;

typedef struct dp_pair_result {
    const char *a, *b;        /* document ids; b is the reference when one side is */
    float score;              /* pair score in [0,1] */
    float a_coverage;         /* share of a covered by passages, [0,1] */
    float b_coverage;
    const dp_passage *passages;
    size_t n_passages;
} dp_pair_result;

/*
 * A passage found in more than max_docs documents (a web paragraph a whole class
 * copied, boilerplate): not evidence between any two of them, so listed on its own
 * with every document that holds it. A document's span is sentence-aligned bytes.
 */
typedef struct dp_common_member {
    const char *id;
    uint64_t start, end;
} dp_common_member;

typedef struct dp_common_passage {
    const dp_common_member *members; /* one per document, in document order */
    size_t n_members;                /* > max_docs */
} dp_common_passage;

typedef struct dp_skipped {
    const char *id;
    const char *reason;
} dp_skipped;

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
