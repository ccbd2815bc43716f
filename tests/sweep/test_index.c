/* The index: a query equals the query document's pairs in a whole sweep, removing a
 * document equals never adding it, save → load changes nothing, damaged or foreign
 * files are refused, and sharded candidate blocks and thread counts agree. Corpus:
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

#include "core/checksum.h"
#include "core/readfile.h"
#include "doppel.h"
#include "model/modelfile.h"
#include "random_model.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"

enum { N = 40 };

static char *texts[N];
static size_t lens[N];
static char ids[N][8];
static char *tmpl;
static size_t tmpl_len;
static char model_path[] = "/tmp/doppel-test-index-model-XXXXXX";
static char model2_path[] = "/tmp/doppel-test-index-model2-XXXXXX";
static doppel_model *model, *model2;

static int write_model(char *path, uint64_t seed)
{
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.embed_dim = 16, cfg.hidden = 16, cfg.out_dim = 32, cfg.buckets = 4096;
    dp_model *m;
    int fd = mkstemp(path);
    if (fd < 0 || dp_model_alloc(&m, &cfg, NULL))
        return -1;
    close(fd);
    dp_model_init_random(m, seed);
    int rc = dp_model_save(m, path, DP_DTYPE_FP32, NULL, NULL);
    dp_model_free(m);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    const char *root = getenv("DOPPEL_SOURCE_ROOT");
    char path[4096];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "s%02d", i + 1);
        snprintf(path, sizeof path, "%s/corpora/demo/submissions/%s/essay.txt", root ? root : ".", ids[i]);
        if (dp_read_file(path, 1 << 20, &texts[i], &lens[i], NULL))
            return -1;
    }
    snprintf(path, sizeof path, "%s/corpora/demo/template.txt", root ? root : ".");
    if (dp_read_file(path, 1 << 20, &tmpl, &tmpl_len, NULL))
        return -1;
    if (write_model(model_path, 1) || write_model(model2_path, 2))
        return -1;
    if (doppel_model_load(&model, model_path, NULL) || doppel_model_load(&model2, model2_path, NULL))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++)
        free(texts[i]);
    free(tmpl);
    doppel_model_free(model), doppel_model_free(model2);
    unlink(model_path), unlink(model2_path);
    return 0;
}

/* An index of the demo documents with the template: all but `skip` (-1: none), with
 * `last` (-1: none) added last. */
