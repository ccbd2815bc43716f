/* Passage alignment from sentence cosines and verbatim runs, on hand-built cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "sweep/passages.h"

/* Sentence k of a document spans bytes [100k, 100k+90) and has 10 words, tokens 10k..10k+9. */
static void make_doc(dp_sent_info *s, size_t n, uint32_t *tok_sent)
{
    for (size_t k = 0; k < n; k++) {
        s[k] = (dp_sent_info){100 * k, 100 * k + 90, 10, (uint32_t)(10 * k), 0, 0};
        for (size_t t = 0; t < 10; t++)
            tok_sent[10 * k + t] = (uint32_t)k;
    }
}

/* Passage v spans a's bytes [a_start, a_end) and b's [b_start, b_end). */
static void expect_spans(const dp_passage *v, uint64_t a_start, uint64_t a_end, uint64_t b_start, uint64_t b_end)
{
    assert_int_equal(v->a_start, a_start);
    assert_int_equal(v->a_end, a_end);
    assert_int_equal(v->b_start, b_start);
    assert_int_equal(v->b_end, b_end);
}

enum { NA = 6, NB = 5 };

static void low_sims(float *sims)
{
    for (size_t i = 0; i < NA * NB; i++)
        sims[i] = 0.2f;
}

/* Two documents made by make_doc (a: NA sentences, b: NB), their sentence cosines (low
 * but where a test sets them), the default options and the passages found. */
typedef struct two_docs {
    dp_sent_info a[NA], b[NB];
    uint32_t ta[NA * 10], tb[NB * 10];
    float sims[NA * NB];
    dp_passage_opts o;
    dp_pair_passages p;
} two_docs;

static void two_docs_init(two_docs *t)
{
    make_doc(t->a, NA, t->ta);
    make_doc(t->b, NB, t->tb);
    low_sims(t->sims);
    dp_passage_opts_default(&t->o);
}

/* Aligns the two documents, with these verbatim runs, into t->p. */
static int align(two_docs *t, const dp_run *runs, size_t n_runs)
{
    return dp_align_pair(t->a, NA, t->b, NB, t->sims, NULL, NULL, runs, n_runs, t->ta, NA * 10, t->tb, NB * 10, &t->o,
                         &t->p);
}

static void test_paraphrase_chain(void **state)
{
    (void)state;
    two_docs t;
    two_docs_init(&t);
    t.sims[2 * NB + 1] = 0.95f;
    t.sims[3 * NB + 2] = 0.90f;
    t.sims[4 * NB + 3] = 0.85f;
    assert_int_equal(align(&t, NULL, 0), DOPPEL_OK);
    assert_int_equal(t.p.n, 1);
    expect_spans(&t.p.v[0], 200, 490, 100, 390);
    assert_int_equal(t.p.v[0].kind, DP_PASSAGE_PARAPHRASE);
    assert_true(fabsf(t.p.v[0].score - 0.9f) < 1e-6f);
    assert_true(fabsf(t.p.a_coverage - 0.9f * 30 / 60) < 1e-6f);
    assert_true(fabsf(t.p.b_coverage - 0.9f * 30 / 50) < 1e-6f);
    assert_true(t.p.score == t.p.b_coverage);
    dp_pair_passages_free(&t.p);
}

static void test_verbatim_run_and_reordering(void **state)
{
    (void)state;
    two_docs t;
    two_docs_init(&t);
    /* a's sentences 0-1 equal b's 3-4 word for word; semantics alone would be too weak */
    dp_run runs[1] = {{0, 30, 20}};
    assert_int_equal(align(&t, runs, 1), DOPPEL_OK);
    assert_int_equal(t.p.n, 1);
    assert_int_equal(t.p.v[0].kind, DP_PASSAGE_VERBATIM);
    expect_spans(&t.p.v[0], 0, 190, 300, 490);
    assert_true(t.p.v[0].score == 1.0f);
    dp_pair_passages_free(&t.p);

    /* most words shared in runs broken by substitutions: edited (overlap (0.9 + 0.8) / 2) */
    dp_run edits[2] = {{20, 0, 9}, {31, 11, 8}};
    assert_int_equal(align(&t, edits, 2), DOPPEL_OK);
    assert_int_equal(t.p.n, 1);
    assert_int_equal(t.p.v[0].kind, DP_PASSAGE_EDITED);
    assert_true(fabsf(t.p.v[0].score - 0.85f) < 1e-6f);
    dp_pair_passages_free(&t.p);

    /* half of one sentence shared, the next only similar in meaning: overlap 0.25, paraphrase */
    dp_run half[1] = {{20, 0, 5}};
    t.sims[2 * NB + 0] = 0.82f;
    t.sims[3 * NB + 1] = 0.81f;
    assert_int_equal(align(&t, half, 1), DOPPEL_OK);
    assert_int_equal(t.p.n, 1);
    assert_int_equal(t.p.v[0].kind, DP_PASSAGE_PARAPHRASE);
    dp_pair_passages_free(&t.p);
}

