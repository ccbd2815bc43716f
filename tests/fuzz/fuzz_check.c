#include "fuzz_check.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static char scratch_path[64];

static void remove_scratch(void) { unlink(scratch_path); }

const char *fuzz_scratch_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        snprintf(scratch_path, sizeof scratch_path, "/tmp/doppel-fuzz-%ld.XXXXXX", (long)getpid());
        fd = mkstemp(scratch_path);
        FUZZ_CHECK(fd >= 0);
        atexit(remove_scratch);
    }
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    for (size_t off = 0; off < size;) {
        ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);
        FUZZ_CHECK(w > 0);
        off += (size_t)w;
    }
    return scratch_path;
}

void fuzz_check_utf8(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t k = dp_utf8_decode((const uint8_t *)s + i, len - i, &cp);
        FUZZ_CHECK(k > 0);
        i += k;
    }
}

void fuzz_check_text(const dp_text *t, size_t in_len)
{
    FUZZ_CHECK(t->utf8 && t->utf8[t->len] == '\0');
    fuzz_check_utf8(t->utf8, t->len);
    FUZZ_CHECK(dp_text_orig(t, t->len) == in_len);
    for (size_t i = 0; i < t->len; i++)
        FUZZ_CHECK(dp_text_orig(t, i) <= dp_text_orig(t, i + 1));
    FUZZ_CHECK((t->invalid_count == 0) == (t->first_invalid == SIZE_MAX));
    FUZZ_CHECK(t->invalid_count == 0 || t->first_invalid < in_len);
}
