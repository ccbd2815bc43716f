/*
 * Training and evaluation pairs in memory, read from the data sets' own TSV layouts:
 *
 *   format    columns (tab-separated, no quoting)                  label
 *   stsb      genre, file, year, id, score, s1, s2 [, more]        score 0..5
 *   sick      pair_ID, A, B, relatedness, entailment (header)      score 1..5
 *   msrp      quality, id1, id2, s1, s2 (header, BOM, CRLF)        0/1
 *   paws      id, s1, s2, label (header optional)                  0/1
 *   kjvweb    book, chapter, verse, kjv, web (header)              1 (all paraphrases)
 *   tsv       text_a, text_b, label|score (header optional)        number >= 0
 *   triplets  anchor, positive, negative (header optional)         1
 *   topic     kind, label, s1, s2 (header optional)                0/1 (1 = paraphrase, 0 = same
 *             topic, another meaning; corpora/models/selection.py; kind is not read)
 *   groups    group, anchor, positive, negative (header optional)  1; group: a decimal
 *             number < 2^32, the same for every row of one paraphrase group (loss multipos)
 *
 * A first line whose label column is not a number (or that names the first column, e.g.
 * "book", "anchor") is a header. Malformed lines — too few columns, an empty text, a
 * label that is not a number or out of the format's range — are reported through a
 * callback with their line number and skipped.
 *
 * Each pair keeps its label as read and its source; the source records the label range,
 * so dp_pair_norm_label gives every label in [0, 1] (1 = similar) for the losses.
 * Texts point into the file contents, which the dataset keeps.
 */
#ifndef DP_TRAIN_DATASET_H
#define DP_TRAIN_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"

typedef enum {
    DP_DATA_STSB = 1,
    DP_DATA_SICK,
    DP_DATA_MSRP,
    DP_DATA_PAWS,
    DP_DATA_KJVWEB,
    DP_DATA_TSV,
    DP_DATA_TRIPLETS,
    DP_DATA_TOPIC,
    DP_DATA_GROUPS,
    DP_DATA_PROSE, /* raw text and Brown's tagged files: train/augment.h makes their pairs */
    DP_DATA_BROWN,
} dp_data_format;

/* "stsb", "sick", "msrp", "paws", "kjvweb", "tsv", "triplets", "topic", "groups", "prose",
 * "brown" -> format;
 * 0 if unknown. */
dp_data_format dp_data_format_parse(const char *name);
const char *dp_data_format_name(dp_data_format f);

typedef struct dp_str {
    const char *s; /* not NUL-terminated */
    uint32_t len;
} dp_str;

typedef struct dp_pair {
    dp_str a, b;
    dp_str c;    /* the negative of a triplet; s == NULL for pairs */
    float label;  /* as read */
    uint32_t group; /* groups format: the paraphrase group; 0 otherwise */
    uint16_t source;
} dp_pair;

#define DP_DATA_MAX_SOURCES 16

/* Where the sentences of a prose or brown source's passages (the texts a) start, so their
 * copies can be made again (train/augment.h): pair k of the source has sentences starting
 * at byte 0 and at at[first[k] .. first[k+1]). */
typedef struct dp_passage_cuts {
    uint32_t *first; /* [n + 1]; NULL for sources of other formats */
    uint32_t *at;
} dp_passage_cuts;

typedef struct dp_source_info {
    dp_data_format format;
    float lo, hi;   /* label range: normalised label = (label - lo) / (hi - lo) */
    int graded;     /* some label other than the range's ends: a score, not a class */
    size_t first, n; /* the source's pairs are ds->pairs[first .. first + n) */
    dp_passage_cuts cuts;
} dp_source_info;

typedef struct dp_dataset {
    dp_pair *pairs;
    size_t n, cap;
    char **bufs; /* file contents the texts point into */
    size_t nbufs, cap_bufs;
    int nsources;
    dp_source_info src[DP_DATA_MAX_SOURCES];
} dp_dataset;

/* Line counts of one read. */
typedef struct dp_data_counts {
    uint64_t lines;   /* non-empty lines, header included */
    uint64_t pairs;   /* pairs added */
    uint64_t skipped; /* malformed lines */
} dp_data_counts;

/* Called once per malformed line; message has no file name or line number. */
typedef void (*dp_data_warn_fn)(void *ctx, uint64_t line, const char *message);

void dp_dataset_init(dp_dataset *ds);
void dp_dataset_free(dp_dataset *ds);

/*
 * Reads a file of the given format (not prose or brown) as a new source (its index is ds->nsources - 1 on
 * success). warn may be NULL. I/O errors and too many sources fail with diag set; bad
 * lines only warn. counts may be NULL.
 */
int dp_dataset_read(dp_dataset *ds, const char *path, dp_data_format fmt, dp_data_warn_fn warn, void *ctx,
                    dp_data_counts *counts, doppel_diag *diag);

/*
 * Adds pairs[0..n) (their source field is overwritten) as a new source of format fmt with
 * 0/1 labels; the dataset takes buf (the texts' storage, may be NULL) and the arrays of
 * cuts (may be zero) even on failure.
 */
int dp_dataset_add_source(dp_dataset *ds, dp_data_format fmt, char *buf, const dp_pair *pairs, size_t n,
                          dp_passage_cuts cuts, doppel_diag *diag);

/* The label in [0, 1] (1 = similar). */
float dp_pair_norm_label(const dp_dataset *ds, const dp_pair *p);

#endif
