/* Every pair or the candidates, by cost: a small corpus compares every pair; one whose
 * every-pair alignment would cost far more than its candidates takes the candidates, even
 * below all_pairs_limit; --all-pairs still compares every pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "sweep/sweep.h"

static int on_pair(void *ctx, const dp_pair_result *p, uint32_t a, uint32_t b)
{
    (void)ctx, (void)p, (void)a, (void)b;
    return 0;
}

/* n documents of 20 sentences of 4 random made-up words each: nothing shared. */
static size_t compared(size_t n, int all_pairs)
{
    dp_sweep_opts o;
    dp_sweep_opts_default(&o);
    o.all_pairs = all_pairs;
    dp_sweep *s;
    assert_int_equal(dp_sweep_create(&s, NULL, 0, &o), DOPPEL_OK);
    dp_rng r;
    dp_rng_seed(&r, 3);
    char text[2048], id[24];
    for (size_t d = 0; d < n; d++) {
        size_t len = 0;
        for (int st = 0; st < 20; st++)
            for (int w = 0; w < 4; w++)
                len += (size_t)snprintf(text + len, sizeof text - len, "%sW%u%s", w ? " " : "",
                                        (unsigned)dp_rng_below(&r, 1u << 30), w == 3 ? ". " : "");
        snprintf(id, sizeof id, "d%zu", d);
        assert_int_equal(dp_sweep_add(s, id, text, len, 0, NULL), DOPPEL_OK);
    }
    dp_sweep_stats st;
    assert_int_equal(dp_sweep_run(s, on_pair, NULL, NULL, &st), DOPPEL_OK);
    dp_sweep_free(s);
    return st.pairs_compared;
}

static void test_choice(void **state)
{
    (void)state;
    /* 60 documents: 1770 pairs x (32 + 20 x 20) is cheap: every pair */
    assert_int_equal(compared(60, 0), 1770);
    /* 160: 12720 pairs cost ~5.5M and there are no candidates: none compared, though
     * 160 is below all_pairs_limit */
    assert_int_equal(compared(160, 0), 0);
    assert_int_equal(compared(160, 1), 12720);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_choice)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
