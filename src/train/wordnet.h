/*
 * Synonyms from a WordNet 3.0 database directory (Debian wordnet-base:
 * /usr/share/wordnet), for the obfuscated copies of train/augment.h.
 *
 * A lemma's synonyms are the other single words of its first (most frequent) synset,
 * taken from the first part of speech, in the order noun, verb, adj, adv, whose index
 * lists it and whose first synset has any: index.POS gives the lemma's first synset
 * offset, data.POS at that byte offset lists the synset's words. Multi-word lemmas and
 * words (with '_') are left out; adjective markers such as "(a)" are dropped; words are
 * lowercased (ASCII). Missing POS files are skipped.
 */
#ifndef DP_TRAIN_WORDNET_H
#define DP_TRAIN_WORDNET_H

#include <stddef.h>

#include "doppel.h"

typedef struct dp_wordnet dp_wordnet;

/* Reads dir/index.POS and dir/data.POS. DOPPEL_ERR_IO when no POS pair is present;
 * DOPPEL_ERR_FORMAT (diag names the file and line) on a malformed line. */
int dp_wordnet_load(dp_wordnet **out, const char *dir, doppel_diag *diag);
void dp_wordnet_free(dp_wordnet *wn);

/* Lemmas that have synonyms. */
size_t dp_wordnet_size(const dp_wordnet *wn);

/* The synonyms of the lowercase word w[0..len): their count, and the i-th as a
 * NUL-terminated string through dp_wordnet_synonym. 0 when wn is NULL or w unknown. */
size_t dp_wordnet_count(const dp_wordnet *wn, const char *w, size_t len, size_t *first);
const char *dp_wordnet_synonym(const dp_wordnet *wn, size_t first, size_t i);

#endif
