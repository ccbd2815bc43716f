/*
 * Regression tests for what the fuzz targets (tests/fuzz) and the hostile-input tests
 * found. Each test fails on the code before its fix.
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
#include <fcntl.h>
#include <sys/stat.h>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "doppel.h"
#include "model/modelfile.h"
#include "random_model.h"
#include "model/quant.h"
#include "sweep/corpus.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"
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
    const uint32_t embed_dim = 4;
    size_t len;
    void *img = model_image(random_model(embed_dim, 2, 3, 8, 5), DP_DTYPE_INT8, &len);

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
    dp_model *m = (dp_model *)img;
    assert_int_equal(dp_model_load_buffer(&m, img, len, &d), DOPPEL_ERR_CORRUPT);
    assert_null(m);
    assert_true(d.byte >= embed_off && d.byte < embed_off + embed_dim);
    assert_non_null(strstr(d.message, "'embed' has a non-finite value"));
    /* the same error where encoders read the table as int8 */
    doppel_diag d8;
    m = (dp_model *)img;
    assert_int_equal(dp_model_read_flags(&m, NULL, img, len, DP_MODEL_KEEP_INT8, &d8), DOPPEL_ERR_CORRUPT);
    assert_null(m);
    assert_int_equal(d8.byte, d.byte);
    assert_string_equal(d8.message, d.message);
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
/* Fuzzing found: a row whose largest value is near FLT_MAX quantized to a scale whose
 * 127 * scale rounds up to infinity, so a loaded-and-saved model no longer loaded. */
static void test_int8_row_near_float_max(void **state)
{
    (void)state;
    float x[3] = {FLT_MAX, -FLT_MAX * 0.5f, 1.0f}, back[3], scale;
    int8_t q[3];
    dp_int8_quantize(q, &scale, x, 1, 3);
    dp_int8_dequantize(back, q, &scale, 1, 3);
    for (int i = 0; i < 3; i++)
        assert_true(isfinite(back[i]));
    assert_int_equal(q[0], 127);
    assert_true(back[0] > FLT_MAX * 0.99f);
}

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

/* fuzz_index: an index without a model but with a model identity in its header was
 * read, and written back with identity 0 (so not the file it came from). Now the
 * header is corrupt. */
