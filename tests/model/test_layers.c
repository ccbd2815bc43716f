/*
 * The float network's bookkeeping: the packed layout (hand-computed goldens), batch
 * validation, empty sequences, workspace reuse, determinism, and independence of a
 * sequence's vector from the rest of its batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "model/embedbag.h"
#include "model/l2norm.h"
#include "model/net.h"

static void test_pack_layout(void **state)
{
    (void)state;
    /* lengths 2, 0, 3, 2: ranks by length then index → seq 2, 0, 3, 1 */
    static const int len[] = {2, 0, 3, 2};
    static const int off[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    static const uint32_t ids[] = {0, 1, 2, 3, 4, 5, 6};
    dp_batch b = {4, len, off, ids};
    dp_pack pk;
    memset(&pk, 0, sizeof pk);
    assert_int_equal(dp_pack_plan(&pk, &b, 7), DOPPEL_OK);
    assert_int_equal(pk.T, 7);
    assert_int_equal(pk.maxlen, 3);
    static const int seq[] = {2, 0, 3, 1}, rank[] = {1, 3, 0, 2}, bs[] = {3, 3, 1}, poff[] = {0, 3, 6, 7};
    assert_memory_equal(pk.seq, seq, sizeof seq);
    assert_memory_equal(pk.rank, rank, sizeof rank);
    assert_memory_equal(pk.bs, bs, sizeof bs);
    assert_memory_equal(pk.off, poff, sizeof poff);
    /* tokens: seq0 t0,t1 (rank 1); seq2 t2..t4 (rank 0); seq3 t5,t6 (rank 2) */
    static const int tok_row[] = {1, 4, 0, 3, 6, 2, 5};
    assert_memory_equal(pk.tok_row, tok_row, sizeof tok_row);
    dp_pack_release(&pk);
}

static void test_invalid_batches(void **state)
{
    (void)state;
    dp_pack pk;
    memset(&pk, 0, sizeof pk);
    static const uint32_t ids[] = {0, 5};
    static const int off_ok[] = {0, 1, 2}, off_bad[] = {0, 2, 1}, off_nz[] = {1, 1, 2};
    static const int len2[] = {2}, neg[] = {-1, 3};
    dp_batch b = {1, len2, off_ok, ids};
    assert_int_equal(dp_pack_plan(&pk, &b, 6), DOPPEL_OK);
    assert_int_equal(dp_pack_plan(&pk, &b, 5), DOPPEL_ERR_INVALID); /* id 5 >= 5 buckets */
    b.tok_off = off_bad;
    assert_int_equal(dp_pack_plan(&pk, &b, 6), DOPPEL_ERR_INVALID);
    b.tok_off = off_nz;
    assert_int_equal(dp_pack_plan(&pk, &b, 6), DOPPEL_ERR_INVALID);
    dp_batch bn = {2, neg, off_ok, ids};
    assert_int_equal(dp_pack_plan(&pk, &bn, 6), DOPPEL_ERR_INVALID);
    dp_pack_release(&pk);
}

static dp_model *tiny_model(uint32_t pooling, uint32_t layers)
{
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.embed_dim = 12;
    cfg.hidden = 10;
    cfg.layers = layers;
    cfg.out_dim = 7;
    cfg.buckets = 97;
    cfg.pooling = pooling;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    dp_model_init_random(m, 42);
    for (size_t i = 0; m->p.attn && i < cfg.embed_dim; i++) /* unequal token weights */
        m->p.attn[i] = (float)((int)(i % 5) - 2);
    return m;
}

/* A random batch of n sequences with lengths 0..maxlen-1 (CSR arrays malloc'd). */
typedef struct {
    int *len, *off;
    uint32_t *ids;
    dp_batch b;
} rbatch;

static void rbatch_make(rbatch *r, dp_rng *rng, int n, int maxlen, uint32_t buckets)
{
    r->len = malloc((size_t)n * sizeof(int));
    int T = 0;
    for (int i = 0; i < n; i++)
        T += r->len[i] = (int)dp_rng_below(rng, (uint64_t)maxlen);
    r->off = malloc((size_t)(T + 1) * sizeof(int));
    r->ids = malloc((size_t)(4 * T + 1) * sizeof(uint32_t));
    r->off[0] = 0;
    for (int t = 0; t < T; t++) {
        int k = 1 + (int)dp_rng_below(rng, 4);
        for (int j = 0; j < k; j++)
            r->ids[r->off[t] + j] = (uint32_t)dp_rng_below(rng, buckets);
        r->off[t + 1] = r->off[t] + k;
    }
    r->b = (dp_batch){n, r->len, r->off, r->ids};
}

static void rbatch_free(rbatch *r)
{
    free(r->len);
    free(r->off);
    free(r->ids);
}

/* Sequence i of r alone, as a batch of one (views into r). */
static dp_batch single(const rbatch *r, int i, int *off_buf)
{
    int t0 = 0;
    for (int k = 0; k < i; k++)
        t0 += r->len[k];
    for (int t = 0; t <= r->len[i]; t++)
        off_buf[t] = r->off[t0 + t] - r->off[t0];
    return (dp_batch){1, &r->len[i], off_buf, r->ids + r->off[t0]};
}