static doppel_index *make_index(const doppel_model *m, const doppel_index_opts *o, int skip, int last)
{
    doppel_index *ix;
    assert_int_equal(doppel_index_create(&ix, m, 1, o, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add_template(ix, tmpl, tmpl_len, NULL), DOPPEL_OK);
    for (int i = 0; i < N; i++)
        if (i != skip && i != last)
            assert_int_equal(doppel_index_add(ix, ids[i], texts[i], lens[i], 0, NULL), DOPPEL_OK);
    if (last >= 0)
        assert_int_equal(doppel_index_add(ix, ids[last], texts[last], lens[last], 0, NULL), DOPPEL_OK);
    return ix;
}

typedef struct strbuf {
    char *s;
    size_t n, cap;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->n + (size_t)n + 1 > b->cap) {
        b->cap = 2 * (b->n + (size_t)n + 1);
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

/* Every pair of a report as text (all digits of every float); with q, only q's pairs,
 * shown with q as side a. Frees the report. */
static char *report_text(doppel_report *r, const char *q)
{
    strbuf b = {0};
    sb_printf(&b, "%s", "");
    const doppel_pair *p;
    while ((p = doppel_report_next(r))) {
        int swap = q && strcmp(p->b, q) == 0;
        if (q && !swap && strcmp(p->a, q) != 0)
            continue;
        sb_printf(&b, "%s %s %.9g %.9g %.9g:", swap ? p->b : p->a, swap ? p->a : p->b, p->score,
                  swap ? p->b_coverage : p->a_coverage, swap ? p->a_coverage : p->b_coverage);
        for (size_t i = 0; i < p->n_passages; i++) {
            const doppel_passage *x = &p->passages[i];
            sb_printf(&b, " [%llu %llu %llu %llu %.9g %d]", (unsigned long long)(swap ? x->b_start : x->a_start),
                      (unsigned long long)(swap ? x->b_end : x->a_end),
                      (unsigned long long)(swap ? x->a_start : x->b_start),
                      (unsigned long long)(swap ? x->a_end : x->b_end), x->score, x->kind);
        }
        sb_printf(&b, "\n");
    }
    const doppel_skipped *sk;
    while ((sk = doppel_report_next_skipped(r)))
        sb_printf(&b, "skipped %s %s\n", sk->id, sk->reason);
    doppel_report_free(r);
    return b.s;
}

static char *query_text(doppel_index *ix, int q)
{
    doppel_report *r;
    assert_int_equal(doppel_index_query(ix, ids[q], texts[q], lens[q], &r, NULL), DOPPEL_OK);
    return report_text(r, NULL);
}

static char *sweep_text(doppel_index *ix, const char *q)
{
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    return report_text(r, q);
}

/* A query equals its document's pairs in a sweep where it came last. */
static void check_query_matches_sweep(const doppel_model *m, const int *qs, size_t nq)
{
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    o.threshold = 0; /* every compared pair, not only the reported ones */
    for (size_t i = 0; i < nq; i++) {
        doppel_index *without = make_index(m, &o, qs[i], -1), *with = make_index(m, &o, -1, qs[i]);
        char *got = query_text(without, qs[i]), *want = sweep_text(with, ids[qs[i]]);
        assert_int_equal(strlen(want) > 0, 1);
        assert_string_equal(got, want);
        size_t lines = 0;
        for (const char *c = got; *c; c++)
            lines += *c == '\n';
        assert_int_equal(lines, N - 1); /* compared with every other document */
        free(got), free(want);
        doppel_index_free(without), doppel_index_free(with);
    }
}

static void test_query_matches_sweep_lexical(void **state)
{
    (void)state;
    const int qs[] = {28, 30, 16, 9}; /* s29 (verbatim), s31 (verbatim), s17 (edited, template), s10 (template) */
    check_query_matches_sweep(NULL, qs, 4);
}

static void test_query_matches_sweep_model(void **state)
{
    (void)state;
    const int qs[] = {8, 38}; /* s09 (paraphrase), s39 (verbatim) */
    check_query_matches_sweep(model, qs, 2);
}

/* Beyond all_pairs_limit a query aligns only candidates (rare k-gram postings, nearest
 * document vectors): fewer comparisons, the same verbatim partners, the same passages. */
static void test_query_candidates(void **state)
{
    (void)state;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    doppel_index *all = make_index(NULL, &o, 28, -1);
    char *want = query_text(all, 28);
    o.all_pairs_limit = 0;
    assert_int_equal(doppel_index_set_opts(all, &o, NULL), DOPPEL_OK);
    doppel_report *r;
    assert_int_equal(doppel_index_query(all, ids[28], texts[28], lens[28], &r, NULL), DOPPEL_OK);
    doppel_summary sum;
    doppel_report_summary(r, &sum);
    assert_true(sum.pairs_compared < N - 1);
    assert_int_equal(sum.documents, N - 1);
    char *got = report_text(r, NULL);
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "s29 s12 "));
    assert_non_null(strstr(got, "s29 s39 "));
    free(got), free(want);
    doppel_index_free(all);
}

