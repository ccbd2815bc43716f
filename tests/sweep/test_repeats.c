/* Repeated text does not break the sweep (candidates taken, not every pair): copies are
 * candidates and reported whatever max_docs says — twelve copies of one text (every
 * fingerprint in more than max_docs documents), a copy with one word changed, a copy of a
 * document made only of sentences each common on its own, an edited copy of a document whose
 * own sentences alternate with common ones — while a common paragraph
 * shared beside the documents' own text neither makes a pair nor inflates one. */
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

#define MAXD 64
#define SENT 8 /* words a sentence */

static float score[MAXD][MAXD];

static int on_pair(void *ctx, const dp_pair_result *p, uint32_t a, uint32_t b)
{
    (void)ctx;
    score[a][b] = score[b][a] = p->score;
    return 0;
}

typedef struct text {
    char s[16384];
    size_t len;
} text;

#define SENT_BYTES 256 /* room for a sentence and its ". " */

static void sentence(dp_rng *r, char out[SENT_BYTES])
{
    size_t len = 0;
    for (int w = 0; w < SENT; w++) {
        int n = snprintf(out + len, SENT_BYTES - len, "%sW%u", w ? " " : "", (unsigned)dp_rng_below(r, 1u << 30));
        assert_true(n > 0 && (size_t)n < SENT_BYTES - len);
        len += (size_t)n;
    }
    assert_true(len + 3 <= SENT_BYTES);
    memcpy(out + len, ". ", 3);
}

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    assert_true(t->len + n < sizeof t->s);
    memcpy(t->s + t->len, s, n + 1);
    t->len += n;
}

static uint32_t add(dp_sweep *s, const char *id, const text *t)
{
    assert_int_equal(dp_sweep_add(s, id, t->s, t->len, 0, NULL), DOPPEL_OK);
    return (uint32_t)dp_sweep_count(s) - 1;
}

