/* The training loop: a checkpointed and resumed run equals an uninterrupted one bit for
 * bit, and one or two threads give the same bits, also with the curriculum of hard
 * batches and prose copies remade on every pass. */
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
#include "random_model.h"
#include "train/augment.h"
#include "train/dataset.h"
#include "train/trainer.h"

static dp_model *tiny_model(uint64_t seed) { return random_model(8, 6, 10, 2048, seed); }

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

/* STS-B (cosent), in-batch negatives on Brown passages and their copies (drawn most, so
 * the checkpoint falls in a later pass of their copies), and on verses. */
static void load_mined(dp_dataset *ds)
{
    char path[512];
    dp_dataset_init(ds);
    snprintf(path, sizeof path, "%s/train/data/stsb_slice.tsv", DOPPEL_TEST_DATA);
    assert_int_equal(dp_dataset_read(ds, path, DP_DATA_STSB, NULL, NULL, NULL, NULL), DOPPEL_OK);
    dp_augment_config c;
    dp_augment_config_default(&c);
    snprintf(path, sizeof path, "%s/train/data/brown", DOPPEL_TEST_DATA);
    const char *ex[1] = {"ca02"};
    assert_int_equal(dp_prose_read(ds, path, DP_PROSE_BROWN, ex, 1, NULL, &c, 5, NULL, NULL), DOPPEL_OK);
    snprintf(path, sizeof path, "%s/train/data/kjvweb_slice.tsv", DOPPEL_TEST_DATA);
    assert_int_equal(dp_dataset_read(ds, path, DP_DATA_KJVWEB, NULL, NULL, NULL, NULL), DOPPEL_OK);
}

static void mixture_mined(dp_loss_mix *mix)
{
    memset(mix, 0, sizeof *mix);
    mix->n = 3;
    mix->weight[0] = mix->weight[2] = 1.0f;
    mix->weight[1] = 4.0f;
    dp_loss_spec_default(&mix->loss[0], DP_LOSS_COSENT);
    dp_loss_spec_default(&mix->loss[1], DP_LOSS_INBATCH);
    dp_loss_spec_default(&mix->loss[2], DP_LOSS_INBATCH);
    mix->pos_frac[0] = mix->pos_frac[1] = mix->pos_frac[2] = -1.0f;
}

/* The run under test: which data and losses, and the curriculum. */
typedef struct run_setup {
    void (*mixture)(dp_loss_mix *mix);
    double curriculum;
} run_setup;

static const run_setup plain_run = {mixture, 0.0};

/* Trains a fresh model for `steps` steps (resuming from `resume` if given), optionally
 * writing a checkpoint at the end; returns the model. */