static void test_remove_and_skipped(void **state)
{
    (void)state;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    doppel_index *full = make_index(NULL, &o, -1, -1), *without = make_index(NULL, &o, 11, -1);
    assert_int_equal(doppel_index_count(full), N);
    assert_int_equal(doppel_index_remove(full, "s12", NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_remove(full, "s12", NULL), DOPPEL_ERR_NOT_FOUND);
    assert_int_equal(doppel_index_count(full), N - 1);
    char *a = sweep_text(full, NULL), *b = sweep_text(without, NULL);
    assert_string_equal(a, b);
    assert_null(strstr(a, "s12"));
    free(a), free(b);

    /* ids are unique; a document without words is skipped and listed until removed */
    doppel_diag d;
    assert_int_equal(doppel_index_add(full, "s01", texts[0], lens[0], 0, &d), DOPPEL_ERR_INVALID);
    assert_int_equal(doppel_index_add(full, "blank", " \n ... \n", 8, 0, &d), DOPPEL_ERR_EMPTY);
    assert_int_equal(doppel_index_add_skipped(full, "blob.bin", "binary", NULL), DOPPEL_OK);
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(full, &r, NULL), DOPPEL_OK);
    doppel_summary sum;
    doppel_report_summary(r, &sum);
    assert_int_equal(sum.skipped, 2);
    assert_int_equal(sum.documents, N - 1);
    assert_int_equal(sum.pairs_compared, (N - 1) * (N - 2) / 2);
    char *t = report_text(r, NULL);
    assert_non_null(strstr(t, "skipped blank no words in the text\nskipped blob.bin binary\n"));
    free(t);
    assert_int_equal(doppel_index_remove(full, "blank", NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_sweep(full, &r, NULL), DOPPEL_OK);
    doppel_report_summary(r, &sum);
    assert_int_equal(sum.skipped, 1);
    doppel_report_free(r);
    doppel_index_free(full), doppel_index_free(without);
}

static char *temp_path(void)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/doppel-test-index-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void check_roundtrip(const doppel_model *m)
{
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    doppel_index *ix = make_index(m, &o, 8, -1);
    assert_int_equal(doppel_index_add(ix, "ref", texts[8], lens[8] / 2, 1, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add_skipped(ix, "gone.txt", "unreadable", NULL), DOPPEL_OK);
    const char *path = temp_path();
    assert_int_equal(doppel_index_save(ix, path, NULL), DOPPEL_OK);
    doppel_index *back;
    doppel_diag d;
    assert_int_equal(doppel_index_load(&back, path, m, 2, &o, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_count(back), N);
    const int qs[] = {8, 28};
    for (size_t i = 0; i < 2; i++) {
        char *a = query_text(ix, qs[i]), *b = query_text(back, qs[i]);
        assert_string_equal(a, b);
        free(a), free(b);
    }
    char *a = sweep_text(ix, NULL), *b = sweep_text(back, NULL);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "skipped gone.txt unreadable\n"));
    free(a), free(b);
    /* and the file of the loaded index is the same file */
    const char *path2 = "/tmp/doppel-test-index-copy.dpx";
    assert_int_equal(doppel_index_save(back, path2, NULL), DOPPEL_OK);
    char *x, *y;
    size_t nx, ny;
    assert_int_equal(dp_read_file(path, 1 << 28, &x, &nx, NULL), DOPPEL_OK);
    assert_int_equal(dp_read_file(path2, 1 << 28, &y, &ny, NULL), DOPPEL_OK);
    assert_int_equal(nx, ny);
    assert_memory_equal(x, y, nx);
    free(x), free(y);
    unlink(path), unlink(path2);
    doppel_index_free(ix), doppel_index_free(back);
}

static void test_roundtrip_lexical(void **state)
{
    (void)state;
    check_roundtrip(NULL);
}

static void test_roundtrip_model(void **state)
{
    (void)state;
    check_roundtrip(model);
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void fix_crc(uint8_t *buf, size_t len) { put_le(buf + len - 4, dp_crc32c(0, buf, len - 4), 4); }

static int read_image(const uint8_t *buf, size_t len, const dp_model *m)
{
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    dp_index *ix = NULL;
    doppel_diag d;
    int rc = dp_index_read(&ix, buf, len, m, 0, 1, &so, &d);
    dp_index_free(ix);
    return rc;
}

/* Each document's text checksum, source and extraction mark are saved and read back. */
static void test_origin_kept(void **state)
{
    (void)state;
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    dp_index *ix, *back;
    assert_int_equal(dp_index_create(&ix, NULL, 1, &so, NULL), DOPPEL_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(dp_index_add(ix, ids[i], texts[i], lens[i] / 4, 0, NULL), DOPPEL_OK);
    assert_int_equal(dp_sweep_set_origin(dp_index_sweep(ix), 1, "../essays/s02.docx", 1), DOPPEL_OK);
    uint8_t *img;
    size_t len;
    assert_int_equal(dp_index_write_buffer(ix, &img, &len), DOPPEL_OK);
    assert_int_equal(img[8], DP_INDEXFILE_VERSION);
    assert_int_equal(dp_index_read(&back, img, len, NULL, 0, 1, &so, NULL), DOPPEL_OK);
    for (int i = 0; i < 2; i++) {
        const dp_sweep_doc *d = dp_sweep_doc_at(dp_index_sweep(back), (size_t)i);
        assert_int_equal(d->has_sum, 1);
        assert_int_equal(d->text_crc, dp_crc32c(0, texts[i], lens[i] / 4));
        assert_int_equal(d->text_len, lens[i] / 4);
        assert_int_equal(d->extracted, i == 1);
        if (i == 0)
            assert_null(d->source);
        else
            assert_string_equal(d->source, "../essays/s02.docx");
    }
    free(img);
    dp_index_free(ix), dp_index_free(back);
}

static void test_damaged_and_foreign(void **state)
{
    (void)state;
    dp_model *m1, *m2;
    assert_int_equal(dp_model_load(&m1, model_path, NULL), DOPPEL_OK);
    assert_int_equal(dp_model_load(&m2, model2_path, NULL), DOPPEL_OK);
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    dp_index *ix;
    assert_int_equal(dp_index_create(&ix, m1, 1, &so, NULL), DOPPEL_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(dp_index_add(ix, ids[i], texts[i], lens[i] / 4, 0, NULL), DOPPEL_OK);
    uint8_t *img;
    size_t len;
    assert_int_equal(dp_index_write_buffer(ix, &img, &len), DOPPEL_OK);
    dp_index_free(ix);
    assert_int_equal(read_image(img, len, m1), DOPPEL_OK);

    /* another model, or none, is refused by name */
    assert_int_equal(read_image(img, len, m2), DOPPEL_ERR_MODEL_MISMATCH);
    assert_int_equal(read_image(img, len, NULL), DOPPEL_ERR_MODEL_MISMATCH);

    /* without its model, a model-built index loads for sweeping and saving only, and
     * writes back the same bytes (identity kept) */
    dp_index *un;
    assert_int_equal(dp_index_read(&un, img, len, NULL, DP_INDEX_MODEL_OPTIONAL, 1, &so, NULL), DOPPEL_OK);
    assert_int_equal(dp_index_add(un, "new", texts[5], lens[5], 0, NULL), DOPPEL_ERR_MODEL_MISMATCH);
    assert_int_equal(dp_index_skipped_count(un), 0);
    uint8_t *img2;
    size_t len2;
    assert_int_equal(dp_index_write_buffer(un, &img2, &len2), DOPPEL_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(img2, img, len);
    free(img2);
    dp_index_free(un);

    /* every truncation fails */
    for (size_t n = 0; n < len; n += n < 128 ? 1 : 37)
        assert_int_not_equal(read_image(img, n, m1), DOPPEL_OK);
    assert_int_equal(read_image(img, len - 1, m1), DOPPEL_ERR_TRUNCATED);
    /* every flipped byte fails (the checksum, or the header before it) */
    uint8_t *bad = malloc(len);
    for (size_t i = 0; i < len; i += i < 128 ? 1 : 29) {
        memcpy(bad, img, len);
        bad[i] ^= 0x20;
        assert_int_not_equal(read_image(bad, len, m1), DOPPEL_OK);
    }
    memcpy(bad, img, len);
    bad[len / 2] ^= 1;
    assert_int_equal(read_image(bad, len, m1), DOPPEL_ERR_MODEL_CHECKSUM);
    memcpy(bad, img, len);
    bad[0] = 'X';
    assert_int_equal(read_image(bad, len, m1), DOPPEL_ERR_MODEL_MAGIC);
    memcpy(bad, img, len);
    put_le(bad + 8, 1, 4); /* a version 1 file (fp16 vectors, 64-bit word hashes) */
    assert_int_equal(read_image(bad, len, m1), DOPPEL_ERR_MODEL_VERSION);
    put_le(bad + 8, DP_INDEXFILE_VERSION + 1, 4); /* a version from the future */
    assert_int_equal(read_image(bad, len, m1), DOPPEL_ERR_MODEL_VERSION);
    put_le(bad + 8, 1, 4);
    assert_int_equal(read_image(bad, len, m1), DOPPEL_ERR_MODEL_VERSION);
    {   /* an older layout is refused with how to rebuild it */
        dp_index *old = NULL;
        doppel_diag d;
        assert_int_equal(dp_index_read(&old, bad, len, m1, 0, 1, &so, &d), DOPPEL_ERR_MODEL_VERSION);
        assert_null(old);
        assert_non_null(strstr(d.message, "rebuild it"));
        assert_non_null(strstr(d.message, "doppel index create"));
    }

    /* damage behind a valid checksum: caught by the structure checks */
    /* id "s01", reference flag, text flags, checksum, text length, no source */
    size_t doc0 = 64, sum_at = doc0 + 4 + 3 + 1, words_at = sum_at + 13 + 4;
    const size_t pokes[][3] = {
        {sum_at, 1, 4},                      /* an unknown text flag */
        {sum_at, 1, 0},                      /* no checksum, but a checksum value */
        {sum_at + 13, 4, 1u << 30},          /* source length */
        {words_at, 8, (size_t)1 << 60},      /* word count beyond the file */
        {words_at + 8, 8, 0},                /* no sentences */
        {40, 8, 1000000},                    /* more documents than bytes */
        {40, 8, 2},                          /* fewer documents: bytes left over */
        {doc0, 4, 1u << 30},                 /* id length */
        {doc0 + 7, 1, 2},                    /* reference flag */
        {24, 4, 31},                         /* vector dimension */
    };
    for (size_t p = 0; p < sizeof pokes / sizeof pokes[0]; p++) {
        memcpy(bad, img, len);
        put_le(bad + pokes[p][0], pokes[p][2], pokes[p][1]);
        fix_crc(bad, len);
        int rc = read_image(bad, len, m1);
        assert_true(rc == DOPPEL_ERR_CORRUPT || rc == DOPPEL_ERR_MODEL_MISMATCH);
    }
    /* a sentence whose first word is not where the previous one ended, an infinite
     * document vector value */
    uint64_t nw = 0;
    for (int i = 7; i >= 0; i--)
        nw = nw << 8 | img[words_at + i];
    size_t first_word_at = words_at + 16 + 5 * nw + 20;
    memcpy(bad, img, len);
    put_le(bad + first_word_at, 999999, 4);
    fix_crc(bad, len);
    assert_int_equal(read_image(bad, len, m1), DOPPEL_ERR_CORRUPT);
    memcpy(bad, img, len);
    put_le(bad + len - 4 - 4, 0x7F800000, 4); /* last document vector value: +inf */
    fix_crc(bad, len);
    assert_int_equal(read_image(bad, len, m1), DOPPEL_ERR_CORRUPT);
    free(bad), free(img);
    dp_model_free(m1), dp_model_free(m2);
}

/* One candidate sweep (all_pairs_limit 0) as text, with `shards` x `shards` blocks and
 * `threads` encoder and alignment workers. */
typedef struct collected {
    strbuf b;
} collected;

static int on_pair(void *ctx, const dp_pair_result *p, uint32_t a, uint32_t b)
{
    collected *c = ctx;
    sb_printf(&c->b, "%u %u %.9g %zu\n", a, b, p->score, p->n_passages);
    return 0;
}

static char *sharded_sweep(const dp_model *m, int threads, uint32_t shards, size_t *compared)
{
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    so.all_pairs_limit = 0, so.shards = shards, so.top_k = 3;
    so.threads = (uint32_t)threads; /* encoder and alignment workers */
    so.threshold = 0.0f; /* every compared pair, with its score */
    dp_index *ix;
    assert_int_equal(dp_index_create(&ix, m, threads, &so, NULL), DOPPEL_OK);
    for (int i = 0; i < N; i++)
        assert_int_equal(dp_index_add(ix, ids[i], texts[i], lens[i], i >= 30, NULL), DOPPEL_OK);
    collected c = {{0}};
    sb_printf(&c.b, "%s", "");
    dp_sweep_stats st;
    assert_int_equal(dp_sweep_run(dp_index_sweep(ix), on_pair, NULL, &c, &st), DOPPEL_OK);
    *compared = st.pairs_compared;
    dp_index_free(ix);
    return c.b.s;
}

static void test_shards_and_threads(void **state)
{
    (void)state;
    dp_model *m;
    assert_int_equal(dp_model_load(&m, model_path, NULL), DOPPEL_OK);
    size_t c1, c2, c3;
    char *one = sharded_sweep(m, 1, 1, &c1), *two = sharded_sweep(m, 1, 2, &c2), *two_t = sharded_sweep(m, 2, 2, &c3);
    assert_string_equal(one, two);
    assert_string_equal(one, two_t);
    assert_int_equal(c1, c2);
    assert_int_equal(c1, c3);
    assert_true(c1 > 0 && c1 < 30 * 29 / 2 + 30 * 10); /* candidates, not every pair */
    free(one), free(two), free(two_t);
    dp_model_free(m);
}

/* An int8 model has one identity whether its table was dequantized or kept as int8 (index
 * files built either way name the same model); both an even and an odd number of table
 * values (the pairs of the hash then straddle the table's end). */
static void test_identity_int8_kept(void **state)
{
    (void)state;
    const uint32_t shapes[2][2] = {{64, 8}, {7, 3}}; /* buckets, embed_dim */
    for (int s = 0; s < 2; s++) {
        size_t len;
        void *img = model_image(random_model(shapes[s][1], 3, 5, shapes[s][0], 11), DP_DTYPE_INT8, &len);
        dp_model *f32, *q8;
        assert_int_equal(dp_model_read(&f32, NULL, img, len, NULL), DOPPEL_OK);
        assert_int_equal(dp_model_read_flags(&q8, NULL, img, len, DP_MODEL_KEEP_INT8, NULL), DOPPEL_OK);
        assert_null(q8->p.embed);
        assert_int_equal(dp_model_identity(f32), dp_model_identity(q8));
        q8->q8.q[shapes[s][0] * shapes[s][1] - 1] ^= 1; /* the last table value counts */
        assert_int_not_equal(dp_model_identity(f32), dp_model_identity(q8));
        dp_model_free(f32), dp_model_free(q8);
        free(img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_matches_sweep_lexical),
        cmocka_unit_test(test_query_matches_sweep_model),
        cmocka_unit_test(test_query_candidates),
        cmocka_unit_test(test_remove_and_skipped),
        cmocka_unit_test(test_roundtrip_lexical),
        cmocka_unit_test(test_roundtrip_model),
        cmocka_unit_test(test_origin_kept),
        cmocka_unit_test(test_damaged_and_foreign),
        cmocka_unit_test(test_identity_int8_kept),
        cmocka_unit_test(test_shards_and_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
