/*
 * Regression tests for what the fuzz targets (tests/fuzz) found. Each test fails on
 * the code before its fix.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/checksum.h"
#include "doppel.h"
#include "model/modelfile.h"
#include "model/quant.h"
#include "train/dataset.h"

/* fuzz_modelfile: a row whose largest value is subnormal made 127 / max infinite, and
 * the int8 codes of the row's other values came out of NaN (UB) or saturated. */
static void test_int8_subnormal_row(void **state)
{
    (void)state;
    const float x[3] = {ldexpf(7.0f, -149), ldexpf(-3.0f, -149), 0.0f};
    int8_t q[3];
    float scale;
    dp_int8_quantize(q, &scale, x, 1, 3);
    assert_int_equal(q[0], 127);
    assert_int_equal(q[1], -54); /* round(-3/7 * 127) = round(-54.43) */
    assert_int_equal(q[2], 0);
}

static uint32_t get_u32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t get_u64(const uint8_t *p) { return get_u32(p) | (uint64_t)get_u32(p + 4) << 32; }

/* fuzz_modelfile: finite int8 scales whose product with a code overflows were read as a
 * model with infinite weights (which then broke every later use). Now a corrupt-file error. */
static void test_int8_scale_overflow(void **state)
{
    (void)state;
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.buckets = 8, cfg.embed_dim = 4, cfg.hidden = 2, cfg.out_dim = 3;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    dp_model_init_random(m, 5);
    void *img;
    size_t len;
    assert_int_equal(dp_model_save_buffer(m, DP_DTYPE_INT8, NULL, &img, &len, NULL), DOPPEL_OK);
    dp_model_free(m);

    uint8_t *b = img;
    uint32_t count = get_u32(b + 60);
    uint64_t table = get_u64(b + 64), embed_off = 0, scale_off = 0;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = b + table + (uint64_t)i * DP_MODELFILE_ENTRY_SIZE;
        if (strcmp((const char *)e, "embed") == 0)
            embed_off = get_u64(e + 48);
        if (strcmp((const char *)e, "embed.scale") == 0)
            scale_off = get_u64(e + 48);
    }
    assert_true(embed_off > 0 && scale_off > 0);
    const float big = FLT_MAX; /* row 0's scale: its code of +-127 overflows */
    memcpy(b + scale_off, &big, 4); /* the host is little-endian like the file (x86, arm64) */
    uint32_t crc = dp_crc32c(0, b, len - 4);
    for (int i = 0; i < 4; i++)
        b[len - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));

    doppel_diag d;
    m = (dp_model *)img;
    assert_int_equal(dp_model_load_buffer(&m, img, len, &d), DOPPEL_ERR_CORRUPT);
    assert_null(m);
    assert_true(d.byte >= embed_off && d.byte < embed_off + cfg.embed_dim);
    assert_non_null(strstr(d.message, "'embed' has a non-finite value"));
    free(img);
}

typedef struct {
    int n;
    uint64_t line;
    char message[128];
} warn_log;

static void on_warn(void *ctx, uint64_t line, const char *message)
{
    warn_log *w = ctx;
    w->n++;
    w->line = line;
    snprintf(w->message, sizeof w->message, "%s", message);
}

/* fuzz_tsv: a label finite as a double but not as a float became +inf, and every
 * normalised label of the file NaN. Now the line is skipped as out of range. */
static void test_tsv_label_beyond_float(void **state)
{
    (void)state;
    char path[] = "/tmp/doppel-test-tsv.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "a\tb\t0.5\nc\td\t1e300\ne\tf\t2\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);

    dp_dataset ds;
    dp_dataset_init(&ds);
    warn_log w = {0, 0, ""};
    dp_data_counts c;
    assert_int_equal(dp_dataset_read(&ds, path, DP_DATA_TSV, on_warn, &w, &c, NULL), DOPPEL_OK);
    unlink(path);
    assert_int_equal(c.pairs, 2);
    assert_int_equal(c.skipped, 1);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.line, 2);
    assert_string_equal(w.message, "tsv: label out of range, line skipped");
    assert_float_equal(dp_pair_norm_label(&ds, &ds.pairs[0]), 0.25, 1e-7);
    assert_float_equal(dp_pair_norm_label(&ds, &ds.pairs[1]), 1.0, 1e-7);
    dp_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int8_subnormal_row),
        cmocka_unit_test(test_int8_scale_overflow),
        cmocka_unit_test(test_tsv_label_beyond_float),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
