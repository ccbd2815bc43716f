/*
 * The sweep's default thresholds (sweep/sweep.h) were calibrated with one model: the
 * shipped corpora/models/default.dpm must be that model, so that replacing it without
 * recalibrating (corpora/synth/README.md) fails here rather than silently changing what
 * the sweep reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "model/modelfile.h"
#include "sweep/index.h"
#include "sweep/sweep.h"

static void test_shipped_model_is_the_calibrated_one(void **state)
{
    (void)state;
    const char *root = getenv("DOPPEL_SOURCE_ROOT");
    assert_non_null(root);
    char path[4096];
    snprintf(path, sizeof path, "%s/corpora/models/default.dpm", root);
    dp_model *m;
    assert_int_equal(dp_model_load_info(&m, NULL, path, DP_MODEL_KEEP_INT8, NULL), DOPPEL_OK);
    uint32_t id = dp_model_identity(m);
    dp_model_free(m);
    if (id != DP_SWEEP_CALIBRATED_MODEL)
        fail_msg("%s has identity 0x%08x; the sweep's defaults were calibrated with 0x%08x: recalibrate "
                 "them (corpora/synth/README.md) and set DP_SWEEP_CALIBRATED_MODEL",
                 path, id, DP_SWEEP_CALIBRATED_MODEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_model_is_the_calibrated_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
