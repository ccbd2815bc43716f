/* Strict UTF-8 decoding of one code point (RFC 3629): the one decoder every stage uses. */
#ifndef DP_CORE_UTF8_H
#define DP_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the code point at s[0..len). Returns its length (1..4) and sets *cp, or
 * returns 0 for an invalid sequence: a stray continuation byte, an overlong form,
 * a surrogate, a value above U+10FFFF, or a sequence cut short by len.
 */
size_t dp_utf8_decode(const uint8_t *s, size_t len, int32_t *cp);

/* Writes cp (must be a valid scalar value) as UTF-8 into out[0..4); returns its length. */
size_t dp_utf8_encode(int32_t cp, uint8_t out[4]);

#endif
