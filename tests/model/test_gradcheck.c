/*
 * Gradient check of the whole network in double precision: the layer sources are
 * compiled here a second time with dp_real = double (model/real.h), and every analytic
 * gradient of L = Σ w ⊙ out is compared with a central finite difference of L, for every
 * parameter of a tiny model (embedding rows included) and every pooling mode.
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

#define DP_REAL_DOUBLE
#include "model/embedbag.c"
#include "model/gru.c"
#include "model/l2norm.c"
#include "model/linear.c"
#include "model/net.c"
#include "model/pool.c"

#include "core/rng.h"

/* Four sequences: lengths 3, 1, 5 and 0; bags of 1..3 ids, one repeated id, one empty bag. */
static const int seq_len[] = {3, 1, 5, 0};
static const int tok_off[] = {0, 2, 3, 6, 7, 8, 8, 11, 12, 14};
static const uint32_t ids[] = {3, 9, 16, 4, 4, 1, 0, 12, 7, 3, 2, 11, 5, 12};
static const dp_batch batch = {4, seq_len, tok_off, ids};

typedef struct {
    dp_model_config cfg;
    size_t n;             /* parameters */
    double *theta, *grad; /* [n] */
    dp_model_params_d p, g;
    dp_net_ws_d *ws;
    double *w, *out; /* [B][O] */
} fixture;

/* The double views at the offsets model.c gives the float block. */
static void carve_d(dp_model_params_d *d, double *block, const dp_model *m)
{
#define AT(f) (block + ((f) - m->block))
    memset(d, 0, sizeof *d);
    d->embed = AT(m->p.embed);
    for (uint32_t l = 0; l < m->cfg.layers; l++)
        for (int k = 0; k < 2; k++) {
            d->gru[l][k].w_ih = AT(m->p.gru[l][k].w_ih);
            d->gru[l][k].w_hh = AT(m->p.gru[l][k].w_hh);
            d->gru[l][k].b_ih = AT(m->p.gru[l][k].b_ih);
            d->gru[l][k].b_hh = AT(m->p.gru[l][k].b_hh);
        }
    d->proj_w = AT(m->p.proj_w);
    d->proj_b = AT(m->p.proj_b);
    if (m->p.attn)
        d->attn = AT(m->p.attn);
#undef AT
}

static double loss(fixture *f)
{
    assert_int_equal(dp_net_forward_params_d(&f->p, f->ws, &batch, f->out, 0), DOPPEL_OK);
    double s = 0;
    for (size_t i = 0; i < (size_t)batch.B * f->cfg.out_dim; i++)
        s += f->w[i] * f->out[i];
    return s;
}

static void check_mode(uint32_t pooling, uint32_t layers)
{
    fixture f;
    memset(&f, 0, sizeof f);
    dp_model_config_default(&f.cfg);
    f.cfg.embed_dim = 5;
    f.cfg.hidden = 4;
    f.cfg.layers = layers;
    f.cfg.out_dim = 3;
    f.cfg.buckets = 17;
    f.cfg.pooling = pooling;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &f.cfg, NULL), DOPPEL_OK);
    f.n = m->nparams;
    f.theta = malloc(f.n * sizeof(double));
    f.grad = calloc(f.n, sizeof(double));
    size_t nout = (size_t)batch.B * f.cfg.out_dim;
    f.w = malloc(nout * sizeof(double));
    f.out = malloc(nout * sizeof(double));
    assert_true(f.theta && f.grad && f.w && f.out);
    carve_d(&f.p, f.theta, m);
    carve_d(&f.g, f.grad, m);
    dp_rng rng;
    dp_rng_seed(&rng, 1234 + pooling);
    for (size_t i = 0; i < f.n; i++)
        f.theta[i] = 1.6 * (double)dp_rng_float(&rng) - 0.8; /* large enough to leave the linear regime */
    for (size_t i = 0; i < nout; i++)
        f.w[i] = 2.0 * (double)dp_rng_float(&rng) - 1.0;
    assert_int_equal(dp_net_ws_create_d(&f.ws, &f.cfg), DOPPEL_OK);

    assert_int_equal(dp_net_forward_params_d(&f.p, f.ws, &batch, f.out, 1), DOPPEL_OK);
    for (int b = 0; b < batch.B; b++) { /* unit vectors, the empty sequence included */
        double s = 0;
        for (size_t i = 0; i < f.cfg.out_dim; i++)
            s += f.out[b * f.cfg.out_dim + i] * f.out[b * f.cfg.out_dim + i];
        assert_true(fabs(s - 1.0) < 1e-12);
    }
    const uint32_t *touched;
    size_t nt;
    assert_int_equal(dp_net_backward_params_d(&f.p, f.ws, &batch, f.w, &f.g, &touched, &nt), DOPPEL_OK);
    static const uint32_t uniq[] = {0, 1, 2, 3, 4, 5, 7, 9, 11, 12, 16};
    assert_int_equal(nt, sizeof uniq / sizeof *uniq);
    assert_memory_equal(touched, uniq, sizeof uniq);

    const double h = 1e-5;
    double worst = 0;
    size_t checked = 0;
    for (size_t i = 0; i < f.n; i++) {
        double keep = f.theta[i];
        f.theta[i] = keep + h;
        double lp = loss(&f);
        f.theta[i] = keep - h;
        double lm = loss(&f);
        f.theta[i] = keep;
        double num = (lp - lm) / (2 * h), ana = f.grad[i];
        double err = fabs(num - ana) / fmax(fmax(fabs(num), fabs(ana)), 1e-3);
        if (err > worst)
            worst = err;
        if (err > 1e-6)
            fail_msg("pooling %u layers %u param %zu: analytic %.12g numeric %.12g", pooling, layers, i, ana, num);
        checked += num != 0.0;
    }
    /* Rows never looked up have no gradient; all other parameters do. */
    for (size_t r = 0; r < f.cfg.buckets; r++) {
        int used = 0;
        for (size_t k = 0; k < nt; k++)
            used |= touched[k] == r;
        for (size_t i = 0; i < f.cfg.embed_dim; i++)
            assert_true(used || f.grad[r * f.cfg.embed_dim + i] == 0.0);
    }
    assert_true(checked > f.n / 2);
    print_message("pooling %u, %u layer(s): %zu parameters, worst relative error %.2e\n", pooling, layers, f.n,
                  worst);
    dp_net_ws_free_d(f.ws);
    dp_model_free(m);
    free(f.theta);
    free(f.grad);
    free(f.w);
    free(f.out);
}

static void test_mean(void **state)
{
    (void)state;
    check_mode(DP_POOL_MEAN, 2);
}

static void test_max(void **state)
{
    (void)state;
    check_mode(DP_POOL_MAX, 2);
}

static void test_meanmax(void **state)
{
    (void)state;
    check_mode(DP_POOL_MEANMAX, 2);
    check_mode(DP_POOL_MEANMAX, 3);
}

static void test_meanmax_bag(void **state)
{
    (void)state;
    check_mode(DP_POOL_MEANMAX_BAG, 1);
    check_mode(DP_POOL_MEANMAX_BAG, 2);
}

static void test_attnmax(void **state)
{
    (void)state;
    check_mode(DP_POOL_ATTNMAX, 1);
    check_mode(DP_POOL_ATTNMAX, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_max),
        cmocka_unit_test(test_meanmax),
        cmocka_unit_test(test_meanmax_bag),
        cmocka_unit_test(test_attnmax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
