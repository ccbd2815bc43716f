/*
 * Self-supervised pairs from raw prose: a passage (1 to 3 consecutive sentences) and an
 * obfuscated copy of it, made the way plagiarists disguise a copy. The pairs form one
 * data source of positives (label 1); the other passages of a batch are its negatives
 * (in-batch loss by default).
 *
 * Edits, each decided by the seeded generator (so a seed gives the same copy on every
 * machine). Rates are probabilities; each kind is also capped per passage at
 * max(1, 2·rate·words) edits, so no copy strays far:
 *   delete   a word (not one ending a sentence), rate p_delete, only in passages of more
 *            than 6 words
 *   synonym  a content word (not a function word, longer than 3 letters) replaced by a
 *            WordNet synonym of its first sense, capitalisation kept, rate p_synonym
 *   insert   a filler word ("also", "indeed", ...) after a word, rate p_insert
 *   swap     two neighbouring words exchanged, once per passage with probability p_swap
 *   merge    the first two sentences of a passage joined with ", and", probability p_merge
 *   split    a sentence cut at a comma in its middle into two, probability p_split
 * Case changes touch ASCII letters only.
 *
 * Readers: `prose` is any text (decoded by text/decode.h, split into sentences by
 * text/sentences.h); `brown` is the Brown corpus's tagged form: one sentence per line as
 * word/TAG tokens, the tags stripped and the words detokenised (no space before
 * . , ; : ! ? ) or closing quotes, `` and '' as "). A source is a file or a directory
 * (its regular files in name order, not recursive); files whose name is in an exclusion
 * list are skipped.
 */
#ifndef DP_TRAIN_AUGMENT_H
#define DP_TRAIN_AUGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/rng.h"
#include "doppel.h"
#include "train/dataset.h"
#include "train/wordnet.h"

#define DP_PASSAGE_MAX_SENTENCES 16

typedef struct dp_augment_config {
    float p_delete, p_synonym, p_insert, p_swap, p_merge, p_split;
    int max_sentences;        /* passage length is 1..max_sentences (at most
                                 DP_PASSAGE_MAX_SENTENCES), uniform */
    int min_words, max_words; /* passages outside are dropped */
} dp_augment_config;

/* delete 0.08, synonym 0.35, insert 0.05, swap 0.5, merge 0.3, split 0.3; passages of
 * 1-3 sentences and 8-80 words. */
void dp_augment_config_default(dp_augment_config *c);

typedef struct dp_augment_stats {
    size_t passages, words;
    size_t deleted, replaced, inserted, swapped, merged, split;
} dp_augment_stats;

/* A growable byte buffer the copies are written to. */
typedef struct dp_augment_buf {
    char *s;
    size_t len, cap;
} dp_augment_buf;

/*
 * Appends the obfuscated copy of the passage made of sentences sent[0..n) (UTF-8, words
 * separated by single spaces, as the readers give them) to out, words separated by
 * single spaces. wn may be NULL (no synonyms). Adds its edits to *st.
 */
int dp_augment_passage(const dp_augment_config *c, const dp_wordnet *wn, dp_rng *rng, const dp_str *sent, int n,
                       dp_augment_buf *out, dp_augment_stats *st);

/* 1 if the lowercase word w[0..len) is a function word (never replaced). */
int dp_augment_is_function_word(const char *w, size_t len);

typedef enum { DP_PROSE_TEXT = 0, DP_PROSE_BROWN = 1 } dp_prose_kind;

typedef struct dp_prose_counts {
    size_t files, excluded, sentences;
    dp_augment_stats stats;
} dp_prose_counts;

/*
 * Reads path (file or directory) as a new source of ds (format DP_DATA_PROSE or
 * DP_DATA_BROWN, label 1): passages cut from each file's sentences, each paired with its
 * pass-0 copy (dp_prose_copy); the texts are kept in ds->bufs, the sentence starts in the
 * source's cuts. exclude[0..nexclude) are file names (no directory) to skip. seed fixes
 * passages and edits. A passage whose copy came out unchanged is dropped. counts may be
 * NULL.
 */
int dp_prose_read(dp_dataset *ds, const char *path, dp_prose_kind kind, const char *const *exclude,
                  size_t nexclude, const dp_wordnet *wn, const dp_augment_config *c, uint64_t seed,
                  dp_prose_counts *counts, doppel_diag *diag);

/*
 * Training makes fresh copies on every pass over a prose source, so a long run sees many
 * disguises of each passage. The copy of passage k (the source's pair k) of pass `pass`
 * is a function of (seed, source, pass, k) alone: dp_prose_rng seeds its edits.
 */
void dp_prose_rng(dp_rng *r, uint64_t seed, int source, uint64_t pass, size_t k);

/* Appends that copy of pair k of prose or brown source `source` of ds to out; pass 0 with
 * the seed of the read gives the pair's own b. */
int dp_prose_copy(const dp_dataset *ds, int source, size_t k, uint64_t seed, uint64_t pass,
                  const dp_augment_config *c, const dp_wordnet *wn, dp_augment_buf *out, dp_augment_stats *st);

#endif