static void test_split_sentence_pairs_with_both_halves(void **state)
{
    (void)state;
    two_docs t;
    two_docs_init(&t);
    /* a's sentence 2 was split into b's 1 and 2: 6 words run into each, overlap 0.6 < threshold */
    dp_run runs[2] = {{20, 14, 6}, {24, 20, 6}};
    assert_int_equal(align(&t, runs, 2), DOPPEL_OK);
    assert_int_equal(t.p.n, 1);
    expect_spans(&t.p.v[0], 200, 290, 100, 290);
    /* a's sentence counts once: 10 of 60 words */
    assert_true(fabsf(t.p.a_coverage - t.p.v[0].score * 10 / 60) < 1e-6f);
    assert_true(fabsf(t.p.b_coverage - t.p.v[0].score * 20 / 50) < 1e-6f);
    dp_pair_passages_free(&t.p);

    /* without the run rule, neither pair reaches the threshold */
    t.o.run_words = 0;
    assert_int_equal(align(&t, runs, 2), DOPPEL_OK);
    assert_int_equal(t.p.n, 0);
    dp_pair_passages_free(&t.p);
}

static void test_stray_phrase_does_not_cut_a_passage(void **state)
{
    (void)state;
    two_docs t;
    two_docs_init(&t);
    /* a's 0-2 copied as b's 0-2; a's sentence 1 also shares a 6-word phrase with b's 4 */
    dp_run runs[2] = {{0, 0, 30}, {12, 42, 6}};
    assert_int_equal(align(&t, runs, 2), DOPPEL_OK);
    assert_int_equal(t.p.n, 1); /* the stray pair adds no new words of a: no passage of its own */
    expect_spans(&t.p.v[0], 0, 290, 0, 290);
    assert_int_equal(t.p.v[0].kind, DP_PASSAGE_VERBATIM);
    dp_pair_passages_free(&t.p);
}

static void test_excluded_weak_and_short(void **state)
{
    (void)state;
    two_docs t;
    two_docs_init(&t);
    t.sims[0 * NB + 0] = 0.99f; /* template sentence: no evidence */
    t.a[0].excluded = 1;
    t.sims[3 * NB + 3] = 0.79f; /* just under the threshold */
    t.sims[5 * NB + 4] = 0.97f; /* strong, but one short sentence */
    t.a[5].words = 3;
    assert_int_equal(align(&t, NULL, 0), DOPPEL_OK);
    assert_int_equal(t.p.n, 0);
    assert_true(t.p.score == 0.0f);
    dp_pair_passages_free(&t.p);
}

static void test_gap_splits_chains(void **state)
{
    (void)state;
    two_docs t;
    two_docs_init(&t);
    t.sims[0 * NB + 0] = 0.9f;
    t.sims[2 * NB + 1] = 0.9f; /* one unmatched sentence between: same passage */
    t.sims[5 * NB + 4] = 0.9f; /* two unmatched: a new passage */
    assert_int_equal(align(&t, NULL, 0), DOPPEL_OK);
    assert_int_equal(t.p.n, 2);
    assert_int_equal(t.p.v[0].a_start, 0);
    assert_int_equal(t.p.v[0].a_end, 290);
    assert_int_equal(t.p.v[1].a_start, 500);
    assert_int_equal(t.p.v[1].b_start, 400);
    dp_pair_passages_free(&t.p);
}

