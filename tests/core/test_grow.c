/* The growth helper: capacities it chooses, its ceiling, and failure leaving the array as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "core/grow.h"
#include "doppel.h"

static void test_doubles(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(dp_grow((void **)&v, &cap, 0, sizeof *v), DOPPEL_OK);
    assert_non_null(v);
    assert_int_equal(cap, 1); /* an empty array still gets a block, so v[0] is addressable */
    assert_int_equal(dp_grow((void **)&v, &cap, 1, sizeof *v), DOPPEL_OK);
    assert_int_equal(cap, 1); /* fits: nothing moves */
    assert_int_equal(dp_grow((void **)&v, &cap, 2, sizeof *v), DOPPEL_OK);
    assert_int_equal(cap, 2);
    assert_int_equal(dp_grow((void **)&v, &cap, 3, sizeof *v), DOPPEL_OK);
    assert_int_equal(cap, 4);
    assert_int_equal(dp_grow((void **)&v, &cap, 100, sizeof *v), DOPPEL_OK);
    assert_int_equal(cap, 100); /* more than double asked: exactly that */
    for (size_t i = 0; i < cap; i++)
        v[i] = (int)i;
    assert_int_equal(dp_grow((void **)&v, &cap, 101, sizeof *v), DOPPEL_OK);
    assert_int_equal(cap, 200);
    for (int i = 0; i < 100; i++)
        assert_int_equal(v[i], i); /* kept across the move */
    free(v);
}

static void test_first_and_ceiling(void **state)
{
    (void)state;
    double *v = NULL;
    size_t cap = 0;
    assert_int_equal(DP_GROW(v, cap, 1, 64), DOPPEL_OK);
    assert_int_equal(cap, 64);
    assert_int_equal(DP_GROW(v, cap, 65, 64), DOPPEL_OK);
    assert_int_equal(cap, 128);
    free(v);

    char *b = NULL;
    cap = 0;
    assert_int_equal(dp_grow_in((void **)&b, &cap, 10, 1, 4096, 1000), DOPPEL_OK);
    assert_int_equal(cap, 1000); /* the first capacity is held to the ceiling */
    free(b), b = NULL, cap = 0;
    assert_int_equal(dp_grow_in((void **)&b, &cap, 10, 1, 8, 12), DOPPEL_OK);
    assert_int_equal(cap, 10);
    assert_int_equal(dp_grow_in((void **)&b, &cap, 11, 1, 8, 12), DOPPEL_OK);
    assert_int_equal(cap, 12); /* doubling to 20 stops at 12 */
    free(b);
}

static void test_overflow(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(DP_GROW(v, cap, 4, 4), DOPPEL_OK);
    int *was = v;
    assert_int_equal(DP_GROW(v, cap, SIZE_MAX / 2, 4), DOPPEL_ERR_NOMEM);
    assert_ptr_equal(v, was); /* unchanged on failure */
    assert_int_equal(cap, 4);
    size_t big = SIZE_MAX / 2 + 1;
    assert_int_equal(dp_grow((void **)&v, &big, SIZE_MAX, sizeof *v), DOPPEL_ERR_NOMEM); /* 2 * cap overflows */
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_first_and_ceiling),
        cmocka_unit_test(test_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
