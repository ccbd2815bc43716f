/*
 * Target: the sharded index's manifest reader (sweep/shards.h) over any bytes. Byte 0
 * is a mode: with bit 0 set the harness first makes the trailing CRC-32C agree with the
 * data, so mutations reach the header and the shard records instead of stopping at the
 * checksum. The rest is the manifest's bytes.
 * Checked: an error leaves an empty manifest and a diag with the code and a byte inside
 * the input; a manifest read names 1 .. DP_SHARDS_MAX shards, each a file beside the
 * manifest (no '/', not "." or ".."), and written back is byte for byte its input (the
 * format has one spelling of each manifest).
 */
#include <stdlib.h>
#include <string.h>

#include "core/checksum.h"
#include "fuzz_check.h"
#include "sweep/shards.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t len = size - 1;
    uint8_t *buf = malloc(len ? len : 1);
    FUZZ_CHECK(buf);
    if (len)
        memcpy(buf, data + 1, len);
    if ((data[0] & 1) && len >= 4) {
        uint32_t crc = dp_crc32c(0, buf, len - 4);
        for (int i = 0; i < 4; i++)
            buf[len - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    }
    dp_shards m;
    doppel_diag d;
    int rc = dp_shards_parse(buf, len, &m, &d);
    if (rc != DOPPEL_OK) {
        FUZZ_CHECK(m.shard == NULL && m.n == 0 && d.code == rc && rc > DOPPEL_OK && rc < DOPPEL_ERR_COUNT_);
        FUZZ_CHECK(d.byte == UINT64_MAX || d.byte <= len);
        free(buf);
        return 0;
    }
    FUZZ_CHECK(m.n >= 1 && m.n <= DP_SHARDS_MAX && m.shard);
    for (size_t s = 0; s < m.n; s++) {
        const char *name = m.shard[s].name;
        FUZZ_CHECK(name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, ".."));
        char *path = dp_shards_path("dir/INDEX", name);
        FUZZ_CHECK(path && strncmp(path, "dir/", 4) == 0 && strcmp(path + 4, name) == 0);
        free(path);
    }
    uint8_t *img;
    size_t img_len;
    FUZZ_CHECK(dp_shards_image(&m, &img, &img_len) == DOPPEL_OK);
    FUZZ_CHECK(img_len == len && memcmp(img, buf, len) == 0);
    free(img);
    dp_shards_free(&m);
    free(buf);
    return 0;
}
