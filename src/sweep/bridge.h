/*
 * Common text inside a copy. A pair's own text (words not in passages of more than
 * max_docs documents) shared as verbatim runs in one order on both sides, with common
 * text between consecutive runs, is a copied stretch: the common text between is copied
 * with it, and counts as evidence for this pair. An edited copy needs this: its edits cut
 * its verbatim runs short, so a run rarely reaches from one rare fingerprint across a
 * common sentence to the next (sweep.c, rare_span), and where a corpus repeats much of
 * its text (sentences and verses found in more than max_docs documents) half of such a
 * copy would otherwise not count. Two runs are bridged when the gaps after the first
 * and before the second are at most DP_BRIDGE_WORDS on each side and of about one length
 * (an edit inserts or deletes a word here and there; unrelated text does not line up).
 * A common paragraph beside a document's own text has shared own text on one side only:
 * it stays common.
 */
#ifndef DP_SWEEP_BRIDGE_H
#define DP_SWEEP_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sweep/passages.h"

#define DP_BRIDGE_WORDS 120

/*
 * runs[n] (dp_find_runs over the documents' own marks own_a, own_b): the pair's shared
 * runs. pa[], pb[]: the pair's skip marks (1: not evidence), cleared here over bridged
 * runs and the gaps between them, but never where own_a / own_b mark a word (template,
 * quotation, references). A run is own text when at least k of its words are evidence on
 * both sides. Returns whether a mark was cleared; fails only without memory.
 */
int dp_bridge_common(const dp_run *runs, size_t n, const uint8_t *own_a, const uint8_t *own_b, uint8_t *pa,
                     uint8_t *pb, size_t k, bool *changed);

#endif
