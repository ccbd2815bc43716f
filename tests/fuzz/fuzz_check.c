#include "fuzz_check.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "core/checksum.h"
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

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint8_t *fuzz_file_image(const uint8_t *data, size_t size, size_t header, size_t size_at, size_t *len)
{
    size_t n = size - 1;
    uint8_t *buf = malloc(n ? n : 1);
    FUZZ_CHECK(buf);
    memcpy(buf, data + 1, n);
    if ((data[0] & 1) && n >= header + 4) {
        put_le(buf + size_at, n, 8);
        put_le(buf + n - 4, dp_crc32c(0, buf, n - 4), 4);
    }
    *len = n;
    return buf;
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
