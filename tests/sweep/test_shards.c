/* Sharded indexes (sweep/shards.h) without MPI: an index cut into shard files and a
 * manifest reads back as the index (the same file image), any part of it holds the
 * documents of that range and each skipped entry once over a partition, and a damaged
 * manifest or a shard changed behind it is refused with a message, never read. Corpus:
 * the committed demo class set (corpora/demo). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/readfile.h"
#include "random_model.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"
#include "sweep/shards.h"

enum { N = 12 };

static char *texts[N];
static size_t lens[N];
static char ids[N][8];
static dp_model *model;
static char dir[] = "/tmp/doppel-test-shards-XXXXXX";
static char path[4200];

static int setup(void **state)
{
    (void)state;
    const char *root = getenv("DOPPEL_SOURCE_ROOT");
    char p[4096];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "s%02d", i + 1);
        snprintf(p, sizeof p, "%s/corpora/demo/submissions/%s/essay.txt", root ? root : ".", ids[i]);
        if (dp_read_file(p, 1 << 20, &texts[i], &lens[i], NULL))
            return -1;
    }
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/ix.dpx", dir);
    model = random_model(16, 16, 32, 4096, 3);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++)
        free(texts[i]);
    dp_model_free(model);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* An index of documents [a, b) (each third one a skipped entry instead). */
static dp_index *make(int a, int b)
{
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    dp_index *ix;
    assert_int_equal(dp_index_create(&ix, model, 1, &so, NULL), DOPPEL_OK);
    for (int i = a; i < b; i++)
        assert_int_equal(i % 3 == 2 ? dp_index_skip(ix, ids[i], "unreadable")
                                    : dp_index_add(ix, ids[i], texts[i], lens[i], i == 4, NULL),
                         DOPPEL_OK);
    return ix;
}

static void image(const dp_index *ix, uint8_t **buf, size_t *len)
{
    assert_int_equal(dp_index_write_buffer(ix, buf, len), DOPPEL_OK);
}

/* Writes shards of [0,4), [4,4) (empty), [4,12) and their manifest at path. */
static void write_sharded(void)
{
    const int cut[] = {0, 4, 4, N};
    dp_shards m = {0};
    m.has_model = 1;
    m.model_id = dp_model_identity(model);
    m.generation = 1;
    m.n = 3;
    m.shard = calloc(3, sizeof *m.shard);
    for (size_t s = 0; s < 3; s++) {
        char name[64], *sp;
        snprintf(name, sizeof name, "ix.dpx.%zu", s);
        assert_non_null(m.shard[s].name = strdup(name));
        assert_non_null(sp = dp_shards_path(path, name));
        dp_index *ix = make(cut[s], cut[s + 1]);
        assert_int_equal(dp_shards_save(ix, sp, &m.shard[s], NULL), DOPPEL_OK);
        dp_index_free(ix);
        free(sp);
    }
    assert_int_equal(dp_shards_write(path, &m, NULL), DOPPEL_OK);
    dp_shards_free(&m);
}

static void test_whole(void **state)
{
    (void)state;
    write_sharded();
    dp_index_info info;
    assert_int_equal(dp_index_peek_any(path, &info, NULL), DOPPEL_OK);
    assert_int_equal(info.documents, 8);
    assert_int_equal(info.skipped, 4);
    assert_true(info.has_model);
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    dp_index *got, *want = make(0, N);
    assert_int_equal(dp_index_load_any(&got, path, model, 0, 1, &so, NULL), DOPPEL_OK);
    uint8_t *a, *b;
    size_t la, lb;
    image(got, &a, &la);
    image(want, &b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a), free(b);
    dp_index_free(got), dp_index_free(want);
}

/* Parts that partition [0, 8) hold every document once, in order, and every skipped
 * entry once (a shard's with the part holding its first document, or the tail). */
