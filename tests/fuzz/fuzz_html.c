/*
 * Target: the HTML reader (src/io/html.c, libxml2's HTML parser) and its offset map.
 * Checked: the text is NUL-terminated valid UTF-8; the segments cover the text in
 * order without gaps, and point into the input in non-decreasing order; every text
 * offset maps into the input, and starts never pass the ends of later offsets.
 */
#include <stdlib.h>

#include "doppel.h"
#include "fuzz_check.h"
#include "io/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *why;
    dp_textbuf b = {.mapping = true};
    int rc = dp_html_extract((const char *)data, size, &b, &why);
    if (rc != DOPPEL_OK) {
        FUZZ_CHECK(rc == DOPPEL_ERR_NOMEM || (why && *why));
        free(why);
        dp_textbuf_free(&b);
        return 0;
    }
    FUZZ_CHECK(b.len == 0 || b.text[b.len] == '\0');
    fuzz_check_utf8(b.text, b.len);
    uint64_t t = 0, src = 0;
    for (size_t i = 0; i < b.n_segs; i++) {
        const dp_textseg *s = &b.segs[i];
        FUZZ_CHECK(s->text_off == t && s->text_len > 0);
        FUZZ_CHECK(s->src_off >= src && s->src_off + s->src_len <= size);
        t += s->text_len;
        src = s->src_off;
    }
    FUZZ_CHECK(t == b.len);
    for (uint64_t off = 0; off <= b.len; off++) {
        uint64_t st = dp_textmap_start(b.segs, b.n_segs, off), en = dp_textmap_end(b.segs, b.n_segs, off);
        FUZZ_CHECK(st <= size && en <= size);
        if (off < b.len)
            FUZZ_CHECK(st <= dp_textmap_end(b.segs, b.n_segs, off + 1));
    }
    dp_textbuf_free(&b);
    return 0;
}