static void test_index_identity_without_model(void **state)
{
    (void)state;
    dp_sweep_opts o;
    dp_sweep_opts_default(&o);
    dp_index *ix;
    assert_int_equal(dp_index_create(&ix, NULL, 1, &o, NULL), DOPPEL_OK);
    const char text[] = "one two three four five six seven eight nine ten.";
    assert_int_equal(dp_index_add(ix, "a", text, sizeof text - 1, 0, NULL), DOPPEL_OK);
    uint8_t *img;
    size_t len;
    assert_int_equal(dp_index_write_buffer(ix, &img, &len), DOPPEL_OK);
    dp_index_free(ix);
    assert_int_equal(get_u32(img + 28), 0);
    assert_int_equal(dp_index_read(&ix, img, len, NULL, 0, 1, &o, NULL), DOPPEL_OK); /* as written: fine */
    dp_index_free(ix);
    img[29] = 0xcc;
    uint32_t crc = dp_crc32c(0, img, len - 4);
    for (int i = 0; i < 4; i++)
        img[len - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    doppel_diag d;
    assert_int_equal(dp_index_read(&ix, img, len, NULL, DP_INDEX_MODEL_OPTIONAL, 1, &o, &d), DOPPEL_ERR_CORRUPT);
    assert_null(ix);
    assert_int_equal(d.byte, 12);
    free(img);
}

/* fuzz_index (random seed; tests/fuzz/corpus/index/regress-68fd7742): an index listing a
 * skipped id twice was read (the second entry dropped), so it did not write back as the
 * file it came from. Now the file is corrupt. */
static void test_index_skipped_twice(void **state)
{
    (void)state;
    dp_sweep_opts o;
    dp_sweep_opts_default(&o);
    dp_index *ix;
    assert_int_equal(dp_index_create(&ix, NULL, 1, &o, NULL), DOPPEL_OK);
    assert_int_equal(dp_index_skip(ix, "PG", "PC"), DOPPEL_OK);
    assert_int_equal(dp_index_skip(ix, "PH", "PC"), DOPPEL_OK);
    uint8_t *img;
    size_t len;
    assert_int_equal(dp_index_write_buffer(ix, &img, &len), DOPPEL_OK);
    dp_index_free(ix);
    assert_int_equal(dp_index_read(&ix, img, len, NULL, 0, 1, &o, NULL), DOPPEL_OK);
    dp_index_free(ix);
    /* the records: u32 2 "PG" u32 2 "PC" u32 2 "PH" ...: the second id is at 64 + 12 + 4 */
    assert_memory_equal(img + 80, "PH", 2);
    img[81] = 'G';
    uint32_t crc = dp_crc32c(0, img, len - 4);
    for (int i = 0; i < 4; i++)
        img[len - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    doppel_diag d;
    assert_int_equal(dp_index_read(&ix, img, len, NULL, 0, 1, &o, &d), DOPPEL_ERR_CORRUPT);
    assert_null(ix);
    assert_non_null(strstr(d.message, "'PG' twice"));
    free(img);
}

/* --jsonl: a line longer than any document of --max-bytes could need is skipped as
 * FILE:LINE without being held whole (it was read whole with getline, so one huge
 * line took all of its size in memory); an id that is empty or holds a NUL (cut
 * short by every C string use) is a malformed line. */
static void test_jsonl_long_line_and_bad_ids(void **state)
{
    (void)state;
    char path[] = "/tmp/doppel-test-jsonl.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("{\"id\": \"long\", \"text\": \"", f);
    for (int i = 0; i < 70000; i++)
        fputc('x', f);
    fputs("\"}\n{\"id\": \"n\\u0000ul\", \"text\": \"t\"}\n{\"id\": \"\", \"text\": \"t\"}\n"
          "{\"id\": \"ok\", \"text\": \"fine\"}", f);
    fclose(f);

    dp_corpus_opts opts = {.max_bytes = 10}; /* lines up to 6 * 10 + 65536 bytes are parsed */
    dp_corpus *c;
    assert_int_equal(dp_corpus_create(&c, &opts), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_jsonl(c, path, NULL), DOPPEL_OK);
    const char *want[][2] = {
        {":1", "larger than 10 bytes (--max-bytes)"},
        {":2", "malformed line: \"id\" is empty or holds a NUL"},
        {":3", "malformed line: \"id\" is empty or holds a NUL"},
    };
    dp_corpus_item it = {0};
    char id[128];
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
        assert_int_equal(it.kind, DP_CORPUS_SKIPPED);
        snprintf(id, sizeof id, "%s%s", path, want[i][0]);
        assert_string_equal(it.id, id);
        assert_string_equal(it.reason, want[i][1]);
    }
    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
    assert_int_equal(it.kind, DP_CORPUS_DOC);
    assert_string_equal(it.id, "ok");
    assert_string_equal(it.bytes, "fine");
    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
    assert_int_equal(it.kind, DP_CORPUS_END);
    dp_corpus_free(c);
    unlink(path);
}

/* -o /dev/null (or any device or FIFO): the temporary file was renamed over it, so a
 * run as root replaced /dev/null itself with a regular file. Now a non-regular file is
 * written in place; here a FIFO with a reader gets the bytes and stays a FIFO. A
 * directory is refused before any work. */
static void test_atomic_output_to_fifo(void **state)
{
    (void)state;
    char dir[] = "/tmp/doppel-test-fifo.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/pipe", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    int rfd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rfd >= 0);
    dp_atomic_file af;
    assert_int_equal(dp_atomic_open(&af, path, NULL), DOPPEL_OK);
    fputs("report\n", af.f);
    assert_int_equal(dp_atomic_commit(&af, NULL), DOPPEL_OK);
    char got[16] = {0};
    assert_int_equal(read(rfd, got, sizeof got - 1), 7);
    assert_string_equal(got, "report\n");
    close(rfd);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    unlink(path);

    doppel_diag d;
    assert_int_equal(dp_atomic_open(&af, dir, &d), DOPPEL_ERR_IO);
    assert_string_equal(d.message, "cannot write output: Is a directory");
    assert_null(af.f);
    assert_int_equal(rmdir(dir), 0); /* no temporary file left in it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int8_subnormal_row),
        cmocka_unit_test(test_int8_scale_overflow),
        cmocka_unit_test(test_int8_row_near_float_max),
        cmocka_unit_test(test_tsv_label_beyond_float),
        cmocka_unit_test(test_index_identity_without_model),
        cmocka_unit_test(test_index_skipped_twice),
        cmocka_unit_test(test_jsonl_long_line_and_bad_ids),
        cmocka_unit_test(test_atomic_output_to_fifo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
