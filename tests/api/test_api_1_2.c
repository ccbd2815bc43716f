/*
 * What API 1.2 adds: doppel_report_write in every format (size-tagged options made by
 * doppel_write_opts_init, which writes no more bytes than it is given),
 * doppel_index_doc_invalid, doppel_index_peek, doppel_index_load_unencoded and
 * doppel_index_set_doc_origin. Only
 * <doppel.h>, shared library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <doppel.h>

static const char orig[] = "The committee met on Tuesday to discuss the budget. It decided that the new library "
                           "would be built on the old railway land north of the river before the next winter.";
static const char copy[] = "My essay is short. It decided that the new library would be built on the old railway "
                           "land north of the river before the next winter. That is all.";

/* An index of the two texts, lexical, every pair reported. */
static doppel_index *two_texts(void)
{
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    o.threshold = 0;
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add(ix, "orig", orig, sizeof orig - 1, 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add(ix, "copy", copy, sizeof copy - 1, 0, NULL), DOPPEL_OK);
    return ix;
}

/* The report of the two texts written with opts, as a malloc'd string. */
static char *written(const doppel_write_opts *opts, int want)
{
    doppel_index *ix = two_texts();
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    doppel_diag d;
    assert_int_equal(doppel_report_write(r, opts, f, &d), want);
    fclose(f);
    doppel_report_free(r);
    doppel_index_free(ix);
    return buf;
}

static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    (void)why;
    (void)ctx;
    const char *t = strcmp(id, "orig") == 0 ? orig : copy;
    *len = strlen(t);
    *bytes = strdup(t);
    return *bytes ? 0 : 1;
}

static void test_formats(void **state)
{
    (void)state;
    doppel_write_opts o;
    doppel_write_opts_init(&o, sizeof o);
    assert_int_equal(o.size, sizeof o);
    assert_int_equal(o.format, DOPPEL_FORMAT_JSONL);
    /* JSONL: the 1.1 call's output, but the wall time */
    char *j = written(&o, DOPPEL_OK);
    assert_non_null(strstr(j, "{\"type\":\"pair\",\"a\":\"orig\",\"b\":\"copy\""));
    assert_non_null(strstr(j, "\"type\":\"summary\",\"documents\":2,"));
    free(j);
    assert_true(o.seconds < 0);
    o.seconds = 2.5; /* the caller's time in the summary */
    j = written(&o, DOPPEL_OK);
    assert_non_null(strstr(j, "\"seconds\":2.5,"));
    free(j);
    o.format = DOPPEL_FORMAT_CSV;
    char *c = written(&o, DOPPEL_OK);
    assert_int_equal(strncmp(c, "a,b,score,passages,a_coverage,b_coverage\r\norig,copy,", 52), 0);
    free(c);
    o.format = DOPPEL_FORMAT_TABLE;
    o.columns = 100;
    char *t = written(&o, DOPPEL_OK);
    assert_non_null(strstr(t, "copy"));
    assert_null(strstr(t, "{\"type\""));
    free(t);
    o.format = DOPPEL_FORMAT_HTML;
    o.title = "two texts";
    o.text = text_of;
    char *h = written(&o, DOPPEL_OK);
    assert_non_null(strstr(h, "<title>two texts</title>"));
    assert_non_null(strstr(h, "railway land"));    /* the panes hold the texts */
    free(h);
    o.format = 99;
    doppel_index *ix = two_texts();
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    doppel_diag d;
    assert_int_equal(doppel_report_write(r, &o, stdout, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "format"));
    doppel_report_free(r);
    doppel_index_free(ix);
}

/* A caller of an older, shorter struct: init writes its bytes only; the library reads the
 * fields it covers (a struct holding only the format gets the defaults for the rest). A
 * newer, longer struct: refused when it sets what this library does not know. */