static dp_model *train_run(const run_setup *r, const dp_dataset *ds, int threads, uint64_t steps, const char *resume,
                           const char *save, uint64_t init_seed)
{
    dp_model *m = tiny_model(init_seed);
    dp_loss_mix mix;
    r->mixture(&mix);
    dp_train_config cfg;
    dp_train_config_default(&cfg, 10);
    cfg.batch = 4;
    cfg.threads = threads;
    cfg.seed = 5;
    cfg.lr.peak = 0.01f;
    cfg.curriculum = r->curriculum;
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

/* Run r for 10 steps in one go; for 4 steps saved to ckpt then resumed from it (with other
 * initial weights: everything must come from the checkpoint); and on 2 threads: the same
 * bits all three ways. Returns the whole run's model. */
static dp_model *assert_resume_exact(const run_setup *r, const dp_dataset *ds, const char *ckpt)
{
    dp_model *whole = train_run(r, ds, 1, 10, NULL, NULL, 3);
    dp_model_free(train_run(r, ds, 1, 4, NULL, ckpt, 3));
    dp_model *resumed = train_run(r, ds, 1, 10, ckpt, NULL, 99);
    assert_memory_equal(whole->block, resumed->block, whole->nparams * sizeof(float));
    dp_model *two = train_run(r, ds, 2, 10, NULL, NULL, 3);
    assert_memory_equal(whole->block, two->block, whole->nparams * sizeof(float));
    dp_model_free(resumed);
    dp_model_free(two);
    return whole;
}

static char *temp_path(void)
{
    static char path[64];
    strcpy(path, "/tmp/doppel_ckpt_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void test_resume_exact(void **state)
{
    (void)state;
    dp_dataset ds;
    load(&ds);
    char *ckpt = temp_path();
    dp_model *whole = assert_resume_exact(&plain_run, &ds, ckpt);
    dp_model *init = tiny_model(3);
    assert_memory_not_equal(whole->block, init->block, whole->nparams * sizeof(float));

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
    dp_dataset_free(&ds);
}

/* The same with the curriculum ramping up over the first 3 of 10 steps (p = 0.5 after)
 * and a Brown source of a few passages, so the resumed half starts with hard batches and
 * copies of a later pass; a checkpoint of another curriculum, or of the older layout, is
 * refused. */
static void test_resume_curriculum(void **state)
{
    (void)state;
    dp_dataset ds;
    load_mined(&ds);
    assert_true(ds.src[1].n >= 2 && ds.src[1].n <= 4); /* each batch of 4 starts a new pass over it */
    const run_setup curric = {mixture_mined, 0.3}, random = {mixture_mined, 0.0};
    char *ckpt = temp_path();
    dp_model *whole = assert_resume_exact(&curric, &ds, ckpt);
    dp_model *easy = train_run(&random, &ds, 1, 10, NULL, NULL, 3);
    assert_memory_not_equal(whole->block, easy->block, whole->nparams * sizeof(float)); /* it acts */

    dp_model *m = tiny_model(1);
    dp_loss_mix mix;
    mixture_mined(&mix);
    dp_train_config cfg;
    dp_train_config_default(&cfg, 10);
    cfg.batch = 4;
    cfg.seed = 5;
    dp_trainer *t;
    doppel_diag d;
    assert_int_equal(dp_trainer_create(&t, m, &ds, &mix, NULL, &cfg, &d), DOPPEL_OK);
    assert_int_equal(dp_trainer_resume(t, ckpt, &d), DOPPEL_ERR_MODEL_MISMATCH);
    assert_non_null(strstr(d.message, "curriculum 0.3"));
    /* the same run made longer resumes, and tells the length it was saved with */
    dp_train_config longer;
    dp_train_config_default(&longer, 20);
    longer.batch = 4;
    longer.seed = 5;
    longer.curriculum = 0.3;
    dp_trainer *tl;
    dp_model *ml = tiny_model(1);
    assert_int_equal(dp_trainer_create(&tl, ml, &ds, &mix, NULL, &longer, &d), DOPPEL_OK);
    assert_int_equal(dp_trainer_resume(tl, ckpt, &d), DOPPEL_OK);
    assert_int_equal(dp_trainer_step_count(tl), 4);
    assert_int_equal(dp_trainer_saved_steps(tl), 10);
    dp_trainer_free(tl);
    dp_model_free(ml);
    /* the older layouts, whatever follows their magic */
    for (int k = 1; k <= 2; k++) {
        FILE *f = fopen(ckpt, "r+b");
        assert_non_null(f);
        fprintf(f, "DPCKPT%d", k);
        fclose(f);
        assert_int_equal(dp_trainer_resume(t, ckpt, &d), DOPPEL_ERR_MODEL_VERSION);
        assert_non_null(strstr(d.message, "older doppel"));
    }
    dp_trainer_free(t);
    dp_model_free(m);
    unlink(ckpt);
    dp_model_free(whole);
    dp_model_free(easy);
    dp_dataset_free(&ds);
}

/* A model whose table was kept int8 for inference has nothing to train: refused. */
static void test_refuses_int8_kept(void **state)
{
    (void)state;
    dp_model *m = tiny_model(1);
    dp_model_config cfg = m->cfg;
    dp_model_free(m);
    assert_int_equal(dp_model_alloc_int8(&m, &cfg, NULL), DOPPEL_OK);
    dp_dataset ds;
    load(&ds);
    dp_loss_mix mix;
    mixture(&mix);
    dp_train_config tc;
    dp_train_config_default(&tc, 10);
    dp_trainer *t = (dp_trainer *)&ds; /* must be overwritten */
    doppel_diag d;
    assert_int_equal(dp_trainer_create(&t, m, &ds, &mix, NULL, &tc, &d), DOPPEL_ERR_INVALID);
    assert_null(t);
    assert_non_null(strstr(d.message, "int8"));
    dp_dataset_free(&ds);
    dp_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_exact),
        cmocka_unit_test(test_resume_curriculum),
        cmocka_unit_test(test_refuses_int8_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