/* The embedding bag this machine runs (AVX2 on x86) and its baseline build: the same bits,
 * from an fp32 table and from an int8 one, bags of 1-4 rows (means of several). */
static void test_embedbag_twins(void **state)
{
    (void)state;
    enum { E = 40, BUCKETS = 97 }; /* E not a multiple of 8: the vector loops' tails run too */
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    rbatch r;
    rbatch_make(&r, &rng, 9, 12, BUCKETS);
    dp_pack pk;
    memset(&pk, 0, sizeof pk);
    assert_int_equal(dp_pack_plan(&pk, &r.b, BUCKETS), DOPPEL_OK);
    float *table = malloc(BUCKETS * E * sizeof *table), *scale = malloc(BUCKETS * sizeof *scale);
    int8_t *q = malloc(BUCKETS * E);
    for (int i = 0; i < BUCKETS * E; i++) {
        table[i] = dp_rng_float(&rng) * 2 - 1;
        q[i] = (int8_t)((int)dp_rng_below(&rng, 255) - 127);
    }
    for (int i = 0; i < BUCKETS; i++)
        scale[i] = dp_rng_float(&rng) * 0.01f + 1e-4f;
    dp_embed_q8 q8 = {q, scale};
    size_t n = (size_t)pk.T * E;
    float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    for (int kind = 0; kind < 2; kind++) {
        memset(a, 0xff, n * sizeof *a), memset(b, 0, n * sizeof *b);
        dp_embedbag_forward(a, &r.b, &pk, kind ? NULL : table, kind ? &q8 : NULL, E);
        dp_embedbag_forward_portable(b, &r.b, &pk, kind ? NULL : table, kind ? &q8 : NULL, E);
        assert_memory_equal(a, b, n * sizeof *a);
        /* a bag of one row is that row, exactly */
        for (int t = 0; t < pk.T; t++)
            if (r.off[t + 1] - r.off[t] == 1) {
                uint32_t id = r.ids[r.off[t]];
                const float *row = a + (size_t)pk.tok_row[t] * E;
                assert_true(row[3] == (kind ? (float)q[id * E + 3] * scale[id] : table[id * E + 3]));
            }
    }
    free(a), free(b), free(table), free(scale), free(q);
    dp_pack_release(&pk);
    rbatch_free(&r);
}

static void test_empty_sequences(void **state)
{
    (void)state;
    dp_model *m = tiny_model(DP_POOL_MEANMAX, 2);
    size_t O = m->cfg.out_dim;
    dp_net_ws *ws;
    assert_int_equal(dp_net_ws_create(&ws, &m->cfg), DOPPEL_OK);
    static const int len[] = {0, 0};
    static const int off[] = {0};
    dp_batch b = {2, len, off, NULL};
    float out[2 * 7], want[7], norm;
    assert_int_equal(dp_net_forward(m, ws, &b, out, 1), DOPPEL_OK);
    dp_l2norm_forward(want, &norm, m->p.proj_b, 1, O); /* zero pooled vector → normalize(proj_b) */
    assert_memory_equal(out, want, sizeof want);
    assert_memory_equal(out + O, want, sizeof want);
    /* backward reaches only proj_b and touches no embedding row */
    float *grad = calloc(m->nparams, sizeof(float));
    dp_model_params g;
    dp_model_params_carve(&g, grad, &m->cfg);
    const uint32_t *touched;
    size_t nt = 99;
    float dout[2 * 7];
    for (size_t i = 0; i < 2 * O; i++)
        dout[i] = 1.0f;
    assert_int_equal(dp_net_backward(m, ws, &b, dout, &g, &touched, &nt), DOPPEL_OK);
    assert_int_equal(nt, 0);
    for (size_t i = 0; i < m->nparams; i++)
        if (grad + i < g.proj_b)
            assert_true(grad[i] == 0.0f);
    free(grad);
    dp_net_ws_free(ws);
    dp_model_free(m);
}

static void test_backward_needs_cache(void **state)
{
    (void)state;
    dp_model *m = tiny_model(DP_POOL_MEAN, 1);
    dp_net_ws *ws;
    assert_int_equal(dp_net_ws_create(&ws, &m->cfg), DOPPEL_OK);
    static const int len[] = {2};
    static const int off[] = {0, 1, 2};
    static const uint32_t ids[] = {3, 4};
    dp_batch b = {1, len, off, ids};
    float out[7], *grad = calloc(m->nparams, sizeof(float));
    dp_model_params g;
    dp_model_params_carve(&g, grad, &m->cfg);
    const uint32_t *touched;
    size_t nt;
    assert_int_equal(dp_net_forward(m, ws, &b, out, 0), DOPPEL_OK);
    assert_int_equal(dp_net_backward(m, ws, &b, out, &g, &touched, &nt), DOPPEL_ERR_INVALID);
    dp_model *other = tiny_model(DP_POOL_MAX, 1); /* shape differs from the workspace */
    assert_int_equal(dp_net_forward(other, ws, &b, out, 1), DOPPEL_ERR_INVALID);
    dp_model_free(other);
    free(grad);
    dp_net_ws_free(ws);
    dp_model_free(m);
}