static void test_write_opts_size_tag(void **state)
{
    (void)state;
    unsigned char buf[sizeof(doppel_write_opts) + 16];
    memset(buf, 0xA5, sizeof buf);
    size_t part = offsetof(doppel_write_opts, title);
    doppel_write_opts_init((doppel_write_opts *)(void *)buf, part);
    for (size_t i = part; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xA5);
    doppel_write_opts o;
    memcpy(&o, buf, part);
    assert_int_equal(o.size, part);
    o.format = DOPPEL_FORMAT_CSV;
    memset((unsigned char *)&o + part, 0xA5, sizeof o - part); /* not read */
    char *c = written(&o, DOPPEL_OK);
    assert_int_equal(strncmp(c, "a,b,score", 9), 0);
    free(c);

    struct {
        doppel_write_opts v;
        uint64_t future;
    } newer;
    doppel_write_opts_init(&newer.v, sizeof newer);
    assert_int_equal(newer.v.size, sizeof newer);
    assert_int_equal(newer.future, 0); /* zeroed: the caller's bytes past the library's */
    free(written(&newer.v, DOPPEL_OK));
    newer.future = 1;
    free(written(&newer.v, DOPPEL_ERR_INVALID));
    o.size = 4;
    free(written(&o, DOPPEL_ERR_INVALID));
}

/* doppel_index_opts_init writes the caller's bytes only (an older, shorter struct keeps
 * what lies past it; a newer, longer one is zeroed there), and doppel_index_opts_default
 * writes 1.0's struct, whatever size this library's has. */
static void test_index_opts_init(void **state)
{
    (void)state;
    unsigned char buf[sizeof(doppel_index_opts) + 16];
    memset(buf, 0xA5, sizeof buf);
    size_t part = offsetof(doppel_index_opts, threshold);
    doppel_index_opts_init((doppel_index_opts *)(void *)buf, part);
    for (size_t i = part; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xA5);
    doppel_index_opts o;
    memcpy(&o, buf, part);
    assert_int_equal(o.size, part);
    assert_int_equal(o.kgram, 6);
    doppel_index *ix;
    doppel_diag d;
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, &d), DOPPEL_OK);
    doppel_index_free(ix);

    struct {
        doppel_index_opts v;
        uint64_t future;
    } newer;
    memset(&newer, 0xA5, sizeof newer);
    doppel_index_opts_init(&newer.v, sizeof newer);
    assert_int_equal(newer.v.size, sizeof newer);
    assert_int_equal(newer.future, 0);
    assert_int_equal(newer.v.max_docs, 10);

    /* 1.0's layout ends at sentence_threshold, padded as the struct is */
    size_t v1_0 = offsetof(doppel_index_opts, sentence_threshold) + sizeof(float);
    v1_0 = (v1_0 + _Alignof(doppel_index_opts) - 1) / _Alignof(doppel_index_opts) * _Alignof(doppel_index_opts);
    memset(buf, 0xA5, sizeof buf);
    doppel_index_opts_default((doppel_index_opts *)(void *)buf);
    memcpy(&o, buf, sizeof o);
    assert_int_equal(o.size, v1_0);
    for (size_t i = v1_0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xA5);
    doppel_index_opts_init(NULL, sizeof o); /* no-op, as the _free calls accept NULL */
}

