/* AdamW steps against hand-computed values, lazy sparse rows, clipping, the LR schedule. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "doppel.h"
#include "train/optim.h"

static void test_adamw_hand(void **state)
{
    (void)state;
    dp_adamw_config c = {0.9f, 0.999f, 1e-8f, 0.1f};
    dp_adamw o;
    assert_int_equal(dp_adamw_init(&o, &c, 2, 0, 1), DOPPEL_OK);
    float p[2] = {1.0f, -2.0f};
    /* t=1, g=(0.5,-1): m=(0.05,-0.1), v=(0.00025,0.001), m̂=g, v̂=g², step = sign(g);
     * p = p - 0.1·(sign(g) + 0.1·p) = (1 - 0.1 - 0.01, -2 + 0.1 + 0.02) = (0.89, -1.88) */
    const float g1[2] = {0.5f, -1.0f};
    dp_adamw_step(&o, p, g1, NULL, 0, 0.1f);
    assert_float_equal(p[0], 0.89f, 1e-6);
    assert_float_equal(p[1], -1.88f, 1e-6);
    /* t=2, g=(0.5,0.5):
     * [0] m=0.095, v=0.00049975, m̂=0.095/0.19=0.5, v̂=0.00049975/0.001999=0.25 -> step 1;
     *     p = 0.89 - 0.1·(1 + 0.089) = 0.7811
     * [1] m=-0.04, v=0.001249, m̂=-0.2105263, v̂=0.6248124, √v̂=0.7904508 -> step -0.2663320;
     *     p = -1.88 - 0.1·(-0.2663320 - 0.188) = -1.8345668 */
    const float g2[2] = {0.5f, 0.5f};
    dp_adamw_step(&o, p, g2, NULL, 0, 0.1f);
    assert_float_equal(p[0], 0.7811f, 2e-6);
    assert_float_equal(p[1], -1.8345668f, 2e-6);
    assert_float_equal(o.m[1], -0.04f, 1e-7);
    assert_float_equal(o.v[1], 0.001249f, 1e-7);
    assert_int_equal(o.t, 2);
    dp_adamw_free(&o);
}

enum { ROWS = 4, DIM = 3, DENSE = 5, N = ROWS * DIM + DENSE };

static void test_sparse_rows(void **state)
{
    (void)state;
    dp_adamw_config c;
    dp_adamw_config_default(&c);
    dp_adamw o, ref;
    assert_int_equal(dp_adamw_init(&o, &c, N, ROWS, DIM), DOPPEL_OK);
    assert_int_equal(dp_adamw_init(&ref, &c, N, 0, 1), DOPPEL_OK); /* all dense */
    float p[N], q[N], before[N], g[N];
    for (int i = 0; i < N; i++)
        p[i] = q[i] = 0.1f * (float)(i - 7);
    memcpy(before, p, sizeof p);
    /* Rows 0 and 2 are touched in every step; the gradient of rows 1 and 3 is NaN and must
     * never be read. The dense reference sees zero there and updates all rows. */
    const uint32_t touched[2] = {2, 0};
    for (int step = 0; step < 3; step++) {
        for (int i = 0; i < N; i++)
            g[i] = 0.05f * (float)((i * 7 + step * 3) % 11) - 0.2f;
        float gref[N];
        memcpy(gref, g, sizeof g);
        for (int k = 0; k < DIM; k++) {
            g[1 * DIM + k] = g[3 * DIM + k] = NAN;
            gref[1 * DIM + k] = gref[3 * DIM + k] = 0.0f;
        }
        dp_adamw_step(&o, p, g, touched, 2, 0.01f);
        dp_adamw_step(&ref, q, gref, NULL, 0, 0.01f);
    }
    for (int k = 0; k < DIM; k++) {
        assert_memory_equal(&p[1 * DIM + k], &before[1 * DIM + k], sizeof(float));
        assert_memory_equal(&p[3 * DIM + k], &before[3 * DIM + k], sizeof(float));
        assert_true(o.m[1 * DIM + k] == 0.0f && o.v[3 * DIM + k] == 0.0f);
        /* touched rows follow the dense optimizer exactly */
        assert_memory_equal(&p[0 * DIM + k], &q[0 * DIM + k], sizeof(float));
        assert_memory_equal(&p[2 * DIM + k], &q[2 * DIM + k], sizeof(float));
    }
    assert_memory_equal(p + ROWS * DIM, q + ROWS * DIM, sizeof(float) * DENSE);
    /* the dense reference did move the untouched rows (weight decay, zero-gradient moments) */
    assert_true(q[1 * DIM] != before[1 * DIM]);
    dp_adamw_free(&o);
    dp_adamw_free(&ref);
}

static void test_clip(void **state)
{
    (void)state;
    dp_adamw_config c;
    dp_adamw_config_default(&c);
    dp_adamw o;
    assert_int_equal(dp_adamw_init(&o, &c, 2 * 2 + 2, 2, 2), DOPPEL_OK);
    /* touched row 1 = (0, 3), dense = (4, 0); row 0 (untouched) = 100 and is ignored. Norm 5. */
    float g[6] = {100, 100, 0, 3, 4, 0};
    const uint32_t row1 = 1;
    assert_float_equal(dp_grad_clip(g, &o, &row1, 1, 10.0f), 5.0, 1e-9);
    assert_float_equal(g[3], 3.0f, 0); /* under the limit: unchanged */
    assert_float_equal(dp_grad_clip(g, &o, &row1, 1, 1.0f), 5.0, 1e-9);
    assert_float_equal(g[3], 0.6f, 1e-7);
    assert_float_equal(g[4], 0.8f, 1e-7);
    assert_float_equal(g[0], 100.0f, 0);
    assert_float_equal(dp_grad_clip(g, &o, &row1, 1, 0.0f), 1.0, 1e-6);
    dp_adamw_free(&o);
}

static void test_schedule(void **state)
{
    (void)state;
    dp_lr_schedule s = {1.0f, 4, 14, DP_DECAY_LINEAR, 0.0f};
    assert_float_equal(dp_lr_at(&s, 0), 0.25f, 0);
    assert_float_equal(dp_lr_at(&s, 3), 1.0f, 0);
    assert_float_equal(dp_lr_at(&s, 4), 1.0f, 0);
    assert_float_equal(dp_lr_at(&s, 9), 0.5f, 1e-7);
    assert_float_equal(dp_lr_at(&s, 14), 0.0f, 0);
    assert_float_equal(dp_lr_at(&s, 100), 0.0f, 0);
    s.decay = DP_DECAY_COSINE;
    s.final_frac = 0.1f;
    /* p = 0.2: 0.1 + 0.9·0.5·(1 + cos(0.2π)) = 0.1 + 0.9·0.9045085 = 0.9140576 */
    assert_float_equal(dp_lr_at(&s, 6), 0.9140576f, 1e-6);
    assert_float_equal(dp_lr_at(&s, 14), 0.1f, 1e-7);
    s.decay = DP_DECAY_NONE;
    assert_float_equal(dp_lr_at(&s, 1000), 1.0f, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adamw_hand),
        cmocka_unit_test(test_sparse_rows),
        cmocka_unit_test(test_clip),
        cmocka_unit_test(test_schedule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
