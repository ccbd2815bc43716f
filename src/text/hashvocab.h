/*
 * Hashed vocabulary, fastText style: a token is the bucket of the whole word plus the
 * buckets of the character n-grams of "<token>", so unseen and misspelt words still
 * share most of their ids with known ones.
 *
 * dp_hash64 is FNV-1a 64 (Fowler/Noll/Vo; offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3) with the seed XORed into the offset basis: seed 0 is plain FNV-1a 64.
 * It works byte by byte, so it is the same on every machine.
 *
 * Buckets: FNV-1a's low bits mix poorly, so the 64-bit hash goes through the
 * MurmurHash3 fmix64 finaliser before being reduced modulo `buckets`. Whole words
 * hash with `seed`, n-grams with `seed ^ DP_HASHVOCAB_NGRAM_TWEAK`, so a word and an
 * n-gram with the same bytes land in unrelated buckets.
 */
#ifndef DP_TEXT_HASHVOCAB_H
#define DP_TEXT_HASHVOCAB_H

#include <stddef.h>
#include <stdint.h>

#define DP_HASHVOCAB_MAX_IDS 64
#define DP_HASHVOCAB_NGRAM_TWEAK UINT64_C(0x9e3779b97f4a7c15)

uint64_t dp_hash64(const void *data, size_t len, uint64_t seed);

typedef struct dp_hashvocab {
    uint64_t seed;
    uint32_t buckets;    /* > 0 */
    uint32_t minn, maxn; /* n-gram lengths in code points; minn == 0 or maxn < minn: none */
} dp_hashvocab;

/*
 * ids[0] = bucket of the whole normalised token; then the buckets of the n-grams of
 * "<" norm ">" (in code points) for n = minn..maxn, for each n from left to right,
 * skipping the n-gram that is the whole "<token>". Duplicates are kept. When there
 * are more than DP_HASHVOCAB_MAX_IDS ids, the first ones in this order are kept, so
 * a long word keeps all its short n-grams. Returns the count (>= 1).
 */
size_t dp_hashvocab_ids(const dp_hashvocab *hv, const char *norm, size_t len,
                        uint32_t ids[DP_HASHVOCAB_MAX_IDS]);

#endif