/* Twelve sentences a side; sims[i][j] = 0.2 but where set. */
enum { N12 = 12 };

static int align12(const float *sims, dp_pair_passages *p)
{
    static dp_sent_info a[N12], b[N12];
    static uint32_t ta[N12 * 10], tb[N12 * 10];
    make_doc(a, N12, ta);
    make_doc(b, N12, tb);
    dp_passage_opts o;
    dp_passage_opts_default(&o);
    return dp_align_pair(a, N12, b, N12, sims, NULL, NULL, NULL, 0, ta, N12 * 10, tb, N12 * 10, &o, p);
}

static void set12(float *sims, const int (*ij)[2], size_t n)
{
    for (size_t k = 0; k < N12 * N12; k++)
        sims[k] = 0.2f;
    for (size_t k = 0; k < n; k++)
        sims[ij[k][0] * N12 + ij[k][1]] = 0.9f;
}

/* A passage whose sentences were shuffled is one detection, not one per chain. */
static void test_reordered_passage_is_one(void **state)
{
    (void)state;
    float sims[N12 * N12];
    const int shuffled[6][2] = {{2, 7}, {3, 4}, {4, 9}, {5, 5}, {6, 8}, {7, 6}}; /* b's 4..9 as a's 2..7 */
    set12(sims, shuffled, 6);
    dp_pair_passages p;
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    expect_spans(&p.v[0], 200, 790, 400, 990);
    dp_pair_passages_free(&p);
}

/* A summary: a's consecutive sentences 3..5 each stand for two or three of b's 1..8, of
 * which only some match; one detection over both spans. */
static void test_summary_is_one(void **state)
{
    (void)state;
    float sims[N12 * N12];
    const int condensed[4][2] = {{3, 1}, {4, 4}, {5, 7}, {5, 8}};
    set12(sims, condensed, 4);
    dp_pair_passages p;
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    expect_spans(&p.v[0], 300, 590, 100, 890);
    dp_pair_passages_free(&p);
}

/* A summary's last sentence matched to the last of the several it condenses: a's 2..4
 * stand for b's 0..5 (two each), a's 5 for b's 8..10 of which only 10 matches. The four
 * unmatched b sentences beside a touching a side are what condensing by two leaves (2 x 2
 * bounding sentences): one detection; one more unmatched sentence and it is two. */
static void test_condensed_gap_is_one(void **state)
{
    (void)state;
    float sims[N12 * N12];
    const int condensed[5][2] = {{2, 0}, {3, 2}, {4, 4}, {4, 5}, {5, 10}};
    set12(sims, condensed, 5);
    dp_pair_passages p;
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    expect_spans(&p.v[0], 200, 590, 0, 1090);
    dp_pair_passages_free(&p);
    const int farther[5][2] = {{2, 0}, {3, 2}, {4, 4}, {4, 5}, {5, 11}};
    set12(sims, farther, 5);
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[0].b_end, 590);
    assert_int_equal(p.v[1].b_start, 1100);
    dp_pair_passages_free(&p);
}

/* A summary sentence condensed from several matched to the first (a shared run: firm) and
 * to the last: a's 2 copies 6 words of b's 0 and means b's `last`, a's 3..4 go on as
 * b's last+1..last+2. The piece (2, 0) adds nothing on a's side, but continues the passage in
 * order across what condensing leaves (the middle sentences of b): one detection when that
 * gap is 2, two when it is 3; and a sentence inside the passage's span (a's 3) sharing a
 * run with b's 0 is a stray, which never stretches the passage. */
static int condensed_head(uint32_t a_sent, uint32_t last, dp_pair_passages *p)
{
    static dp_sent_info a[N12], b[N12];
    static uint32_t ta[N12 * 10], tb[N12 * 10];
    make_doc(a, N12, ta);
    make_doc(b, N12, tb);
    float sims[N12 * N12];
    const int rest[3][2] = {{2, (int)last}, {3, (int)last + 1}, {4, (int)last + 2}};
    set12(sims, rest, 3);
    sims[2 * N12 + last] = 0.95f; /* matched before the run, which then counts as well */
    dp_run run = {10 * a_sent, 0, 6};
    dp_passage_opts o;
    dp_passage_opts_default(&o);
    return dp_align_pair(a, N12, b, N12, sims, NULL, NULL, &run, 1, ta, N12 * 10, tb, N12 * 10, &o, p);
}

