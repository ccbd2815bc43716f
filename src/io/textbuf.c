#include "io/textbuf.h"

#include <stdlib.h>
#include <string.h>

#include "core/grow.h"

static void add_seg(dp_textbuf *b, uint64_t t, uint64_t s, uint64_t tl, uint64_t sl)
{
    /* lengths past 32 bits never come from one call (inputs are capped far below) */
    if (b->n_segs) { /* extend a byte-for-byte run that continues exactly */
        dp_textseg *p = &b->segs[b->n_segs - 1];
        if (p->text_len == p->src_len && tl == sl && p->text_off + p->text_len == t &&
            p->src_off + p->src_len == s && (uint64_t)p->text_len + tl <= UINT32_MAX) {
            p->text_len += (uint32_t)tl, p->src_len += (uint32_t)sl;
            return;
        }
    }
    if (dp_grow((void **)&b->segs, &b->cap_segs, b->n_segs + 1, sizeof *b->segs)) {
        b->failed = true;
        return;
    }
    b->segs[b->n_segs++] = (dp_textseg){t, s, (uint32_t)tl, (uint32_t)sl};
}

void dp_textbuf_add(dp_textbuf *b, const char *s, size_t n, uint64_t src_off, uint64_t src_len)
{
    if (b->failed || n == 0)
        return;
    if (dp_grow((void **)&b->text, &b->cap, b->len + n + 1, 1)) {
        b->failed = true;
        return;
    }
    if (b->mapping)
        add_seg(b, b->len, src_off, n, src_len);
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

void dp_textbuf_break(dp_textbuf *b, const char *sep, uint64_t src_off)
{
    size_t n = strlen(sep);
    if (b->len == 0 || (b->len >= n && memcmp(b->text + b->len - n, sep, n) == 0))
        return;
    dp_textbuf_add(b, sep, n, src_off, 0);
}

void dp_textbuf_free(dp_textbuf *b)
{
    free(b->text);
    free(b->segs);
    memset(b, 0, sizeof *b);
}

/* The last segment starting at or before off (segments are in text order). */
static const dp_textseg *seg_at(const dp_textseg *segs, size_t n, uint64_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (segs[mid].text_off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &segs[lo - 1] : NULL;
}

uint64_t dp_textmap_start(const dp_textseg *segs, size_t n, uint64_t off)
{
    const dp_textseg *s = seg_at(segs, n, off);
    if (!s)
        return n ? segs[0].src_off : off;
    uint64_t in = off - s->text_off;
    if (in >= s->text_len) /* past the segment (the text's end) */
        return s->src_off + s->src_len;
    return s->text_len == s->src_len ? s->src_off + in : s->src_off;
}

uint64_t dp_textmap_end(const dp_textseg *segs, size_t n, uint64_t off)
{
    /* the end of the byte before off, so a span ending at a segment's start stays in
     * the segment before it */
    if (off == 0)
        return n ? segs[0].src_off : 0;
    const dp_textseg *s = seg_at(segs, n, off - 1);
    if (!s)
        return off;
    uint64_t in = off - s->text_off;
    if (in >= s->text_len)
        return s->src_off + s->src_len;
    return s->text_len == s->src_len ? s->src_off + in : s->src_off + s->src_len;
}
