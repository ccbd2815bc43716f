/* The training loop: a checkpointed and resumed run equals an uninterrupted one bit for
 * bit, and one or two threads give the same bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "doppel.h"
#include "model/model.h"
#include "train/dataset.h"
#include "train/trainer.h"

static dp_model *tiny_model(uint64_t seed)
{
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.embed_dim = 8;
    cfg.hidden = 6;
    cfg.out_dim = 10;
    cfg.buckets = 2048;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    dp_model_init_random(m, seed);
    return m;
}

static void load(dp_dataset *ds)
{
    char path[512];
    dp_dataset_init(ds);
    snprintf(path, sizeof path, "%s/train/data/stsb_slice.tsv", DOPPEL_TEST_DATA);
    assert_int_equal(dp_dataset_read(ds, path, DP_DATA_STSB, NULL, NULL, NULL, NULL), DOPPEL_OK);
    snprintf(path, sizeof path, "%s/train/data/triplets.tsv", DOPPEL_TEST_DATA);
    assert_int_equal(dp_dataset_read(ds, path, DP_DATA_TRIPLETS, NULL, NULL, NULL, NULL), DOPPEL_OK);
}

static void mixture(dp_loss_mix *mix)
{
    memset(mix, 0, sizeof *mix);
    mix->n = 2;
    mix->weight[0] = 2.0f;
    mix->weight[1] = 1.0f;
    dp_loss_spec_default(&mix->loss[0], DP_LOSS_COSENT);
    dp_loss_spec_default(&mix->loss[1], DP_LOSS_TRIPLET);
    mix->pos_frac[0] = mix->pos_frac[1] = -1.0f;
}

/* Trains a fresh model for `steps` steps (resuming from `resume` if given), optionally
 * writing a checkpoint at the end; returns the model. */
static dp_model *train(const dp_dataset *ds, int threads, uint64_t steps, const char *resume, const char *save,
                       uint64_t init_seed)
{
    dp_model *m = tiny_model(init_seed);
    dp_loss_mix mix;
    mixture(&mix);
    dp_train_config cfg;
    dp_train_config_default(&cfg, 10);
    cfg.batch = 4;
    cfg.threads = threads;
    cfg.seed = 5;
    cfg.lr.peak = 0.01f;
    dp_trainer *t;
    doppel_diag d;
    assert_int_equal(dp_trainer_create(&t, m, ds, &mix, NULL, &cfg, &d), DOPPEL_OK);
    if (resume) {
        assert_int_equal(dp_trainer_resume(t, resume, &d), DOPPEL_OK);
        assert_int_equal(dp_trainer_step_count(t), 4);
    }
    while (dp_trainer_step_count(t) < steps) {
        float loss;
        assert_int_equal(dp_trainer_step(t, &loss, &d), DOPPEL_OK);
        assert_true(loss >= 0.0f);
    }
    if (save)
        assert_int_equal(dp_trainer_checkpoint(t, save, &d), DOPPEL_OK);
    dp_trainer_free(t);
    return m;
}

static void test_resume_exact(void **state)
{
    (void)state;
    dp_dataset ds;
    load(&ds);
    char ckpt[] = "/tmp/doppel_ckpt_XXXXXX";
    int fd = mkstemp(ckpt);
    assert_true(fd >= 0);
    close(fd);
    dp_model *whole = train(&ds, 1, 10, NULL, NULL, 3);
    dp_model *init = tiny_model(3);
    assert_memory_not_equal(whole->block, init->block, whole->nparams * sizeof(float));
    dp_model_free(train(&ds, 1, 4, NULL, ckpt, 3));
    /* different initial weights: everything must come from the checkpoint */
    dp_model *resumed = train(&ds, 1, 10, ckpt, NULL, 99);
    assert_memory_equal(whole->block, resumed->block, whole->nparams * sizeof(float));
    dp_model *two = train(&ds, 2, 10, NULL, NULL, 3);
    assert_memory_equal(whole->block, two->block, whole->nparams * sizeof(float));

    /* a checkpoint of another run is refused */
    dp_model *m = tiny_model(1);
    dp_loss_mix mix;
    mixture(&mix);
    dp_train_config cfg;
    dp_train_config_default(&cfg, 10);
    cfg.batch = 8;
    dp_trainer *t;
    doppel_diag d;
    assert_int_equal(dp_trainer_create(&t, m, &ds, &mix, NULL, &cfg, &d), DOPPEL_OK);
    assert_int_equal(dp_trainer_resume(t, ckpt, &d), DOPPEL_ERR_MODEL_MISMATCH);
    /* a damaged one too */
    FILE *f = fopen(ckpt, "r+b");
    assert_non_null(f);
    fseek(f, 100, SEEK_SET);
    fputc(0x5a, f);
    fclose(f);
    assert_int_equal(dp_trainer_resume(t, ckpt, &d), DOPPEL_ERR_MODEL_CHECKSUM);
    dp_trainer_free(t);
    dp_model_free(m);
    unlink(ckpt);
    dp_model_free(whole);
    dp_model_free(init);
    dp_model_free(resumed);
    dp_model_free(two);
    dp_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