static void test_condensed_head_is_one(void **state)
{
    (void)state;
    dp_pair_passages p;
    assert_int_equal(condensed_head(2, 3, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    expect_spans(&p.v[0], 200, 490, 0, 590);
    dp_pair_passages_free(&p);
    assert_int_equal(condensed_head(2, 4, &p), DOPPEL_OK);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[0].b_end, 90);
    assert_int_equal(p.v[1].b_start, 400);
    dp_pair_passages_free(&p);
    assert_int_equal(condensed_head(3, 3, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.v[0].b_start, 300);
    assert_int_equal(p.v[0].b_end, 590);
    dp_pair_passages_free(&p);
}

/* A summary in a of b's 0..9: a's 2..3 matched b's 0..1 and a's 4..5 b's 8..9, with six b
 * sentences between. A condensed sentence keeps phrases (3 words) of the first and the last
 * of those it stands for: a's 3 sharing one with b's 3 and a's 4 with b's 6 leave a gap of 2,
 * one passage; phrases beyond 1 + max_gap sentences of their pieces (b's 4 and 5) bridge
 * nothing: two. */
static int summary_phrases(uint32_t j3, uint32_t j4, dp_pair_passages *p)
{
    static dp_sent_info a[N12], b[N12];
    static uint32_t ta[N12 * 10], tb[N12 * 10];
    make_doc(a, N12, ta);
    make_doc(b, N12, tb);
    float sims[N12 * N12];
    const int pieces[4][2] = {{2, 0}, {3, 1}, {4, 8}, {5, 9}};
    set12(sims, pieces, 4);
    dp_run runs[2] = {{30, 10 * j3, 3}, {40, 10 * j4, 3}};
    dp_passage_opts o;
    dp_passage_opts_default(&o);
    return dp_align_pair(a, N12, b, N12, sims, NULL, NULL, runs, 2, ta, N12 * 10, tb, N12 * 10, &o, p);
}

static void test_summary_phrases_bridge_the_gap(void **state)
{
    (void)state;
    dp_pair_passages p;
    assert_int_equal(summary_phrases(3, 6, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    expect_spans(&p.v[0], 200, 590, 0, 990);
    dp_pair_passages_free(&p);
    assert_int_equal(summary_phrases(4, 5, &p), DOPPEL_OK);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[0].b_end, 190);
    assert_int_equal(p.v[1].b_start, 800);
    dp_pair_passages_free(&p);
}

/* Two passages copied from neighbouring places of b into distant places of a stay two. */
static void test_distant_copies_stay_two(void **state)
{
    (void)state;
    float sims[N12 * N12];
    const int two[6][2] = {{0, 3}, {1, 4}, {2, 5}, {8, 0}, {9, 1}, {10, 2}};
    set12(sims, two, 6);
    dp_pair_passages p;
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[0].a_end, 290);
    assert_int_equal(p.v[1].a_start, 800);
    dp_pair_passages_free(&p);
}

/* Seed and extend: a passage of a's 3..4 as b's 3..4 (0.9); a's 5 and b's 5 at 0.7 join it
 * when they also share a verbatim phrase (tokens 50..52 of both), not on meaning alone; a
 * 0.7 pair with a shared phrase away from any passage starts nothing. */
static void test_weaker_evidence_extends_a_passage(void **state)
{
    (void)state;
    dp_sent_info a[N12], b[N12];
    uint32_t ta[N12 * 10], tb[N12 * 10];
    make_doc(a, N12, ta);
    make_doc(b, N12, tb);
    float sims[N12 * N12];
    const int seed[2][2] = {{3, 3}, {4, 4}};
    set12(sims, seed, 2);
    sims[5 * N12 + 5] = 0.7f;
    sims[9 * N12 + 9] = 0.7f;
    dp_run runs[2] = {{50, 50, 3}, {90, 90, 3}};
    dp_passage_opts o;
    dp_passage_opts_default(&o);
    dp_pair_passages p;
    assert_int_equal(dp_align_pair(a, N12, b, N12, sims, NULL, NULL, runs, 0, ta, N12 * 10, tb, N12 * 10, &o, &p),
                     DOPPEL_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.v[0].a_end, 490);
    dp_pair_passages_free(&p);
    assert_int_equal(dp_align_pair(a, N12, b, N12, sims, NULL, NULL, runs, 2, ta, N12 * 10, tb, N12 * 10, &o, &p),
                     DOPPEL_OK);
    assert_int_equal(p.n, 1);
    expect_spans(&p.v[0], 300, 590, 300, 590);
    dp_pair_passages_free(&p);

    /* runs shorter than seed_run are phrases: they extend, but are no evidence of a copy */
    o.seed_run = 6;
    assert_int_equal(dp_align_pair(a, N12, b, N12, sims, NULL, NULL, runs, 2, ta, N12 * 10, tb, N12 * 10, &o, &p),
                     DOPPEL_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.v[0].a_end, 590);
    dp_pair_passages_free(&p);
    o.seed_run = 11;
    dp_run copy[1] = {{110, 110, 10}}; /* sentence 11 whole */
    assert_int_equal(dp_align_pair(a, N12, b, N12, sims, NULL, NULL, copy, 1, ta, N12 * 10, tb, N12 * 10, &o, &p),
                     DOPPEL_OK);
    assert_int_equal(p.n, 1); /* the seed alone: sentence 11's run is not evidence */
    dp_pair_passages_free(&p);
    o.seed_run = 6;
    assert_int_equal(dp_align_pair(a, N12, b, N12, sims, NULL, NULL, copy, 1, ta, N12 * 10, tb, N12 * 10, &o, &p),
                     DOPPEL_OK);
    assert_int_equal(p.n, 2);
    dp_pair_passages_free(&p);
}

/* Same-topic documents: every sentence pair moderately similar (0.55-0.70; median 0.625,
 * so the background floor, median + 3 * 1.4826 MAD, is about 0.83). One pair at 0.87 alone
 * is not a passage; with a neighbouring match it is; a lone 0.93 between each other's best
 * partners is; a pair below the floor is not, even with a neighbour. */
static void test_meaning_must_be_specific(void **state)
{
    (void)state;
    float sims[N12 * N12];
    for (size_t i = 0; i < N12; i++)
        for (size_t j = 0; j < N12; j++)
            sims[i * N12 + j] = 0.55f + 0.15f * (float)((i * 7 + j * 5) % 11) / 10.0f;
    sims[4 * N12 + 6] = 0.87f;
    dp_pair_passages p;
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 0);
    dp_pair_passages_free(&p);

    sims[5 * N12 + 7] = 0.88f; /* the next sentences too */
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.v[0].a_start, 400);
    assert_int_equal(p.v[0].a_end, 590);
    dp_pair_passages_free(&p);

    sims[5 * N12 + 7] = 0.6f;
    sims[4 * N12 + 6] = 0.93f;
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 1);
    dp_pair_passages_free(&p);

    sims[4 * N12 + 6] = 0.80f, sims[5 * N12 + 7] = 0.81f;
    assert_int_equal(align12(sims, &p), DOPPEL_OK);
    assert_int_equal(p.n, 0);
    dp_pair_passages_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paraphrase_chain),
        cmocka_unit_test(test_verbatim_run_and_reordering),
        cmocka_unit_test(test_split_sentence_pairs_with_both_halves),
        cmocka_unit_test(test_stray_phrase_does_not_cut_a_passage),
        cmocka_unit_test(test_excluded_weak_and_short),
        cmocka_unit_test(test_gap_splits_chains),
        cmocka_unit_test(test_reordered_passage_is_one),
        cmocka_unit_test(test_summary_is_one),
        cmocka_unit_test(test_condensed_gap_is_one),
        cmocka_unit_test(test_condensed_head_is_one),
        cmocka_unit_test(test_summary_phrases_bridge_the_gap),
        cmocka_unit_test(test_distant_copies_stay_two),
        cmocka_unit_test(test_meaning_must_be_specific),
        cmocka_unit_test(test_weaker_evidence_extends_a_passage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