static void test_repeats(void **state)
{
    (void)state;
    memset(score, 0, sizeof score);
    dp_sweep_opts o;
    dp_sweep_opts_default(&o); /* max_docs 10 */
    o.all_pairs_limit = 0;     /* the candidates, as a large corpus takes them */
    dp_sweep *s;
    assert_int_equal(dp_sweep_create(&s, NULL, 0, &o), DOPPEL_OK);
    dp_rng r;
    dp_rng_seed(&r, 14);
    char buf[SENT_BYTES], id[16];

    /* twelve copies of x, and x with one word changed */
    static text x, xe;
    x.len = xe.len = 0;
    for (int i = 0; i < 20; i++) {
        sentence(&r, buf);
        put(&x, buf);
        if (i == 10)
            memcpy(buf, "Changed", 7);
        put(&xe, buf);
    }
    uint32_t xs[12];
    for (int c = 0; c < 12; c++) {
        snprintf(id, sizeof id, "x%d", c);
        xs[c] = add(s, id, &x);
    }
    uint32_t x_edit = add(s, "x-edit", &xe);

    /* y: twenty sentences each also in twelve other documents (in other company); y2 its copy */
    char common[20][SENT_BYTES];
    for (int i = 0; i < 20; i++)
        sentence(&r, common[i]);
    static text f, y;
    for (int j = 0; j < 12; j++) {
        f.len = 0;
        for (int i = 0; i < 20; i++) {
            sentence(&r, buf);
            put(&f, buf);
            put(&f, common[(i + 7 * j) % 20]);
        }
        snprintf(id, sizeof id, "f%d", j);
        add(s, id, &f);
    }
    y.len = 0;
    for (int i = 0; i < 20; i++)
        put(&y, common[i]);
    uint32_t y1 = add(s, "y", &y), y2 = add(s, "y2", &y);

    /* a paragraph common to twelve documents of six sentences of their own; p0 and p1 also
     * share two sentences after it */
    static text para, p;
    char extra[2][SENT_BYTES];
    para.len = 0;
    for (int i = 0; i < 10; i++) {
        sentence(&r, buf);
        put(&para, buf);
    }
    sentence(&r, extra[0]), sentence(&r, extra[1]);
    uint32_t ps[12];
    for (int j = 0; j < 12; j++) {
        p.len = 0;
        for (int i = 0; i < 6; i++) {
            sentence(&r, buf);
            put(&p, buf);
        }
        put(&p, "\n\n");
        put(&p, para.s);
        if (j < 2)
            put(&p, extra[0]), put(&p, extra[1]);
        snprintf(id, sizeof id, "p%d", j);
        ps[j] = add(s, id, &p);
    }

    /* e: eight groups of four sentences of its own and a common passage of three (each
     * passage also in twelve documents, in other company); e2 its edited copy (the last word
     * of every sentence changed, so no verbatim run crosses a sentence, and one own sentence
     * in four rewritten): the common passages between its own text are copied too
     * (sweep/bridge.h) */
    char passage[8][3][SENT_BYTES];
    for (int g = 0; g < 8; g++)
        for (int i = 0; i < 3; i++)
            sentence(&r, passage[g][i]);
    static text h, e, e2;
    for (int j = 0; j < 12; j++) {
        h.len = 0;
        for (int g = 0; g < 8; g++) {
            sentence(&r, buf);
            put(&h, buf);
            for (int i = 0; i < 3; i++)
                put(&h, passage[(g + j) % 8][i]);
        }
        snprintf(id, sizeof id, "h%d", j);
        add(s, id, &h);
    }
    e.len = e2.len = 0;
    for (int g = 0; g < 8; g++)
        for (int i = 0; i < 7; i++) {
            if (i < 4)
                sentence(&r, buf);
            else
                memcpy(buf, passage[g][i - 4], SENT_BYTES);
            put(&e, buf);
            if (i == 1) /* one own sentence in four rewritten: less than DUP_SHARE copied */
                sentence(&r, buf);
            char *last = strrchr(buf, 'W');
            assert_non_null(last);
            *last = 'Z'; /* the last word, W<number>, becomes Z<number> */
            put(&e2, buf);
        }
    uint32_t e1 = add(s, "e", &e), e2n = add(s, "e2", &e2);

    /* q2 copies q's first seven sentences as one run: a common passage of three (in twelve
     * documents) then four of q's own; the rest of each is its own. Near-duplicates
     * (whole_runs) count the run whole, the passage too; a plain run leaves it out. */
    static text q, q2;
    q.len = q2.len = 0;
    for (int i = 0; i < 3; i++)
        put(&q, passage[0][i]), put(&q2, passage[0][i]);
    for (int i = 0; i < 12; i++) {
        sentence(&r, buf);
        put(&q, buf);
        if (i < 4)
            put(&q2, buf);
        else
            sentence(&r, buf), put(&q2, buf);
    }
    uint32_t q1n = add(s, "q", &q), q2n = add(s, "q2", &q2);

    dp_sweep_stats st;
    assert_int_equal(dp_sweep_run(s, on_pair, NULL, NULL, &st), DOPPEL_OK);
    /* without the bridges 0.35: the common passages and the own words next to them */
    assert_true(score[e1][e2n] >= 0.7f);
    for (int a = 0; a < 12; a++) {
        for (int b = a + 1; b < 12; b++)
            assert_true(score[xs[a]][xs[b]] >= 0.99f);
        assert_true(score[xs[a]][x_edit] >= 0.9f);
    }
    assert_true(score[y1][y2] >= 0.99f);
    /* the two shared sentences are 16 of the 144 words of p0 and p1 (0.11; the words next to
     * the paragraph are partly skipped with it): the paragraph (80 words) does not count */
    assert_true(score[ps[0]][ps[1]] >= 0.05f && score[ps[0]][ps[1]] < 0.16f);
    for (int a = 1; a < 12; a++)
        for (int b = a + 1; b < 12; b++)
            assert_true(score[ps[a]][ps[b]] == 0.0f);
    assert_true(st.pairs_compared < 1000); /* the candidates, not every pair */
    /* 4 of 15 sentences copied as own text (0.27); 7 of 15 counted whole (0.47) */
    float plain = score[q1n][q2n];
    assert_true(plain >= 0.2f && plain < 0.35f);
    o = *dp_sweep_get_opts(s);
    o.whole_runs = 1;
    assert_int_equal(dp_sweep_set_opts(s, &o), DOPPEL_OK);
    assert_int_equal(dp_sweep_run(s, on_pair, NULL, NULL, &st), DOPPEL_OK);
    assert_true(score[q1n][q2n] >= 0.4f && score[q1n][q2n] > plain + 0.1f);
    dp_sweep_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_repeats)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
