/* Spilled sentence vectors: a sweep that keeps them in a temporary file reports exactly
 * what a sweep that keeps them in memory reports, and frees the memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/encoder.h"
#include "model/model.h"
#include "sweep/sweep.h"

typedef struct {
    char buf[1 << 16];
    size_t len;
} collected;

static int on_pair(void *ctx, const dp_pair_result *p, uint32_t a, uint32_t b)
{
    collected *c = ctx;
    int n = snprintf(c->buf + c->len, sizeof c->buf - c->len, "%u %u %.9g %.9g %.9g %zu;", a, b, (double)p->score,
                     (double)p->a_coverage, (double)p->b_coverage, p->n_passages);
    c->len += (size_t)n;
    for (size_t i = 0; i < p->n_passages; i++)
        c->len += (size_t)snprintf(c->buf + c->len, sizeof c->buf - c->len, "[%llu %llu %llu %llu %.9g %d]",
                                   (unsigned long long)p->passages[i].a_start,
                                   (unsigned long long)p->passages[i].a_end,
                                   (unsigned long long)p->passages[i].b_start,
                                   (unsigned long long)p->passages[i].b_end, (double)p->passages[i].score,
                                   p->passages[i].kind);
    return 0;
}

static const char *docs[] = {
    "The river rose in the night. Farmers moved their cattle to the hills before dawn. "
    "By noon the bridge was under water and the school was closed for the week.",
    "Farmers moved their cattle to the hills before dawn. The storm had come from the west. "
    "Nobody in the valley remembered a flood like it.",
    "A new library opens next spring. It will hold forty thousand books and a small cinema. "
    "The council voted for it after a long debate about the cost.",
    "The council voted for the library after a long debate about its cost. It opens in spring "
    "with forty thousand books.",
};

static void sweep_all(dp_encoder *enc, size_t dim, int spill, collected *out)
{
    dp_sweep_opts o;
    dp_sweep_opts_default(&o);
    o.threshold = 0.0f;
    dp_sweep *s;
    assert_int_equal(dp_sweep_create(&s, enc, dim, &o), DOPPEL_OK);
    if (spill)
        assert_int_equal(dp_sweep_spill_vectors(s, NULL), DOPPEL_OK);
    char id[16];
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        snprintf(id, sizeof id, "d%zu", i);
        assert_int_equal(dp_sweep_add(s, id, docs[i], strlen(docs[i]), 0, NULL), DOPPEL_OK);
        assert_int_equal(dp_sweep_doc_at(s, i)->sq_spilled, spill);
        assert_true((dp_sweep_doc_at(s, i)->sq == NULL) == spill);
    }
    dp_sweep_stats st;
    out->len = 0;
    assert_int_equal(dp_sweep_run(s, on_pair, NULL, out, &st), DOPPEL_OK);
    assert_int_equal(st.pairs_compared, 6);
    dp_sweep_free(s);
}

static void test_spilled_equals_in_memory(void **state)
{
    (void)state;
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    cfg.buckets = 4096, cfg.embed_dim = 16, cfg.hidden = 16, cfg.out_dim = 32;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &cfg, NULL), DOPPEL_OK);
    dp_model_init_random(m, 7);
    dp_encoder *enc;
    assert_int_equal(dp_encoder_create(&enc, m, 1, NULL), DOPPEL_OK);
    static collected mem, disk;
    sweep_all(enc, cfg.out_dim, 0, &mem);
    sweep_all(enc, cfg.out_dim, 1, &disk);
    assert_true(mem.len > 100);
    assert_string_equal(mem.buf, disk.buf);
    dp_encoder_free(enc);
    dp_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_spilled_equals_in_memory)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
