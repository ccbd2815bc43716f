/*
 * What API 1.0 promises beyond the basics (test_public_api.c): version macros that match
 * the library, size-tagged options read back through getters, diagnostics that name the
 * option or input at fault, cancellation through the progress function, and the
 * listings (ids, document vectors, passage-kind names). Only <doppel.h>, shared library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <doppel.h>

static const char *const texts[] = {
    "The committee met on Tuesday to discuss the budget. It decided that the new library would be built on "
    "the old railway land north of the river before the next winter. Several members objected to the cost.",
    "My essay is short. It decided that the new library would be built on the old railway land north of the "
    "river before the next winter. That is all I have to say.",
    "Cats sleep for most of the day. They hunt at dawn and at dusk, when their prey is about.",
    "Rivers carry sediment to the sea. Over centuries the deltas they build push the coast outwards.",
};
#define N_TEXTS (sizeof texts / sizeof *texts)

static void add_all(doppel_index *ix)
{
    char id[16];
    for (size_t i = 0; i < N_TEXTS; i++) {
        snprintf(id, sizeof id, "t%zu", i);
        assert_int_equal(doppel_index_add(ix, id, texts[i], strlen(texts[i]), 0, NULL), DOPPEL_OK);
    }
}

static void test_version(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", DOPPEL_VERSION_MAJOR, DOPPEL_VERSION_MINOR, DOPPEL_VERSION_PATCH);
    assert_string_equal(doppel_version(), want);
    assert_int_equal(doppel_version_number(), DOPPEL_VERSION_NUMBER);
    assert_int_equal(DOPPEL_VERSION_NUMBER / 10000, 1);
}

/* An options struct of an older (shorter) or newer (longer) header. */
typedef struct newer_opts {
    doppel_index_opts v1;
    uint32_t future_field;
} newer_opts;

static void test_opts_size_tag(void **state)
{
    (void)state;
    doppel_index *ix;
    doppel_diag d;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    assert_int_equal(o.size, sizeof o);

    /* older: fields past its size keep their defaults (sentence_threshold is last) */
    o.kgram = 8;
    o.sentence_threshold = 0.5f;
    o.size = offsetof(doppel_index_opts, sentence_threshold);
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, &d), DOPPEL_OK);
    doppel_index_opts got;
    doppel_index_opts_default(&got);
    assert_int_equal(doppel_index_get_opts(ix, &got, &d), DOPPEL_OK);
    assert_int_equal(got.kgram, 8);
    assert_true(got.sentence_threshold > 0.79f && got.sentence_threshold < 0.81f); /* the lexical default */
    assert_true(got.threshold > 0.029f && got.threshold < 0.031f);
    /* a getter with an older size writes no byte past it */
    doppel_index_opts old;
    memset(&old, 0xab, sizeof old);
    old.size = offsetof(doppel_index_opts, sentence_threshold);
    assert_int_equal(doppel_index_get_opts(ix, &old, &d), DOPPEL_OK);
    assert_int_equal(old.kgram, 8);
    const unsigned char *tail = (const unsigned char *)&old + offsetof(doppel_index_opts, sentence_threshold);
    for (size_t i = 0; i < sizeof old - offsetof(doppel_index_opts, sentence_threshold); i++)
        assert_int_equal(tail[i], 0xab);
    doppel_index_free(ix);

    /* newer: accepted while its extra fields stay zero, refused (named) otherwise */
    newer_opts n;
    memset(&n, 0, sizeof n);
    doppel_index_opts_default(&n.v1);
    n.v1.size = sizeof n;
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &n.v1, &d), DOPPEL_OK);
    doppel_index_free(ix);
    n.future_field = 3;
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &n.v1, &d), DOPPEL_ERR_INVALID);
    assert_null(ix);
    assert_non_null(strstr(d.message, "past the"));

    /* never set */
    memset(&o, 0, sizeof o);
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "doppel_index_opts_default"));
}