/* max |a[i] - b[i]| over n values (a NaN difference is ignored, as fmax would; written as
 * a comparison because GCC 12's aarch64 vectorizer crashes on this fmax reduction) */
static double largest_difference(const float *a, const float *b, size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        if (d > worst)
            worst = d;
    }
    return worst;
}

/* Same bits on every call, with or without caches, after the workspace served other
 * batches; and each sequence's vector matches its vector computed alone. */
static void test_determinism_and_batch_independence(void **state)
{
    (void)state;
    static const uint32_t modes[] = {DP_POOL_MEAN, DP_POOL_MAX, DP_POOL_MEANMAX, DP_POOL_MEANMAX_BAG, DP_POOL_ATTNMAX};
    for (size_t mi = 0; mi < sizeof modes / sizeof *modes; mi++) {
        dp_model *m = tiny_model(modes[mi], 1 + (uint32_t)mi % 3); /* 3 layers reuse buffers in turn */
        size_t O = m->cfg.out_dim;
        dp_rng rng;
        dp_rng_seed(&rng, 7 + mi);
        rbatch big, small;
        rbatch_make(&big, &rng, 37, 12, m->cfg.buckets);
        rbatch_make(&small, &rng, 3, 30, m->cfg.buckets);
        dp_net_ws *ws;
        assert_int_equal(dp_net_ws_create(&ws, &m->cfg), DOPPEL_OK);
        float *a = malloc(37 * O * sizeof(float)), *b = malloc(37 * O * sizeof(float));
        assert_int_equal(dp_net_forward(m, ws, &big.b, a, 1), DOPPEL_OK);
        assert_int_equal(dp_net_forward(m, ws, &small.b, b, 1), DOPPEL_OK);
        assert_int_equal(dp_net_forward(m, ws, &big.b, b, 0), DOPPEL_OK);
        assert_memory_equal(a, b, 37 * O * sizeof(float));
        int off1[16];
        double worst = 0;
        for (int i = 0; i < 37; i++) {
            dp_batch one = single(&big, i, off1);
            float v[7];
            assert_int_equal(dp_net_forward(m, ws, &one, v, 0), DOPPEL_OK);
            worst = fmax(worst, largest_difference(v, a + i * O, O));
        }
        assert_true(worst < 1e-6);
        print_message("pooling %u: largest difference alone vs in a batch of 37: %.3g\n", modes[mi], worst);
        free(a);
        free(b);
        rbatch_free(&big);
        rbatch_free(&small);
        dp_net_ws_free(ws);
        dp_model_free(m);
    }
}

/* A meanmax model made attnmax (attn zero) encodes as before; once attn is not zero the
 * tokens weigh differently and the vectors move. Other poolings are refused. */
static void test_to_attnmax(void **state)
{
    (void)state;
    dp_model *m = tiny_model(DP_POOL_MEANMAX, 2), *a = NULL;
    doppel_diag d;
    assert_int_equal(dp_model_to_attnmax(&a, m, &d), DOPPEL_OK);
    assert_int_equal(a->cfg.pooling, DP_POOL_ATTNMAX);
    assert_int_equal(a->nparams, m->nparams + m->cfg.embed_dim);
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    rbatch r;
    rbatch_make(&r, &rng, 9, 12, m->cfg.buckets);
    size_t n = 9 * (size_t)m->cfg.out_dim;
    float *want = malloc(n * sizeof(float)), *got = malloc(n * sizeof(float));
    dp_net_ws *wm, *wa;
    assert_int_equal(dp_net_ws_create(&wm, &m->cfg), DOPPEL_OK);
    assert_int_equal(dp_net_ws_create(&wa, &a->cfg), DOPPEL_OK);
    assert_int_equal(dp_net_forward(m, wm, &r.b, want, 0), DOPPEL_OK);
    assert_int_equal(dp_net_forward(a, wa, &r.b, got, 0), DOPPEL_OK);
    assert_true(largest_difference(got, want, n) < 1e-6);
    a->p.attn[3] = 4.0f;
    assert_int_equal(dp_net_forward(a, wa, &r.b, got, 0), DOPPEL_OK);
    assert_true(largest_difference(got, want, n) > 1e-3);
    dp_model *mean = tiny_model(DP_POOL_MEAN, 1), *none = NULL;
    assert_int_equal(dp_model_to_attnmax(&none, mean, &d), DOPPEL_ERR_INVALID);
    assert_null(none);
    assert_non_null(strstr(d.message, "(this one: mean)"));
    dp_model_free(mean);
    dp_net_ws_free(wm);
    dp_net_ws_free(wa);
    rbatch_free(&r);
    free(want);
    free(got);
    dp_model_free(a);
    dp_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_layout),
        cmocka_unit_test(test_invalid_batches),
        cmocka_unit_test(test_embedbag_twins),
        cmocka_unit_test(test_empty_sequences),
        cmocka_unit_test(test_backward_needs_cache),
        cmocka_unit_test(test_determinism_and_batch_independence),
        cmocka_unit_test(test_to_attnmax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
