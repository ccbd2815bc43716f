/*
 * Extracted text as it is built: UTF-8 bytes plus a map from text offsets back to
 * byte offsets of the source (for formats whose offsets go back into the file).
 * A segment maps text [text_off, text_off + text_len) to source [src_off, src_off +
 * src_len); when both lengths are equal the mapping inside is byte for byte, else only
 * the segment's ends correspond (an entity such as "&amp;" is one text byte). Text
 * added without a source (a separator between paragraphs) has src_len 0.
 */
#ifndef DP_IO_TEXTBUF_H
#define DP_IO_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dp_textseg {
    uint64_t text_off, src_off;
    uint32_t text_len, src_len;
} dp_textseg;

typedef struct dp_textbuf {
    char *text; /* NUL after the last byte once anything was added */
    size_t len, cap;
    dp_textseg *segs; /* only when mapping */
    size_t n_segs, cap_segs;
    bool mapping;
    bool failed; /* out of memory: everything after is dropped */
} dp_textbuf;

/* Appends n bytes that came from source bytes [src_off, src_off + src_len)
 * (ignored unless mapping). */
void dp_textbuf_add(dp_textbuf *b, const char *s, size_t n, uint64_t src_off, uint64_t src_len);
/* Appends a separator ("\n\n" between paragraphs) unless the text is empty or already
 * ends with one; it comes from no source bytes (placed at src_off). */
void dp_textbuf_break(dp_textbuf *b, const char *sep, uint64_t src_off);
void dp_textbuf_free(dp_textbuf *b);

/* The source offset of text offset off: a start (rounded down to its segment's start
 * when inside a segment that is not byte for byte) or an end (rounded up). */
uint64_t dp_textmap_start(const dp_textseg *segs, size_t n, uint64_t off);
uint64_t dp_textmap_end(const dp_textseg *segs, size_t n, uint64_t off);

#endif
