/* Writes test files: bytes into DIR/REL (include after <cmocka.h>; only the C library, so
 * the tests of the public API take it too). */
#ifndef DP_TEST_PUT_FILE_H
#define DP_TEST_PUT_FILE_H

#include <stdio.h>

static inline void put_file(const char *dir, const char *rel, const void *bytes, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

#endif
