/*
 * One sentence cache for the whole job: the processes encoding their shares of a corpus
 * hand each other, every few documents, the sentence vectors they encoded since the last
 * time, so a sentence that recurs across shares (boilerplate, quotations, a corpus drawn
 * from one pool of sentences) is encoded about once in the job instead of once per
 * process. A vector from the cache is the bytes encoding would give (sweep/sentcache.h),
 * so the sweep's result does not depend on who encoded what.
 *
 * Traffic: each distinct sentence's int8 vector, scale and key (dim + 20 bytes) reach
 * every process once; each process's cache stops taking entries at its budget
 * (DP_SENTCACHE_BYTES), after which nothing new is sent. docs/SCALE.md says what this
 * becomes at 1B documents.
 */
#ifndef DP_MPI_DIST_SENTENCES_H
#define DP_MPI_DIST_SENTENCES_H

#include <stddef.h>

#include "mpi/dist.h"
#include "sweep/sweep.h"

/* Documents each process encodes between two exchanges. */
#define DP_DIST_SENTENCES_EVERY 32

/*
 * Collective: this process's cache entries from *mark on go to every other process's
 * cache, theirs come into this one's, and *mark moves past all of them; *own counts
 * the entries this process encoded itself (those it sent). done: this
 * process has no more documents to encode; returns 1 once every process said so (a
 * process that has finished calls it until then, so that the others' calls are met).
 * Nothing is exchanged for a sweep without a model.
 */
int dp_dist_share_sentences(const dp_dist *d, dp_sweep *s, size_t *mark, size_t *own, int done);

#endif
