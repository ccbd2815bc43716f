/*
 * Bytes as stored on disk -> valid UTF-8, remembering where every decoded byte came
 * from so that every span handed out later is an offset into the ORIGINAL input.
 *
 * Rules:
 *  - A UTF-8 BOM (EF BB BF) is skipped under AUTO and UTF8.
 *  - Under AUTO a UTF-16 BOM (FF FE little-endian, FE FF big-endian) selects UTF-16;
 *    unpaired surrogates and an odd trailing byte become U+FFFD (counted as invalid).
 *  - AUTO without a BOM: valid UTF-8 -> UTF-8. Otherwise Windows-1252 when the input
 *    (a) has none of the bytes cp1252 leaves undefined (81 8D 8F 90 9D),
 *    (b) looks like text: at most 1% of its bytes are C0 controls other than
 *        TAB LF VT FF CR, and
 *    (c) has fewer valid multi-byte UTF-8 sequences than invalid ones (UTF-8 with a
 *        few broken bytes stays UTF-8).
 *    Otherwise UTF-8 with each invalid sequence replaced by one U+FFFD per maximal
 *    subpart (the Unicode "best practice" of chapter 3, U+FFFD substitution).
 *  - Forced CP1252 maps the five undefined bytes to the C1 controls of the same
 *    value (as the WHATWG Encoding Standard does); LATIN1 maps byte b to U+00b.
 *  - Line ends, NUL and control characters are kept as they are.
 */
#ifndef DP_TEXT_DECODE_H
#define DP_TEXT_DECODE_H

#include <stddef.h>

#include "doppel.h"

typedef enum { DP_ENC_AUTO = 0, DP_ENC_UTF8, DP_ENC_CP1252, DP_ENC_LATIN1 } dp_encoding;

typedef struct dp_text {
    char *utf8;           /* decoded text, valid UTF-8, NUL-terminated (may hold NULs) */
    size_t len;           /* bytes in utf8, without the terminating NUL */
    size_t *orig;         /* [len+1]: original byte offset of decoded byte i; orig[len] is
                             the input length. NULL when decoded == original shifted by shift */
    size_t shift;         /* BOM length when orig == NULL */
    size_t invalid_count; /* invalid sequences replaced by U+FFFD */
    size_t first_invalid; /* original byte offset of the first one (SIZE_MAX if none) */
    dp_encoding used;     /* the encoding actually decoded (UTF8 for UTF-16 input too) */
    int utf16;            /* 0, or 1 little-endian / 2 big-endian when a UTF-16 BOM was found */
} dp_text;

/* Decodes bytes[0..len) into t (which the caller later releases with dp_text_free).
 * Fails only on a bad enc value or out of memory. */
int dp_text_decode(dp_text *t, const char *bytes, size_t len, dp_encoding enc, doppel_diag *diag);

/* Decoded byte position (0..len) -> original byte offset. */
size_t dp_text_orig(const dp_text *t, size_t decoded_pos);

/* Original byte offset -> the first decoded position (0..len) whose original offset is
 * at least orig_off: the start of the character decoded from there, so an original span
 * [s, e) shows as decoded [dp_text_decoded_pos(s), dp_text_decoded_pos(e)). O(log len). */
size_t dp_text_decoded_pos(const dp_text *t, size_t orig_off);

void dp_text_free(dp_text *t);

#endif