static void test_diag_names_the_option(void **state)
{
    (void)state;
    doppel_index *ix;
    doppel_diag d;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, &d), DOPPEL_OK);
    add_all(ix);

    o.max_docs = 1;
    assert_int_equal(doppel_index_set_opts(ix, &o, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "max_docs 1"));
    doppel_index_opts_default(&o);
    o.sentence_threshold = 2.0f;
    assert_int_equal(doppel_index_set_opts(ix, &o, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "sentence_threshold"));
    doppel_index_opts_default(&o);
    o.kgram = 8; /* fixed once documents are in */
    assert_int_equal(doppel_index_set_opts(ix, &o, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "kgram"));
    /* a threshold-only change is fine, and reads back */
    doppel_index_opts_default(&o);
    o.threshold = 0.5f;
    o.sentence_threshold = 0.9f;
    assert_int_equal(doppel_index_set_opts(ix, &o, &d), DOPPEL_OK);
    doppel_index_opts got;
    doppel_index_opts_default(&got);
    assert_int_equal(doppel_index_get_opts(ix, &got, &d), DOPPEL_OK);
    assert_true(got.threshold == 0.5f && got.sentence_threshold == 0.9f && got.kgram == 6);

    assert_int_equal(doppel_index_remove(ix, "nobody", &d), DOPPEL_ERR_NOT_FOUND);
    assert_non_null(strstr(d.message, "'nobody'"));
    assert_int_equal(doppel_index_add_skipped(ix, "t1", "binary", &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "'t1'"));
    assert_int_equal(doppel_index_add(ix, NULL, "x", 1, 0, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "id is NULL"));
    doppel_index_free(ix);
}

typedef struct progress_log {
    uint64_t calls, last_done, last_total, stop_at;
} progress_log;

static int on_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_log *p = ctx;
    p->calls++, p->last_done = done, p->last_total = total;
    return p->stop_at && p->calls >= p->stop_at;
}

static void test_progress_and_cancel(void **state)
{
    (void)state;
    doppel_index *ix;
    doppel_diag d;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    o.threshold = 0.0f; /* every compared pair reported */
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, &d), DOPPEL_OK);
    add_all(ix);
    progress_log log = {0};
    doppel_index_set_progress(ix, on_progress, &log);
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(ix, &r, &d), DOPPEL_OK);
    doppel_summary s;
    doppel_report_summary(r, &s);
    doppel_report_free(r);
    assert_true(s.pairs_compared >= 2);
    assert_int_equal(log.calls, s.pairs_compared);
    assert_int_equal(log.last_done, log.last_total);

    progress_log stop = {.stop_at = 1};
    doppel_index_set_progress(ix, on_progress, &stop);
    r = (doppel_report *)&stop; /* must be overwritten */
    assert_int_equal(doppel_index_sweep(ix, &r, &d), DOPPEL_ERR_INTERRUPTED);
    assert_null(r);
    assert_int_equal(d.code, DOPPEL_ERR_INTERRUPTED);
    assert_int_equal(stop.calls, 1);
    /* the index is unharmed: without the function the sweep runs to the end */
    doppel_index_set_progress(ix, NULL, NULL);
    assert_int_equal(doppel_index_sweep(ix, &r, &d), DOPPEL_OK);
    doppel_report_free(r);
    doppel_index_free(ix);
}

