/*
 * The float network against PyTorch: tests/model/data/torch_fixture.bin holds, for
 * several shapes and all pooling modes, a batch, weights, PyTorch's outputs and the
 * gradients of L = Σ w ⊙ out (format and regeneration: make_torch_fixture.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/readfile.h"
#include "model/net.h"

typedef struct {
    const unsigned char *p, *end;
} reader;

static uint32_t rd_u32(reader *r)
{
    assert_true(r->end - r->p >= 4);
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

static void *rd_array(reader *r, size_t n, int is_float)
{
    uint32_t *a = malloc((n ? n : 1) * 4);
    assert_non_null(a);
    for (size_t i = 0; i < n; i++)
        a[i] = rd_u32(r);
    if (is_float) { /* reinterpret the little-endian bits as IEEE floats */
        float *f = (float *)(void *)a;
        for (size_t i = 0; i < n; i++) {
            uint32_t bits = a[i];
            memcpy(&f[i], &bits, 4);
        }
    }
    return a;
}

static int close_enough(float got, float want)
{
    return fabsf(got - want) <= 1e-4f * fabsf(want) + 1e-6f;
}

static void check_case(reader *r)
{
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.embed_dim = rd_u32(r);
    cfg.hidden = rd_u32(r);
    cfg.layers = rd_u32(r);
    cfg.out_dim = rd_u32(r);
    cfg.buckets = rd_u32(r);
    cfg.pooling = rd_u32(r);
    int B = (int)rd_u32(r), T = (int)rd_u32(r);
    size_t nids = rd_u32(r), nparams = rd_u32(r);
    int *seq_len = rd_array(r, (size_t)B, 0), *tok_off = rd_array(r, (size_t)T + 1, 0);
    uint32_t *ids = rd_array(r, nids, 0);
    float *params = rd_array(r, nparams, 1);
    size_t nout = (size_t)B * cfg.out_dim;
    float *w = rd_array(r, nout, 1), *want_out = rd_array(r, nout, 1), *want_grad = rd_array(r, nparams, 1);

    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    assert_int_equal(m->nparams, nparams);
    memcpy(m->block, params, nparams * sizeof(float));
    float *grad = calloc(nparams, sizeof(float)), *out = malloc(nout * sizeof(float));
    assert_true(grad && out);
    dp_model_params g;
    dp_model_params_carve(&g, grad, &cfg);
    dp_net_ws *ws;
    assert_int_equal(dp_net_ws_create(&ws, &cfg), DOPPEL_OK);
    dp_batch batch = {B, seq_len, tok_off, ids};

    assert_int_equal(dp_net_forward(m, ws, &batch, out, 1), DOPPEL_OK);
    for (size_t i = 0; i < nout; i++)
        if (!close_enough(out[i], want_out[i]))
            fail_msg("pooling %u: out[%zu] = %.8g, PyTorch %.8g", cfg.pooling, i, (double)out[i],
                     (double)want_out[i]);
    const uint32_t *touched;
    size_t nt;
    assert_int_equal(dp_net_backward(m, ws, &batch, w, &g, &touched, &nt), DOPPEL_OK);
    for (size_t i = 0; i < nparams; i++)
        if (!close_enough(grad[i], want_grad[i]))
            fail_msg("pooling %u layers %u: grad[%zu] = %.8g, PyTorch %.8g", cfg.pooling, cfg.layers, i,
                     (double)grad[i], (double)want_grad[i]);
    /* every row PyTorch gives a gradient is in the touched list */
    for (size_t row = 0; row < cfg.buckets; row++) {
        int nz = 0, listed = 0;
        for (size_t i = 0; i < cfg.embed_dim; i++)
            nz |= want_grad[row * cfg.embed_dim + i] != 0.0f;
        for (size_t k = 0; k < nt; k++)
            listed |= touched[k] == row;
        assert_true(!nz || listed);
    }
    dp_net_ws_free(ws);
    dp_model_free(m);
    free(grad);
    free(out);
    free(seq_len);
    free(tok_off);
    free(ids);
    free(params);
    free(w);
    free(want_out);
    free(want_grad);
}

static void test_fixture(void **state)
{
    (void)state;
    char *data;
    size_t len;
    assert_int_equal(dp_read_file(DOPPEL_TEST_DATA "/model/data/torch_fixture.bin", 1 << 24, &data, &len, NULL),
                     DOPPEL_OK);
    reader r = {(const unsigned char *)data, (const unsigned char *)data + len};
    assert_true(len >= 12 && memcmp(data, "DPTF", 4) == 0);
    r.p += 4;
    assert_int_equal(rd_u32(&r), 1);
    uint32_t ncases = rd_u32(&r);
    assert_int_equal(ncases, 6); /* one per pooling mode, and a 3-layer model */
    for (uint32_t c = 0; c < ncases; c++)
        check_case(&r);
    assert_true(r.p == r.end);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