static void test_parts(void **state)
{
    (void)state;
    write_sharded();
    const uint64_t cuts[][4] = {{0, 3, 6, 8}, {0, 0, 8, 8}, {0, 4, 4, 8}, {0, 8, 8, 8}};
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        size_t docs = 0, skipped = 0;
        for (int p = 0; p < 3; p++) {
            dp_index *ix;
            uint64_t lo = cuts[c][p], hi = cuts[c][p + 1];
            assert_int_equal(dp_index_load_part(&ix, path, NULL, DP_INDEX_MODEL_OPTIONAL, 1, &so, lo, hi, p == 2, NULL),
                             DOPPEL_OK);
            const dp_sweep *sw = dp_index_sweep(ix);
            assert_int_equal(dp_sweep_count(sw), hi - lo);
            for (size_t i = 0; i < dp_sweep_count(sw); i++, docs++) {
                int want = (int)(docs + docs / 2); /* the documents are those not skipped */
                assert_string_equal(dp_sweep_doc_at(sw, i)->id, ids[want]);
            }
            skipped += dp_index_skipped_count(ix);
            dp_index_free(ix);
        }
        assert_int_equal(docs, 8);
        assert_int_equal(skipped, 4);
    }
}

static void corrupt_byte(const char *file, long at)
{
    FILE *f = fopen(file, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, at, at < 0 ? SEEK_END : SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, -1, SEEK_CUR), 0);
    fputc(c ^ 0x40, f);
    fclose(f);
}

static void test_refused(void **state)
{
    (void)state;
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    dp_index *ix;
    doppel_diag d;
    /* a shard replaced by another index file */
    write_sharded();
    char *s0 = dp_shards_path(path, "ix.dpx.0"), *s2 = dp_shards_path(path, "ix.dpx.2");
    dp_index *other = make(0, 5);
    assert_int_equal(dp_index_save(other, s0, NULL), DOPPEL_OK);
    dp_index_free(other);
    dp_diag_clear(&d);
    assert_int_equal(dp_index_load_any(&ix, path, model, 0, 1, &so, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "ix.dpx.0 is not the one the manifest names"));
    /* only the parts that read it fail */
    assert_int_equal(dp_index_load_part(&ix, path, model, 0, 1, &so, 5, 8, 1, NULL), DOPPEL_OK);
    dp_index_free(ix);
    /* a shard missing */
    write_sharded();
    unlink(s2);
    dp_diag_clear(&d);
    assert_int_equal(dp_index_load_any(&ix, path, model, 0, 1, &so, &d), DOPPEL_ERR_IO);
    assert_non_null(strstr(d.message, "shard ix.dpx.2"));
    /* the manifest damaged anywhere: its checksum */
    write_sharded();
    corrupt_byte(path, 30);
    dp_diag_clear(&d);
    assert_int_equal(dp_index_load_any(&ix, path, model, 0, 1, &so, &d), DOPPEL_ERR_MODEL_CHECKSUM);
    dp_index_info info;
    assert_int_equal(dp_index_peek_any(path, &info, NULL), DOPPEL_ERR_MODEL_CHECKSUM);
    /* another model than the one that built it */
    write_sharded();
    dp_model *m2 = random_model(16, 16, 32, 4096, 4);
    dp_diag_clear(&d);
    assert_int_equal(dp_index_load_any(&ix, path, m2, 0, 1, &so, &d), DOPPEL_ERR_MODEL_MISMATCH);
    dp_model_free(m2);
    /* not a manifest, not an index */
    FILE *f = fopen(path, "wb");
    fputs("DOPPELS\n", f);
    fclose(f);
    assert_int_equal(dp_index_load_any(&ix, path, model, 0, 1, &so, NULL), DOPPEL_ERR_MODEL_MAGIC);
    free(s0), free(s2);
}

/* Every cut of a valid manifest image is refused, never read past its end. */
static void test_truncated(void **state)
{
    (void)state;
    write_sharded();
    char *buf;
    size_t len;
    assert_int_equal(dp_read_file(path, 1 << 20, &buf, &len, NULL), DOPPEL_OK);
    dp_shards m;
    for (size_t n = 0; n < len; n++) {
        FILE *f = fopen(path, "wb");
        assert_int_equal(fwrite(buf, 1, n, f), n);
        fclose(f);
        assert_int_not_equal(dp_shards_read(path, &m, NULL), DOPPEL_OK);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_truncated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