static void test_doc_invalid(void **state)
{
    (void)state;
    /* UTF-8 with one stray continuation byte at offset 30 */
    const char bad[] = "Caf\xc3\xa9 cr\xc3\xa8me and na\xc3\xafve words \x80 go on for a while here.";
    doppel_tokenizer *tk;
    doppel_doc *doc;
    assert_int_equal(doppel_tokenizer_create(&tk, 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_doc_create(&doc, tk, bad, sizeof bad - 1, DOPPEL_ENC_AUTO, NULL), DOPPEL_OK);
    doppel_decode_info di;
    doppel_doc_decode_info(doc, &di);
    assert_int_equal(di.invalid_count, 1);
    assert_int_equal(di.first_invalid, 30);
    doppel_doc_free(doc);
    doppel_tokenizer_free(tk);

    doppel_index *ix = two_texts();
    assert_int_equal(doppel_index_add(ix, "bad", bad, sizeof bad - 1, 0, NULL), DOPPEL_OK);
    uint64_t n = 7, first = 7;
    doppel_diag d;
    assert_int_equal(doppel_index_doc_invalid(ix, "bad", &n, &first, &d), DOPPEL_OK);
    assert_int_equal(n, di.invalid_count);
    assert_int_equal(first, di.first_invalid);
    assert_int_equal(doppel_index_doc_invalid(ix, "orig", &n, &first, &d), DOPPEL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(first, UINT64_MAX);
    assert_int_equal(doppel_index_doc_invalid(ix, "none", &n, &first, &d), DOPPEL_ERR_NOT_FOUND);
    assert_non_null(strstr(d.message, "none"));
    doppel_index_free(ix);
}

/* An index built with the default model, saved: its header read without loading it, and
 * the index loaded without the model (swept, listed, changed; not queried). */
static void test_peek_and_unencoded(void **state)
{
    (void)state;
    char path[4096], ipath[64];
    snprintf(path, sizeof path, "%s/corpora/models/default.dpm", getenv("DOPPEL_SOURCE_ROOT"));
    snprintf(ipath, sizeof ipath, "/tmp/doppel_api_1_2_%ld.dpx", (long)getpid());
    doppel_model *m;
    doppel_diag d;
    assert_int_equal(doppel_model_load(&m, path, &d), DOPPEL_OK);
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    o.kgram = 7;
    assert_int_equal(doppel_index_create(&ix, m, 1, &o, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_add(ix, "orig", orig, sizeof orig - 1, 0, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_add(ix, "copy", copy, sizeof copy - 1, 0, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_add_skipped(ix, "bin", "binary", &d), DOPPEL_OK);
    assert_int_equal(doppel_index_save(ix, ipath, &d), DOPPEL_OK);
    doppel_index_free(ix);

    doppel_index_file_info info = {.size = sizeof info};
    assert_int_equal(doppel_index_peek(ipath, &info, &d), DOPPEL_OK);
    assert_int_equal(info.has_model, 1);
    assert_int_equal(info.model_id, doppel_model_identity(m));
    assert_int_equal(info.dim, doppel_model_out_dim(m));
    assert_int_equal(info.kgram, 7);
    assert_int_equal(info.documents, 2);
    assert_int_equal(info.skipped, 1);
    assert_int_equal(info.shards, 0);
    /* a caller of a shorter struct: only its fields */
    doppel_index_file_info part;
    memset(&part, 0xA5, sizeof part);
    part.size = offsetof(doppel_index_file_info, model_id);
    assert_int_equal(doppel_index_peek(ipath, &part, &d), DOPPEL_OK);
    assert_int_equal(part.has_model, 1);
    assert_int_equal(((const unsigned char *)&part)[offsetof(doppel_index_file_info, model_id)], 0xA5);
    part.size = 0;
    assert_int_equal(doppel_index_peek(ipath, &part, &d), DOPPEL_ERR_INVALID);
    assert_int_equal(doppel_index_peek(path, &info, &d), DOPPEL_ERR_MODEL_MAGIC); /* a model, not an index */

    assert_int_equal(doppel_index_load_unencoded(&ix, ipath, 1, NULL, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_count(ix), 2);
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(ix, &r, &d), DOPPEL_OK);
    const doppel_pair *p = doppel_report_next(r);
    assert_non_null(p);
    assert_true(p->n_passages >= 1);
    doppel_report_free(r);
    assert_int_equal(doppel_index_query(ix, "q", copy, sizeof copy - 1, &r, &d), DOPPEL_ERR_MODEL_MISMATCH);
    assert_int_equal(doppel_index_remove(ix, "orig", &d), DOPPEL_OK);
    assert_int_equal(doppel_index_count(ix), 1);
    doppel_index_free(ix);
    unlink(ipath);
    doppel_model_free(m);
}

/* Where a document came from: set, read back, kept by the index file; the checksum is
 * the library's whatever the caller's struct says. */
static void test_doc_origin(void **state)
{
    (void)state;
    char ipath[64];
    snprintf(ipath, sizeof ipath, "/tmp/doppel_api_origin_%ld.dpx", (long)getpid());
    doppel_index *ix = two_texts();
    doppel_diag d;
    doppel_doc_origin o = {.size = sizeof o};
    assert_int_equal(doppel_index_doc_origin(ix, "copy", &o, &d), DOPPEL_OK);
    assert_null(o.source);
    assert_int_equal(o.extracted, 0);
    assert_int_equal(o.has_checksum, 1);
    uint32_t crc = o.text_crc;
    assert_int_equal(o.text_len, sizeof copy - 1);
    doppel_doc_origin set = {.size = sizeof set, .source = "essays/copy.docx", .extracted = 1, .text_crc = crc + 1,
                             .text_len = 3};
    assert_int_equal(doppel_index_set_doc_origin(ix, "copy", &set, &d), DOPPEL_OK);
    /* the 1.2 struct cut after extracted: still read */
    set.size = offsetof(doppel_doc_origin, has_checksum);
    set.source = "essays/orig.txt", set.extracted = 0;
    assert_int_equal(doppel_index_set_doc_origin(ix, "orig", &set, &d), DOPPEL_OK);
    set.size = offsetof(doppel_doc_origin, extracted);
    assert_int_equal(doppel_index_set_doc_origin(ix, "orig", &set, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "sizeof(doppel_doc_origin)"));
    set.size = sizeof set;
    assert_int_equal(doppel_index_set_doc_origin(ix, "none", &set, &d), DOPPEL_ERR_NOT_FOUND);
    assert_non_null(strstr(d.message, "none"));
    assert_int_equal(doppel_index_save(ix, ipath, &d), DOPPEL_OK);
    doppel_index_free(ix);

    assert_int_equal(doppel_index_load(&ix, ipath, NULL, 1, NULL, &d), DOPPEL_OK);
    o = (doppel_doc_origin){.size = sizeof o};
    assert_int_equal(doppel_index_doc_origin(ix, "copy", &o, &d), DOPPEL_OK);
    assert_string_equal(o.source, "essays/copy.docx");
    assert_int_equal(o.extracted, 1);
    assert_int_equal(o.has_checksum, 1);
    assert_int_equal(o.text_crc, crc);
    assert_int_equal(o.text_len, sizeof copy - 1);
    assert_int_equal(doppel_index_doc_origin(ix, "orig", &o, &d), DOPPEL_OK);
    assert_string_equal(o.source, "essays/orig.txt");
    assert_int_equal(o.extracted, 0);
    /* NULL: none */
    set = (doppel_doc_origin){.size = sizeof set};
    assert_int_equal(doppel_index_set_doc_origin(ix, "orig", &set, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_doc_origin(ix, "orig", &o, &d), DOPPEL_OK);
    assert_null(o.source);
    doppel_index_free(ix);
    unlink(ipath);
}

/* A query's text shared with more than max_docs indexed documents: written as a common
 * passage, not as evidence of any pair. */
static void test_query_common(void **state)
{
    (void)state;
    static const char shared[] = "Please answer every question below in full sentences and cite the sources you "
                                 "used for each answer at the end of the essay. ";
    static const char *const own[] = {
        "Cats sleep for most of the day and hunt at dawn and at dusk when their prey is about.",
        "Rivers carry sediment to the sea, and over centuries their deltas push the coast outwards.",
        "The committee met on Tuesday to discuss the budget for the new library by the river.",
        "Glaciers grind the rock beneath them into flour that colours meltwater lakes a milky blue.",
    };
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    o.max_docs = 2;
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, NULL), DOPPEL_OK);
    char text[512], id[8];
    for (int i = 0; i < 3; i++) {
        snprintf(text, sizeof text, "%s%s", shared, own[i]);
        snprintf(id, sizeof id, "d%d", i);
        assert_int_equal(doppel_index_add(ix, id, text, strlen(text), 0, NULL), DOPPEL_OK);
    }
    snprintf(text, sizeof text, "%s%s", shared, own[3]);
    doppel_report *r;
    assert_int_equal(doppel_index_query(ix, "q", text, strlen(text), &r, NULL), DOPPEL_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(doppel_report_write(r, NULL, f, NULL), DOPPEL_OK);
    fclose(f);
    assert_non_null(strstr(buf, "{\"type\":\"common\""));
    assert_non_null(strstr(buf, "\"common_passages\":1,"));
    assert_null(strstr(buf, "\"type\":\"pair\"")); /* the shared text is no pair's evidence */
    free(buf);
    doppel_report_free(r);
    doppel_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_write_opts_size_tag),
        cmocka_unit_test(test_index_opts_init),
        cmocka_unit_test(test_doc_invalid),
        cmocka_unit_test(test_peek_and_unencoded),
        cmocka_unit_test(test_query_common),
        cmocka_unit_test(test_doc_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
