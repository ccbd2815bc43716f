/* dp_model_average: hand values over every parameter, the end points, a double reference,
 * and the models it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "model/average.h"
#include "model/modelfile.h"

static dp_model *tiny(uint32_t hidden, uint32_t pooling, uint64_t seed)
{
    dp_model_config c;
    dp_model_config_default(&c);
    c.buckets = 40, c.embed_dim = 6, c.hidden = hidden, c.layers = 2, c.out_dim = 5, c.pooling = pooling;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &c, NULL), DOPPEL_OK);
    dp_model_init_random(m, seed);
    return m;
}

static void test_hand_values(void **state)
{
    (void)state;
    dp_model *a = tiny(3, DP_POOL_ATTNMAX, 1), *b = tiny(3, DP_POOL_ATTNMAX, 2), *m;
    for (size_t i = 0; i < a->nparams; i++)
        a->block[i] = 2.0f, b->block[i] = -1.0f;
    assert_int_equal(dp_model_average(&m, a, b, 0.25f, NULL), DOPPEL_OK);
    assert_int_equal(m->nparams, a->nparams);
    for (size_t i = 0; i < m->nparams; i++) /* 0.75 * 2 + 0.25 * -1 */
        assert_true(m->block[i] == 1.25f);
    /* the views of the result point into its own block */
    assert_true(m->p.embed == m->block && m->p.attn[0] == 1.25f && m->p.proj_b[4] == 1.25f);
    dp_model_free(m);
    dp_model_free(a);
    dp_model_free(b);
}

static void test_end_points_and_reference(void **state)
{
    (void)state;
    dp_model *a = tiny(4, DP_POOL_MEANMAX, 3), *b = tiny(4, DP_POOL_MEANMAX, 4), *m;
    const float ts[] = {0.0f, 1.0f, 0.3f};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(dp_model_average(&m, a, b, ts[k], NULL), DOPPEL_OK);
        assert_true(m->cfg.hidden == 4 && m->cfg.pooling == DP_POOL_MEANMAX);
        int moved = 0;
        for (size_t i = 0; i < m->nparams; i++) {
            double ref = (1.0 - ts[k]) * a->block[i] + (double)ts[k] * b->block[i];
            if (k < 2)
                assert_true(m->block[i] == (k ? b->block[i] : a->block[i]));
            else
                assert_true(fabs(m->block[i] - ref) <= 1e-6 * (1.0 + fabs(ref)));
            moved += m->block[i] != a->block[i];
        }
        assert_true(k == 0 ? moved == 0 : moved > (int)m->nparams / 2);
        dp_model_free(m);
    }
    dp_model_free(a);
    dp_model_free(b);
}

static void test_refuses(void **state)
{
    (void)state;
    dp_model *a = tiny(3, DP_POOL_MEANMAX, 1), *b = tiny(4, DP_POOL_MEANMAX, 2), *m = NULL;
    doppel_diag d;
    dp_diag_clear(&d);
    assert_int_equal(dp_model_average(&m, a, b, 0.5f, &d), DOPPEL_ERR_INVALID);
    assert_null(m);
    assert_non_null(strstr(d.message, "architecture"));
    assert_int_equal(dp_model_average(&m, a, a, 1.5f, NULL), DOPPEL_ERR_INVALID);
    assert_int_equal(dp_model_average(&m, a, a, -0.1f, NULL), DOPPEL_ERR_INVALID);
    assert_int_equal(dp_model_average(&m, a, a, NAN, NULL), DOPPEL_ERR_INVALID);
    /* an encoder's int8 table has no fp32 parameters to average */
    void *buf;
    size_t len;
    assert_int_equal(dp_model_save_buffer(a, DP_DTYPE_INT8, NULL, &buf, &len, NULL), DOPPEL_OK);
    dp_model *q;
    assert_int_equal(dp_model_read_flags(&q, NULL, buf, len, DP_MODEL_KEEP_INT8, NULL), DOPPEL_OK);
    assert_int_equal(dp_model_average(&m, a, q, 0.5f, NULL), DOPPEL_ERR_INVALID);
    assert_null(m);
    dp_model_free(q);
    free(buf);
    dp_model_free(a);
    dp_model_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_values),
        cmocka_unit_test(test_end_points_and_reference),
        cmocka_unit_test(test_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
