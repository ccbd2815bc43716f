/*
 * Training end to end on committed STS-B slices: a tiny model trained for a few hundred
 * steps with a fixed seed must lower its loss and raise the Spearman correlation of its
 * cosine on held-out pairs by at least 0.05 over its random initialisation.
 * DOPPEL_SMOKE_STEPS overrides the step count (e.g. for slow sanitizer builds).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "doppel.h"
#include "model/model.h"
#include "random_model.h"
#include "train/dataset.h"
#include "train/trainer.h"

static void read_slice(dp_dataset *ds, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/train/data/%s", DOPPEL_TEST_DATA, name);
    dp_data_counts c;
    assert_int_equal(dp_dataset_read(ds, path, DP_DATA_STSB, NULL, NULL, &c, NULL), DOPPEL_OK);
    assert_int_equal(c.skipped, 0);
}

static void test_smoke(void **state)
{
    (void)state;
    int steps = 300;
    const char *env = getenv("DOPPEL_SMOKE_STEPS");
    if (env && atoi(env) >= 100)
        steps = atoi(env);
    dp_dataset train, dev;
    dp_dataset_init(&train);
    dp_dataset_init(&dev);
    read_slice(&train, "stsb_train_600.tsv");
    read_slice(&dev, "stsb_dev_200.tsv");
    assert_int_equal(train.n, 600);
    assert_int_equal(dev.n, 200);

    dp_model *m = random_model(16, 16, 32, 8192, 1);

    dp_loss_mix mix = {.n = 1, .weight = {1.0f}, .pos_frac = {-1.0f}};
    dp_loss_spec_default(&mix.loss[0], DP_LOSS_COSENT);
    dp_train_config cfg;
    dp_train_config_default(&cfg, (uint64_t)steps);
    cfg.batch = 32;
    cfg.lr.peak = 0.005f;
    cfg.seed = 7;
    dp_trainer *t;
    doppel_diag d;
    assert_int_equal(dp_trainer_create(&t, m, &train, &mix, &dev, &cfg, &d), DOPPEL_OK);

    double before, after;
    assert_int_equal(dp_trainer_dev_spearman(t, &before, &d), DOPPEL_OK);
    const int window = 50;
    double first = 0.0, last = 0.0;
    for (int s = 0; s < steps; s++) {
        float loss;
        assert_int_equal(dp_trainer_step(t, &loss, &d), DOPPEL_OK);
        assert_true(isfinite(loss));
        if (s < window)
            first += (double)loss / window;
        if (s >= steps - window)
            last += (double)loss / window;
    }
    assert_int_equal(dp_trainer_dev_spearman(t, &after, &d), DOPPEL_OK);
    print_message("steps %d: loss %.4f -> %.4f, held-out Spearman %.4f -> %.4f\n", steps, first, last, before,
                  after);
    assert_true(last < first);
    assert_true(after >= before + 0.05);
    dp_trainer_free(t);
    dp_model_free(m);
    dp_dataset_free(&train);
    dp_dataset_free(&dev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smoke),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
