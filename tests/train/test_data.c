/* The data readers on committed slices of each format, broken lines included, and the
 * balanced, resumable sampler with its curriculum of hard batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "doppel.h"
#include "train/data_tsv.h"
#include "train/dataset.h"
#include "train/sampler.h"
#include "train/trainer.h"

typedef struct {
    uint64_t lines[8];
    int n;
} warn_log;

static void on_warn(void *ctx, uint64_t line, const char *message)
{
    warn_log *w = ctx;
    assert_non_null(strstr(message, "skipped"));
    if (w->n < 8)
        w->lines[w->n] = line;
    w->n++;
}

static int text_is(dp_str t, const char *s) { return t.len == strlen(s) && memcmp(t.s, s, t.len) == 0; }

/* Reads data/NAME as fmt, checks counts and the lines reported. */
static void read_slice(dp_dataset *ds, const char *name, dp_data_format fmt, uint64_t pairs,
                       const uint64_t *bad, int nbad)
{
    char path[512];
    snprintf(path, sizeof path, "%s/train/data/%s", DOPPEL_TEST_DATA, name);
    warn_log w = {{0}, 0};
    dp_data_counts c;
    doppel_diag d;
    assert_int_equal(dp_dataset_read(ds, path, fmt, on_warn, &w, &c, &d), DOPPEL_OK);
    assert_int_equal(c.pairs, pairs);
    assert_int_equal(c.skipped, (uint64_t)nbad);
    assert_int_equal(w.n, nbad);
    for (int i = 0; i < nbad; i++)
        assert_int_equal(w.lines[i], bad[i]);
}

static void test_formats(void **state)
{
    (void)state;
    dp_dataset ds;
    dp_dataset_init(&ds);
    const uint64_t stsb_bad[] = {9, 10, 12}, sick_bad[] = {6, 7}, msrp_bad[] = {6, 7}, paws_bad[] = {6, 7},
                   kjv_bad[] = {6}, tsv_bad[] = {5}, tri_bad[] = {4}, topic_bad[] = {8, 9}, groups_bad[] = {6, 7};
    read_slice(&ds, "stsb_slice.tsv", DP_DATA_STSB, 8, stsb_bad, 3);
    read_slice(&ds, "sick_slice.txt", DP_DATA_SICK, 4, sick_bad, 2);
    read_slice(&ds, "msrp_slice.tsv", DP_DATA_MSRP, 4, msrp_bad, 2);
    read_slice(&ds, "paws_slice.tsv", DP_DATA_PAWS, 5, paws_bad, 2);
    read_slice(&ds, "kjvweb_slice.tsv", DP_DATA_KJVWEB, 4, kjv_bad, 1);
    read_slice(&ds, "pairs.tsv", DP_DATA_TSV, 3, tsv_bad, 1);
    read_slice(&ds, "triplets.tsv", DP_DATA_TRIPLETS, 2, tri_bad, 1);
    read_slice(&ds, "topic_slice.tsv", DP_DATA_TOPIC, 6, topic_bad, 2);
    read_slice(&ds, "groups.tsv", DP_DATA_GROUPS, 4, groups_bad, 2);
    assert_int_equal(ds.nsources, 9);
    assert_int_equal(ds.n, 40);

    const dp_pair *p = ds.pairs;
    assert_true(text_is(p[0].a, "A plane is taking off."));
    assert_true(text_is(p[0].b, "An air plane is taking off."));
    assert_float_equal(p[0].label, 5.0f, 0);
    assert_float_equal(dp_pair_norm_label(&ds, &p[1]), 3.8f / 5.0f, 1e-7);
    assert_float_equal(p[6].label, 4.0f, 0); /* the 9-column line */
    assert_true(text_is(p[7].a, "A dog in a \"superman\" shirt sleeps on a blanket.")); /* bare quotes kept */
    assert_true(ds.src[0].graded);

    p = ds.pairs + 8; /* SICK: relatedness 1..5 */
    assert_float_equal(p[0].label, 3.6f, 1e-6);
    assert_float_equal(dp_pair_norm_label(&ds, &p[0]), (3.6f - 1.0f) / 4.0f, 1e-6);
    assert_true(text_is(p[0].a, "The young boys are playing outdoors and the man is smiling nearby"));

    p = ds.pairs + 12; /* MSRP: BOM and CRLF, header skipped */
    assert_int_equal(p[0].source, 2);
    assert_float_equal(p[0].label, 1.0f, 0);
    assert_float_equal(p[1].label, 0.0f, 0);
    assert_true(p[0].b.s[p[0].b.len - 1] == '.');
    assert_false(ds.src[2].graded);

    p = ds.pairs + 16; /* PAWS, no header, CRLF */
    assert_true(text_is(p[1].a, "They were there to enjoy us and they were there to pray for us ."));
    assert_float_equal(p[1].label, 1.0f, 0);

    p = ds.pairs + 21; /* KJV-WEB: all similar */
    assert_true(text_is(p[0].a, "In the beginning God created the heaven and the earth."));
    assert_float_equal(p[0].label, 1.0f, 0);

    p = ds.pairs + 25; /* generic TSV with scores: range 0..4.5 read from the data */
    assert_true(ds.src[5].graded);
    assert_float_equal(dp_pair_norm_label(&ds, &p[0]), 1.0f, 0);
    assert_float_equal(dp_pair_norm_label(&ds, &p[1]), 0.0f, 0);

    p = ds.pairs + 28; /* triplets */
    assert_true(text_is(p[1].c, "A dog slept on the porch."));
    assert_null(ds.pairs[0].c.s);

    p = ds.pairs + 30; /* topic: kind and label, then the texts; header skipped */
    assert_true(text_is(p[0].a, "a person in an outfit is sitting on a bench"));
    assert_true(text_is(p[0].b, "there is an old woman sitting on a bench"));
    assert_float_equal(p[0].label, 0.0f, 0);
    assert_float_equal(p[1].label, 1.0f, 0);
    assert_false(ds.src[7].graded);
    assert_int_equal(dp_data_format_parse("topic"), DP_DATA_TOPIC);

    p = ds.pairs + 36; /* groups: the group number, then a triplet */
    assert_int_equal(p[0].group, 1);
    assert_int_equal(p[1].group, 1);
    assert_int_equal(p[2].group, 2);
    assert_true(text_is(p[3].c, "A dog slept on the porch."));
    assert_float_equal(p[3].label, 1.0f, 0);
    assert_int_equal(ds.pairs[0].group, 0);

    doppel_diag d;
    assert_int_equal(dp_dataset_read(&ds, "/nonexistent/x.tsv", DP_DATA_TSV, NULL, NULL, NULL, &d), DOPPEL_ERR_IO);
    assert_int_equal(ds.nsources, 9);
    assert_int_equal(dp_data_format_parse("kjvweb"), DP_DATA_KJVWEB);
    assert_int_equal(dp_data_format_parse("csv"), 0);
    dp_dataset_free(&ds);
}