static void test_listings(void **state)
{
    (void)state;
    assert_string_equal(doppel_passage_kind_name(DOPPEL_PASSAGE_VERBATIM), "verbatim");
    assert_string_equal(doppel_passage_kind_name(DOPPEL_PASSAGE_EDITED), "edited");
    assert_string_equal(doppel_passage_kind_name(DOPPEL_PASSAGE_PARAPHRASE), "paraphrase");
    assert_null(doppel_passage_kind_name(7));
    assert_non_null(strstr(doppel_model_default_path(), "default.dpm"));

    char path[4096];
    snprintf(path, sizeof path, "%s/corpora/models/default.dpm", getenv("DOPPEL_SOURCE_ROOT"));
    doppel_model *m;
    doppel_diag d;
    assert_int_equal(doppel_model_load(&m, path, &d), DOPPEL_OK);
    assert_int_not_equal(doppel_model_identity(m), 0);
    doppel_index *ix;
    assert_int_equal(doppel_index_create(&ix, m, 1, NULL, &d), DOPPEL_OK);
    add_all(ix);
    assert_int_equal(doppel_index_remove(ix, "t1", &d), DOPPEL_OK);
    const char *want[] = {"t0", "t2", "t3"};
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(doppel_index_id(ix, i), want[i]);
    assert_null(doppel_index_id(ix, 3));

    size_t dim = doppel_index_dim(ix);
    assert_int_equal(dim, doppel_model_out_dim(m));
    float *v = malloc(2 * dim * sizeof *v);
    assert_int_equal(doppel_index_doc_vector(ix, "t2", v, dim, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_doc_vector(ix, "t3", v + dim, dim, &d), DOPPEL_OK);
    double norm = 0, dot = 0;
    for (size_t k = 0; k < dim; k++)
        norm += (double)v[k] * v[k], dot += (double)v[k] * v[dim + k];
    assert_true(fabs(norm - 1.0) < 1e-4); /* normalised */
    assert_true(dot < 0.999);             /* two different documents */
    assert_int_equal(doppel_index_doc_vector(ix, "t1", v, dim, &d), DOPPEL_ERR_NOT_FOUND);
    assert_int_equal(doppel_index_doc_vector(ix, "t2", v, dim - 1, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "dim"));
    free(v);
    doppel_index_free(ix);
    doppel_model_free(m);
}

/* doppel_model_get_info (1.1): the default model's figures as its file states them, and
 * the size tag: a caller built against a shorter struct gets only the fields it knows. */
static void test_model_info(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/corpora/models/default.dpm", getenv("DOPPEL_SOURCE_ROOT"));
    doppel_model *m;
    doppel_diag d;
    assert_int_equal(doppel_model_load(&m, path, &d), DOPPEL_OK);
    doppel_model_info info = {.size = sizeof info};
    assert_int_equal(doppel_model_get_info(m, &info, &d), DOPPEL_OK);
    assert_int_equal(info.size, sizeof info);
    assert_int_equal(info.out_dim, doppel_model_out_dim(m));
    assert_true(info.layers >= 1 && info.embed_dim > 0 && info.hidden > 0 && info.buckets > 0);
    /* at least the embedding table, and every parameter at least a byte when encoding */
    assert_true(info.params >= (uint64_t)info.buckets * info.embed_dim);
    assert_true(info.memory_bytes >= info.params);
    assert_true(info.minn <= info.maxn);
    assert_non_null(info.pooling);
    assert_non_null(info.dtype);
    assert_non_null(strstr("fp32 fp16 int8", info.dtype));

    doppel_model_info part;
    memset(&part, 0xA5, sizeof part);
    part.size = offsetof(doppel_model_info, buckets);
    assert_int_equal(doppel_model_get_info(m, &part, &d), DOPPEL_OK);
    assert_int_equal(part.out_dim, info.out_dim);
    assert_int_equal(part.size, offsetof(doppel_model_info, buckets));
    const unsigned char *rest = (const unsigned char *)&part + offsetof(doppel_model_info, buckets);
    for (size_t i = 0; i < sizeof part - offsetof(doppel_model_info, buckets); i++)
        assert_int_equal(rest[i], 0xA5);

    part.size = 0;
    assert_int_equal(doppel_model_get_info(m, &part, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "size"));
    assert_int_equal(doppel_model_get_info(NULL, &info, &d), DOPPEL_ERR_INVALID);
    doppel_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_opts_size_tag),
        cmocka_unit_test(test_diag_names_the_option),
        cmocka_unit_test(test_progress_and_cancel),
        cmocka_unit_test(test_listings),
        cmocka_unit_test(test_model_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
