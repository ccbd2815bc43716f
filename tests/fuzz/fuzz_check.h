/*
 * What the fuzz targets share: an invariant check that aborts (so libFuzzer keeps the
 * input as a crash), the file image of a file reader's input and, for readers that only take a path, one scratch file per
 * process rewritten with each input.
 */
#ifndef DP_FUZZ_CHECK_H
#define DP_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "text/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);    \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/*
 * The file image of an input whose byte 0 is a mode: a copy of data[1..size) (size > 0),
 * *len bytes, to free. With mode bit 0 set and at least header + 4 bytes, the image's
 * 8-byte little-endian file-size field at size_at and its trailing CRC-32C are first made
 * to agree with it, so mutations reach past the checksum.
 */
uint8_t *fuzz_file_image(const uint8_t *data, size_t size, size_t header, size_t size_at, size_t *len);

/* The path of this process's scratch file, holding exactly data[0..size). */
const char *fuzz_scratch_file(const uint8_t *data, size_t size);

/* Every byte of s[0..len) is part of a valid UTF-8 sequence (NUL included). */
void fuzz_check_utf8(const char *s, size_t len);

/* t's offset map is non-decreasing, within the input of in_len bytes, and ends there. */
void fuzz_check_text(const dp_text *t, size_t in_len);

#endif
