/*
 * The lexical baseline of `doppel eval --baseline tfidf`: the cosine of character
 * 3–5-gram TF-IDF vectors, computed exactly as corpora/models/tfidf_baseline.py does so
 * that both give the same numbers:
 *   - a text is lowercased and split at white space (Python's str.split set); each word,
 *     padded with one space on both sides, gives its 3-, 4- and 5-grams of code points;
 *   - term weight (1 + ln tf) · (ln((1 + N) / (1 + df)) + 1), with N the number of texts
 *     and df the number of texts holding the n-gram, both counted over the evaluated
 *     texts themselves (the a sides and the b sides);
 *   - vectors are L2-normalised (an empty one stays zero); sums run in the order the
 *     n-grams first appear in a text, as the script's dicts do, so the doubles agree
 *     bit for bit.
 * Invalid UTF-8 becomes U+FFFD; lowercasing is utf8proc's simple mapping (Python's full
 * mapping differs only for U+0130 and a word-final Σ).
 */
#ifndef DP_TRAIN_TFIDF_H
#define DP_TRAIN_TFIDF_H

#include <stddef.h>

#include "doppel.h"
#include "train/dataset.h"

/* cos: [n] TF-IDF cosines of pairs first..first+n-1 of ds, idf fitted on their 2n texts. */
int dp_tfidf_cosines(const dp_dataset *ds, size_t first, size_t n, double *cos, doppel_diag *diag);

#endif