static void test_tsv_split(void **state)
{
    (void)state;
    const char data[] = "\xEF\xBB\xBF" "a\t\"b\tc\r\n\nlast";
    dp_tsv_reader r;
    dp_span line, f[2];
    dp_tsv_init(&r, data, sizeof data - 1);
    assert_true(dp_tsv_next(&r, &line));
    assert_int_equal(dp_tsv_split(line, f, 2), 3);
    assert_int_equal(f[0].len, 1);
    assert_true(f[1].len == 2 && f[1].s[0] == '"');
    assert_true(dp_tsv_next(&r, &line) && line.len == 0);
    assert_true(dp_tsv_next(&r, &line) && line.len == 4 && r.line == 3);
    assert_false(dp_tsv_next(&r, &line));
    double v;
    assert_true(dp_span_number((dp_span){"4.25", 4}, &v) && v == 4.25);
    assert_false(dp_span_number((dp_span){"4x", 2}, &v));
    assert_false(dp_span_number((dp_span){"nan", 3}, &v));
    assert_false(dp_span_number((dp_span){"", 0}, &v));
}

static void test_sampler(void **state)
{
    (void)state;
    dp_dataset ds;
    dp_dataset_init(&ds);
    const uint64_t paws_bad[] = {6, 7};
    read_slice(&ds, "paws_slice.tsv", DP_DATA_PAWS, 5, paws_bad, 2); /* labels 0 1 1 1 1 */
    dp_sampler s, t;
    assert_int_equal(dp_sampler_init(&s, &ds, 42), DOPPEL_OK);
    /* one full pass of a pool visits each member once */
    s.pos_frac[0] = 1.0f;
    int seen[5] = {0};
    for (int i = 0; i < 4; i++)
        seen[dp_sampler_draw(&s, 0)]++;
    assert_true(seen[0] == 0 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1 && seen[4] == 1);
    /* balance 0.25: about a quarter positives although the data has 4 of 5 */
    s.pos_frac[0] = 0.25f;
    int npos = 0;
    for (int i = 0; i < 4000; i++)
        npos += ds.pairs[dp_sampler_draw(&s, 0)].label == 1.0f;
    assert_true(npos > 850 && npos < 1150);
    /* natural proportion: about 4 of 5 */
    s.pos_frac[0] = -1.0f;
    npos = 0;
    for (int i = 0; i < 4000; i++)
        npos += ds.pairs[dp_sampler_draw(&s, 0)].label == 1.0f;
    assert_true(npos > 3050 && npos < 3350);
    /* a restored state continues the same stream */
    dp_sampler_state saved = s.st;
    size_t expect[20];
    for (int i = 0; i < 20; i++)
        expect[i] = dp_sampler_draw(&s, 0);
    assert_int_equal(dp_sampler_init(&t, &ds, 42), DOPPEL_OK);
    t.pos_frac[0] = -1.0f;
    dp_sampler_restore(&t, &saved);
    for (int i = 0; i < 20; i++)
        assert_int_equal(dp_sampler_draw(&t, 0), expect[i]);
    dp_sampler_free(&s);
    dp_sampler_free(&t);
    dp_dataset_free(&ds);
}

