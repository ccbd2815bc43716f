/*
 * Target: the .docx and .odt readers (src/io/office.c: libzip, then libxml2 on the
 * members). The input is the file; both readers read it. Checked: success gives
 * NUL-terminated valid UTF-8 (libxml2 hands out UTF-8) and no reason; failure other
 * than out-of-memory gives a reason and no text.
 */
#include <stdlib.h>
#include <string.h>

#include "doppel.h"
#include "fuzz_check.h"
#include "io/office.h"

static void check(int rc, dp_textbuf *b, char *why)
{
    if (rc == DOPPEL_OK) {
        FUZZ_CHECK(why == NULL);
        FUZZ_CHECK(b->len == 0 || (b->text && b->text[b->len] == '\0'));
        fuzz_check_utf8(b->text, b->len);
    } else if (rc != DOPPEL_ERR_NOMEM) {
        FUZZ_CHECK(why && *why);
    }
    free(why);
    dp_textbuf_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *why;
    dp_textbuf b = {0};
    int rc = dp_docx_extract((const char *)data, size, &b, &why);
    check(rc, &b, why);
    rc = dp_odt_extract((const char *)data, size, &b, &why);
    check(rc, &b, why);
    return 0;
}
