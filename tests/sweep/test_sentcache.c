/* The sentence cache: keys follow the normal forms and their boundaries, a held vector
 * comes back byte for byte, the budget bounds what it holds; and in a sweep, a document
 * whose sentences came from the cache keeps the bytes it keeps when encoded alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/encoder.h"
#include "model/model.h"
#include "random_model.h"
#include "sweep/sentcache.h"
#include "sweep/sweep.h"
#include "text/tokenize.h"

static dp_tokens tokens_of(const dp_tokenizer *tk, const char *s)
{
    dp_text t;
    dp_tokens toks = {0};
    assert_int_equal(dp_text_decode(&t, s, strlen(s), DP_ENC_UTF8, NULL), DOPPEL_OK);
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    dp_text_free(&t);
    return toks;
}

static int same(dp_sentkey a, dp_sentkey b) { return a.h[0] == b.h[0] && a.h[1] == b.h[1]; }

static void test_keys(void **state)
{
    (void)state;
    dp_tokenizer *tk;
    assert_int_equal(dp_tokenizer_create(&tk, NULL, NULL), DOPPEL_OK);
    /* case and width fold into the normal form; word boundaries do not */
    dp_tokens a = tokens_of(tk, "The cat sat."), b = tokens_of(tk, "the  CAT sat ."), c = tokens_of(tk, "thec at sat."),
              d = tokens_of(tk, "The cat sat!");
    dp_sentkey ka = dp_sentcache_key(&a, 0, a.n);
    assert_true(same(ka, dp_sentcache_key(&b, 0, b.n)));
    assert_false(same(ka, dp_sentcache_key(&c, 0, c.n)));
    assert_false(same(ka, dp_sentcache_key(&d, 0, d.n)));
    assert_false(same(ka, dp_sentcache_key(&a, 0, a.n - 1)));
    assert_true(same(dp_sentcache_key(&a, 1, 2), dp_sentcache_key(&b, 1, 2)));
    dp_tokens_free(&a), dp_tokens_free(&b), dp_tokens_free(&c), dp_tokens_free(&d);
    dp_tokenizer_free(tk);
}

static void test_get_put_budget(void **state)
{
    (void)state;
    enum { DIM = 64 };
    size_t budget = 64 << 10;
    dp_sentcache *c;
    assert_int_equal(dp_sentcache_create(&c, DIM, budget), DOPPEL_OK);
    int8_t q[DIM], got[DIM];
    float scale;
    size_t held = 0;
    for (uint64_t i = 0; i < 5000; i++) {
        dp_sentkey k = {{i * 0x9e3779b97f4a7c15u, ~i}};
        for (int j = 0; j < DIM; j++)
            q[j] = (int8_t)(i + (uint64_t)j);
        assert_int_equal(dp_sentcache_get(c, k, got, &scale), 0);
        assert_int_equal(dp_sentcache_put(c, k, q, (float)i), DOPPEL_OK);
        if (dp_sentcache_count(c) > held) {
            held = dp_sentcache_count(c);
            assert_int_equal(dp_sentcache_get(c, k, got, &scale), 1);
            assert_memory_equal(got, q, DIM);
            assert_true(scale == (float)i);
        }
        assert_true(dp_sentcache_bytes(c) <= budget);
    }
    /* full: it held a few hundred and stopped taking more, each still found */
    assert_true(held > 200 && held < 5000);
    assert_true(dp_sentcache_bytes(c) >= held * (DIM + 20));
    for (uint64_t i = 0; i < held; i++) {
        dp_sentkey k = {{i * 0x9e3779b97f4a7c15u, ~i}};
        assert_int_equal(dp_sentcache_get(c, k, got, &scale), 1);
        assert_int_equal(got[3], (int8_t)(i + 3));
    }
    /* cleared: nothing held, nothing found, and it fills again */
    dp_sentcache_clear(c);
    assert_int_equal(dp_sentcache_count(c), 0);
    assert_true(dp_sentcache_bytes(c) < 1024);
    dp_sentkey k0 = {{0, ~(uint64_t)0}};
    assert_int_equal(dp_sentcache_get(c, k0, got, &scale), 0);
    assert_int_equal(dp_sentcache_put(c, k0, q, 2.0f), DOPPEL_OK);
    assert_int_equal(dp_sentcache_count(c), 1);
    assert_int_equal(dp_sentcache_get(c, k0, got, &scale), 1);
    assert_memory_equal(got, q, DIM);
    dp_sentcache_free(c);
}

static const char *doc_a = "The river rose in the night. Farmers moved their cattle to the hills before dawn. "
                           "By noon the bridge was under water.";
static const char *doc_b = "Farmers moved their cattle to the hills before dawn. The storm had come from the west. "
                           "By  noon THE bridge was under water.";

/* A document's kept vectors: the same bytes when its sentences came from the cache
 * (doc_b after doc_a shares two sentences with it) as when it is encoded alone. */
static void test_sweep_same_bytes(void **state)
{
    (void)state;
    dp_model *m = random_model(16, 16, 32, 4096, 7);
    dp_model_config cfg = m->cfg;
    dp_encoder *enc;
    assert_int_equal(dp_encoder_create(&enc, m, 1, NULL), DOPPEL_OK);
    dp_sweep_opts o;
    dp_sweep_opts_default(&o);
    dp_sweep *both, *alone;
    assert_int_equal(dp_sweep_create(&both, enc, cfg.out_dim, &o), DOPPEL_OK);
    assert_int_equal(dp_sweep_create(&alone, enc, cfg.out_dim, &o), DOPPEL_OK);
    assert_int_equal(dp_sweep_add(both, "a", doc_a, strlen(doc_a), 0, NULL), DOPPEL_OK);
    assert_int_equal(dp_sweep_add(both, "b", doc_b, strlen(doc_b), 0, NULL), DOPPEL_OK);
    assert_int_equal(dp_sweep_add(alone, "b", doc_b, strlen(doc_b), 0, NULL), DOPPEL_OK);
    const dp_sweep_doc *x = dp_sweep_doc_at(both, 1), *y = dp_sweep_doc_at(alone, 0);
    assert_int_equal(x->n_sents, 3);
    assert_int_equal(y->n_sents, 3);
    assert_memory_equal(x->sq, y->sq, 3 * cfg.out_dim);
    assert_memory_equal(x->sscale, y->sscale, 3 * sizeof *x->sscale);
    assert_memory_equal(x->dvec, y->dvec, cfg.out_dim * sizeof *x->dvec);
    /* the shared sentences are the same vectors in both documents */
    const dp_sweep_doc *a = dp_sweep_doc_at(both, 0);
    assert_memory_equal(a->sq + cfg.out_dim, x->sq, cfg.out_dim);
    assert_memory_equal(a->sq + 2 * cfg.out_dim, x->sq + 2 * cfg.out_dim, cfg.out_dim);
    dp_sweep_free(both);
    dp_sweep_free(alone);
    dp_encoder_free(enc);
    dp_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_keys), cmocka_unit_test(test_get_put_budget),
                                       cmocka_unit_test(test_sweep_same_bytes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
