/*
 * Skip marks as bits: a document keeps whether each of its words is evidence (template,
 * quotation, references), and a run whether it is also common text, as one bit a word
 * (bit w % 8 of byte w / 8): a byte a word was, after the word hashes, the largest part
 * of what a large sweep holds. Pairs expand them to a byte a word while they are aligned.
 */
#ifndef DP_SWEEP_SKIPBITS_H
#define DP_SWEEP_SKIPBITS_H

#include <stddef.h>
#include <stdint.h>

/* Bytes holding the marks of n words. */
static inline size_t dp_skip_bytes(size_t n) { return (n + 7) / 8; }

static inline int dp_skip_get(const uint8_t *bits, size_t w) { return bits[w / 8] >> (w % 8) & 1; }

static inline void dp_skip_set(uint8_t *bits, size_t w) { bits[w / 8] |= (uint8_t)(1u << (w % 8)); }

/* The marks of n words, a byte a word, into out[n]. */
static inline void dp_skip_unpack(const uint8_t *bits, size_t n, uint8_t *out)
{
    for (size_t w = 0; w < n; w++)
        out[w] = (uint8_t)dp_skip_get(bits, w);
}

#endif
