/*
 * A library user's view: only <doppel.h>, linked against the shared libdoppel, so every
 * symbol used here must be exported. Checks the documented behaviour end to end:
 * tokens with original offsets, encoding, an index that finds a copied passage.
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

static void test_errors_and_version(void **state)
{
    (void)state;
    assert_string_equal(doppel_strerror(DOPPEL_OK), "success");
    assert_non_null(strstr(doppel_strerror(DOPPEL_ERR_MODEL_CHECKSUM), "checksum"));
    assert_true(strlen(doppel_version()) >= 5);
    /* every free accepts NULL */
    doppel_tokenizer_free(NULL);
    doppel_doc_free(NULL);
    doppel_model_free(NULL);
    doppel_encoder_free(NULL);
    doppel_index_free(NULL);
    doppel_report_free(NULL);
}

static void test_tokens_keep_original_offsets(void **state)
{
    (void)state;
    /* cp1252 bytes: "Caf\xe9 \x93Stra\xdf" + "e\x94" */
    const char in[] = "Caf\xe9 \x93Stra\xdf" "e\x94.";
    doppel_tokenizer *tk;
    assert_int_equal(doppel_tokenizer_create(&tk, 0, NULL), DOPPEL_OK);
    doppel_doc *doc;
    assert_int_equal(doppel_doc_create(&doc, tk, in, sizeof in - 1, DOPPEL_ENC_AUTO, NULL), DOPPEL_OK);
    const doppel_token *t;
    size_t n = doppel_doc_tokens(doc, &t);
    assert_int_equal(n, 5); /* café “ strasse ” . */
    assert_string_equal(t[0].norm, "café");
    assert_int_equal(t[0].start, 0);
    assert_int_equal(t[0].end, 4); /* one byte in the original file */
    assert_string_equal(t[2].norm, "strasse");
    assert_int_equal(t[2].start, 6);
    assert_int_equal(t[2].end, 12);
    doppel_decode_info info;
    doppel_doc_decode_info(doc, &info);
    assert_int_equal(info.used, DOPPEL_ENC_CP1252);
    doppel_doc_free(doc);
    doppel_tokenizer_free(tk);
}

static char *model_path(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/corpora/models/default.dpm", getenv("DOPPEL_SOURCE_ROOT"));
    return path;
}

static void test_encoder_cosines(void **state)
{
    (void)state;
    doppel_model *m;
    doppel_diag d;
    assert_int_equal(doppel_model_load(&m, model_path(), &d), DOPPEL_OK);
    size_t dim = doppel_model_out_dim(m);
    doppel_encoder *e;
    assert_int_equal(doppel_encoder_create(&e, m, 2, NULL), DOPPEL_OK);
    const char *texts[3] = {"A man is playing a guitar.", "A man plays the guitar.",
                            "The stock market fell sharply on Monday."};
    size_t lens[3] = {strlen(texts[0]), strlen(texts[1]), strlen(texts[2])};
    float *v = malloc(3 * dim * sizeof *v);
    assert_int_equal(doppel_encoder_encode(e, texts, lens, 3, v, NULL), DOPPEL_OK);
    double norm = 0, close = 0, far = 0;
    for (size_t k = 0; k < dim; k++) {
        norm += (double)v[k] * v[k];
        close += (double)v[k] * v[dim + k];
        far += (double)v[k] * v[2 * dim + k];
    }
    assert_true(fabs(norm - 1.0) < 1e-5);
    assert_true(close > far + 0.2); /* the trained model tells a paraphrase from another topic */
    free(v);
    doppel_encoder_free(e);
    doppel_model_free(m);

    /* a missing file: an error code and a message, no crash */
    assert_int_equal(doppel_model_load(&m, "/nonexistent/model.dpm", &d), DOPPEL_ERR_IO);
    assert_true(d.message[0] != '\0');
}

static void test_index_finds_a_copy(void **state)
{
    (void)state;
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    assert_int_equal(doppel_index_create(&ix, NULL, 1, &o, NULL), DOPPEL_OK);
    const char *orig = "The committee met on Tuesday to discuss the budget. It decided that the new library "
                       "would be built on the old railway land north of the river before the next winter. "
                       "Several members objected to the cost.";
    const char *other = "Cats sleep for most of the day. They hunt at dawn and at dusk, when their prey is about.";
    assert_int_equal(doppel_index_add(ix, "orig.txt", orig, strlen(orig), 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add(ix, "other.txt", other, strlen(other), 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_count(ix), 2);

    const char *copy = "My essay. It decided that the new library would be built on the old railway land north "
                       "of the river before the next winter. That is all.";
    doppel_report *r;
    assert_int_equal(doppel_index_query(ix, "copy.txt", copy, strlen(copy), &r, NULL), DOPPEL_OK);
    const doppel_pair *p = doppel_report_next(r);
    assert_non_null(p);
    assert_string_equal(p->a, "copy.txt");
    assert_string_equal(p->b, "orig.txt");
    assert_int_equal(p->n_passages, 1);
    const doppel_passage *q = &p->passages[0];
    assert_int_equal(q->kind, DOPPEL_PASSAGE_VERBATIM);
    /* the spans are the copied sentence in each text */
    assert_memory_equal(copy + q->a_start, "It decided", 10);
    assert_memory_equal(orig + q->b_start, "It decided", 10);
    assert_int_equal(q->a_end - q->a_start, q->b_end - q->b_start);
    assert_null(doppel_report_next(r));
    doppel_summary s;
    doppel_report_summary(r, &s);
    assert_int_equal(s.pairs_reported, 1);
    doppel_report_free(r);

    assert_int_equal(doppel_index_remove(ix, "orig.txt", NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_query(ix, "copy.txt", copy, strlen(copy), &r, NULL), DOPPEL_OK);
    assert_null(doppel_report_next(r));
    doppel_report_free(r);
    doppel_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_and_version),
        cmocka_unit_test(test_tokens_keep_original_offsets),
        cmocka_unit_test(test_encoder_cosines),
        cmocka_unit_test(test_index_finds_a_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