/* The curriculum's p(s), written out here from its definition. */
static double ref_hard_p(uint64_t s, double frac, uint64_t steps)
{
    double ramp = (double)s / (frac * (double)steps);
    return 0.5 * (ramp < 1.0 ? ramp : 1.0);
}

/* 1 if out[0..n) is a run of consecutive pair indices modulo npairs. */
static int is_window(const size_t *out, int n, size_t npairs)
{
    for (int i = 1; i < n; i++)
        if (out[i] != (out[i - 1] + 1) % npairs)
            return 0;
    return 1;
}

/* Hard batches of an all-positive source: none while p is ~0, then windows at the rate
 * p(s) (within 4 standard deviations of the binomial count), the same for the same seed. */
static void test_curriculum(void **state)
{
    (void)state;
    enum { NP = 200, B = 8, STEPS = 1000 };
    static dp_pair pairs[NP];
    for (int i = 0; i < NP; i++)
        pairs[i] = (dp_pair){{"a", 1}, {"b", 1}, {NULL, 0}, 1.0f, 0, 0};
    dp_dataset ds;
    dp_dataset_init(&ds);
    assert_int_equal(dp_dataset_add_source(&ds, DP_DATA_TSV, NULL, pairs, NP, (dp_passage_cuts){NULL, NULL}, NULL),
                     DOPPEL_OK);
    dp_train_config cfg;
    dp_train_config_default(&cfg, STEPS);
    cfg.curriculum = 0.4;
    assert_true(dp_train_hard_p(&cfg, 0) == 0.0);
    assert_true(fabs(dp_train_hard_p(&cfg, 200) - 0.25) < 1e-12);
    assert_true(dp_train_hard_p(&cfg, 400) == 0.5 && dp_train_hard_p(&cfg, 999) == 0.5);
    cfg.curriculum = 0.0;
    assert_true(dp_train_hard_p(&cfg, 999) == 0.0);
    cfg.curriculum = 0.4;

    dp_sampler s, t;
    assert_int_equal(dp_sampler_init(&s, &ds, 9), DOPPEL_OK);
    assert_int_equal(dp_sampler_init(&t, &ds, 9), DOPPEL_OK);
    s.pos_frac[0] = t.pos_frac[0] = 1.0f;
    size_t out[B], again[B];
    int early = 0, late = 0, total = 0;
    double mean_early = 0.0, mean_late = 0.0, var_late = 0.0, mean = 0.0, var = 0.0;
    for (uint64_t step = 0; step < STEPS; step++) {
        double p = ref_hard_p(step, 0.4, STEPS);
        int hard = dp_sampler_batch(&s, 0, dp_train_hard_p(&cfg, step), out, B);
        assert_int_equal(dp_sampler_batch(&t, 0, dp_train_hard_p(&cfg, step), again, B), hard);
        assert_memory_equal(out, again, sizeof out); /* same seed, same batches */
        /* the flag tells the truth: a random draw of 8 of 200 is never a window */
        assert_int_equal(is_window(out, B, NP), hard);
        total += hard;
        mean += p;
        var += p * (1.0 - p);
        if (step < 40) {
            early += hard;
            mean_early += p;
        } else if (step >= 400) {
            late += hard;
            mean_late += p;
            var_late += p * (1.0 - p);
        }
    }
    assert_true(mean_early < 1.0 && early <= 5); /* P(X >= 6) < 1e-3 for a mean under 1 */
    assert_true(fabs(late - mean_late) <= 4.0 * sqrt(var_late));
    assert_true(fabs(total - mean) <= 4.0 * sqrt(var));
    assert_true(late > 250); /* 600 steps at p = 0.5 */
    /* without a curriculum no RNG draw is spent: the stream is that of plain draws */
    dp_sampler_free(&s);
    dp_sampler_free(&t);
    assert_int_equal(dp_sampler_init(&s, &ds, 9), DOPPEL_OK);
    assert_int_equal(dp_sampler_init(&t, &ds, 9), DOPPEL_OK);
    s.pos_frac[0] = t.pos_frac[0] = 1.0f;
    assert_int_equal(dp_sampler_batch(&s, 0, 0.0, out, B), 0);
    for (int i = 0; i < B; i++)
        assert_int_equal(out[i], dp_sampler_draw(&t, 0));
    dp_sampler_free(&s);
    dp_sampler_free(&t);
    dp_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tsv_split),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_sampler),
        cmocka_unit_test(test_curriculum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
