/*
 * Sentence vectors already computed, keyed by the sentence's normalised tokens: archives
 * repeat sentences (headers, licences, boilerplate), and a sentence's vector depends on
 * its tokens alone, so each distinct sentence is encoded once per sweep or index.
 *
 * The key is 128 bits of two independent hashes of the normal forms and their lengths
 * (a collision between two of a billion sentences has odds below 1e-20). Entries hold the
 * int8 vector and its scale as a document keeps them, so a vector taken from the cache
 * is the same bytes as one computed again. The cache stops taking entries at its byte
 * budget; lookups go on. Safe to use from several threads at once (one mutex).
 */
#ifndef DP_SWEEP_SENTCACHE_H
#define DP_SWEEP_SENTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "text/tokenize.h"

/* What a cache holds at most, unless told otherwise: about 200,000 sentences at dim 256. */
#define DP_SENTCACHE_BYTES ((size_t)56 << 20)

typedef struct dp_sentcache dp_sentcache;

typedef struct dp_sentkey {
    uint64_t h[2];
} dp_sentkey;

/* dim > 0; max_bytes: the budget of entries and table together. */
int dp_sentcache_create(dp_sentcache **out, size_t dim, size_t max_bytes);
void dp_sentcache_free(dp_sentcache *c);

/* The key of tokens [first, first + count) of toks. */
dp_sentkey dp_sentcache_key(const dp_tokens *toks, size_t first, size_t count);

/* 1 and the vector q[dim] and its scale when the key is held, else 0. */
int dp_sentcache_get(dp_sentcache *c, dp_sentkey key, int8_t *q, float *scale);

/* Keeps a vector under key (nothing when it is held already or the budget is spent).
 * DOPPEL_OK or DOPPEL_ERR_NOMEM. */
int dp_sentcache_put(dp_sentcache *c, dp_sentkey key, const int8_t *q, float scale);

/* Entry i (< dp_sentcache_count), entries numbered in the order they were kept: for
 * handing the ones kept since some count to another process's cache. */
void dp_sentcache_entry(dp_sentcache *c, size_t i, dp_sentkey *key, int8_t *q, float *scale);

/* Gives back every entry and the table (the cache fills again from empty): for a sweep
 * that will encode nothing more but still holds its documents. */
void dp_sentcache_clear(dp_sentcache *c);

/* Entries held, and bytes held (table and entries). */
size_t dp_sentcache_count(const dp_sentcache *c);
size_t dp_sentcache_bytes(const dp_sentcache *c);

#endif
