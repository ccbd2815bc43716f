/*
 * Several threads at once on one tokenizer and one encoder (both documented as
 * shareable) must give exactly what one thread gives: the same tokens, the same
 * vectors bit for bit. Run under ThreadSanitizer by tests/tsan/run.sh; in the normal
 * suite it still checks the results.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "doppel.h"
#include "model/model.h"
#include "model/modelfile.h"

#define NTHREADS 4
#define ROUNDS 3

static const char *const texts[] = {
    "The quick brown fox jumps over the lazy dog. It was not amused!",
    "Caf\xc3\xa9 na\xc3\xafve \xef\xac\x81nance, don\xe2\x80\x99t \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82",
    "broken \x80\xc0\xaf bytes \xed\xa0\x80 and a NUL \0 inside",
    "Mr. Smith paid 1,000.50 dollars on Jan. 5. \"Why?\" she asked.",
    "",
    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb 1\xef\xb8\x8f\xe2\x83\xa3 \xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2",
};
#define NTEXTS (sizeof texts / sizeof *texts)
static size_t lens[NTEXTS];

/* ---- tokenizer ---- */

typedef struct tok_summary {
    size_t n_tokens, n_sentences;
    uint64_t hash; /* FNV-1a over every token's spans and normal form and every sentence */
} tok_summary;

static void mix(uint64_t *h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ ((const uint8_t *)p)[i]) * 1099511628211u;
}

static tok_summary summarise(const doppel_tokenizer *tk, size_t i)
{
    doppel_doc *doc;
    tok_summary s = {0, 0, 14695981039346656037u};
    if (doppel_doc_create(&doc, tk, texts[i], lens[i], DOPPEL_ENC_AUTO, NULL) != DOPPEL_OK)
        return s;
    const doppel_token *t;
    const doppel_sentence *se;
    s.n_tokens = doppel_doc_tokens(doc, &t);
    s.n_sentences = doppel_doc_sentences(doc, &se);
    for (size_t k = 0; k < s.n_tokens; k++) {
        mix(&s.hash, &t[k].start, sizeof t[k].start);
        mix(&s.hash, &t[k].end, sizeof t[k].end);
        mix(&s.hash, t[k].norm, t[k].norm_len);
    }
    for (size_t k = 0; k < s.n_sentences; k++) {
        mix(&s.hash, &se[k].start, sizeof se[k].start);
        mix(&s.hash, &se[k].tok_end, sizeof se[k].tok_end);
    }
    doppel_doc_free(doc);
    return s;
}

typedef struct tok_job {
    const doppel_tokenizer *tk;
    const tok_summary *want;
    int mismatches;
} tok_job;

static void *tok_worker(void *arg)
{
    tok_job *j = arg;
    for (int r = 0; r < ROUNDS; r++)
        for (size_t i = 0; i < NTEXTS; i++) {
            tok_summary got = summarise(j->tk, i);
            j->mismatches += memcmp(&got, &j->want[i], sizeof got) != 0;
        }
    return NULL;
}

static void test_tokenizer_shared(void **state)
{
    (void)state;
    doppel_tokenizer *tk;
    assert_int_equal(doppel_tokenizer_create(&tk, 0, NULL), DOPPEL_OK);
    tok_summary want[NTEXTS];
    for (size_t i = 0; i < NTEXTS; i++)
        want[i] = summarise(tk, i);
    assert_true(want[0].n_tokens == 15 && want[0].n_sentences == 2); /* the summary is not empty */

    pthread_t th[NTHREADS];
    tok_job jobs[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        jobs[k] = (tok_job){tk, want, 0};
        assert_int_equal(pthread_create(&th[k], NULL, tok_worker, &jobs[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        pthread_join(th[k], NULL);
        assert_int_equal(jobs[k].mismatches, 0);
    }
    doppel_tokenizer_free(tk);
}

/* ---- encoder ---- */

typedef struct enc_job {
    doppel_encoder *enc;
    const float *want; /* [NTEXTS][dim] */
    size_t dim;
    int offset;        /* each thread starts at another text, so calls differ in content */
    int failures;
} enc_job;

static void *enc_worker(void *arg)
{
    enc_job *j = arg;
    float *out = malloc(NTEXTS * j->dim * sizeof *out);
    const char *t[NTEXTS];
    size_t l[NTEXTS], idx[NTEXTS];
    for (int r = 0; r < ROUNDS && out; r++) {
        size_t n = 1 + (size_t)(j->offset + r) % NTEXTS; /* 1..NTEXTS texts per call */
        for (size_t k = 0; k < n; k++) {
            idx[k] = ((size_t)j->offset + k) % NTEXTS;
            t[k] = texts[idx[k]], l[k] = lens[idx[k]];
        }
        if (doppel_encoder_encode(j->enc, t, l, n, out) != DOPPEL_OK) {
            j->failures++;
            continue;
        }
        for (size_t k = 0; k < n; k++)
            j->failures += memcmp(out + k * j->dim, j->want + idx[k] * j->dim, j->dim * sizeof *out) != 0;
    }
    j->failures += out == NULL;
    free(out);
    return NULL;
}

static void test_encoder_shared(void **state)
{
    (void)state;
    char dir[] = "/tmp/doppel-tsan.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.dpm", dir);
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.buckets = 4096, cfg.embed_dim = 16, cfg.hidden = 12, cfg.out_dim = 8, cfg.layers = 2;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    dp_model_init_random(m, 11);
    assert_int_equal(dp_model_save(m, path, DP_DTYPE_FP32, NULL, NULL), DOPPEL_OK);
    dp_model_free(m);

    doppel_model *model;
    assert_int_equal(doppel_model_load(&model, path, NULL), DOPPEL_OK);
    unlink(path);
    rmdir(dir);
    size_t dim = doppel_model_out_dim(model);
    assert_int_equal(dim, 8);

    /* reference: one thread, one text per call */
    doppel_encoder *single;
    assert_int_equal(doppel_encoder_create(&single, model, 1), DOPPEL_OK);
    float want[NTEXTS * 8];
    for (size_t i = 0; i < NTEXTS; i++)
        assert_int_equal(doppel_encoder_encode(single, &texts[i], &lens[i], 1, want + i * dim), DOPPEL_OK);
    doppel_encoder_free(single);
    double norm = 0;
    for (size_t d = 0; d < dim; d++)
        norm += (double)want[d] * want[d];
    assert_float_equal(norm, 1.0, 1e-5); /* unit vectors: the reference is real output */

    doppel_encoder *shared;
    assert_int_equal(doppel_encoder_create(&shared, model, 2), DOPPEL_OK);
    pthread_t th[NTHREADS];
    enc_job jobs[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        jobs[k] = (enc_job){shared, want, dim, k, 0};
        assert_int_equal(pthread_create(&th[k], NULL, enc_worker, &jobs[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        pthread_join(th[k], NULL);
        assert_int_equal(jobs[k].failures, 0);
    }
    doppel_encoder_free(shared);
    doppel_model_free(model);
}

int main(void)
{
    lens[0] = strlen(texts[0]), lens[1] = strlen(texts[1]);
    lens[2] = strlen(texts[2]) + 1 + strlen(texts[2] + strlen(texts[2]) + 1); /* through the NUL */
    for (size_t i = 3; i < NTEXTS; i++)
        lens[i] = strlen(texts[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenizer_shared),
        cmocka_unit_test(test_encoder_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
