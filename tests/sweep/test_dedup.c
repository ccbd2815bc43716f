/* Near-duplicate clusters: complete link (no chains), the kept document's rule, and on random
 * graphs the properties complete link guarantees, checked by brute force. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "doppel.h"
#include "sweep/dedup.h"

static const char *const ids6[] = {"a", "b", "c", "d", "e", "f"};

/* A~B and B~C but not A~C: A and C are never in one cluster. */
static void test_no_chain(void **state)
{
    (void)state;
    uint64_t words[3] = {100, 100, 100};
    dp_dedup *d;
    assert_int_equal(dp_dedup_create(&d, 3, 0.5f), DOPPEL_OK);
    assert_int_equal(dp_dedup_add(d, 1, 2, 0.9f), DOPPEL_OK);
    assert_int_equal(dp_dedup_add(d, 0, 1, 0.8f), DOPPEL_OK);
    assert_int_equal(dp_dedup_add(d, 0, 2, 0.3f), DOPPEL_OK); /* below the threshold */
    dp_dedup_clusters c;
    assert_int_equal(dp_dedup_cluster(d, words, ids6, &c), DOPPEL_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.offsets[1], 2);
    assert_int_equal(c.members[0].doc, 1); /* the stronger pair wins: B and C */
    assert_int_equal(c.members[1].doc, 2);
    dp_dedup_clusters_free(&c);
    dp_dedup_free(d);
}

/* Single link would make one group of two unrelated triangles joined by one document. */
static void test_bridge(void **state)
{
    (void)state;
    uint64_t words[5] = {10, 10, 10, 10, 10};
    dp_dedup *d;
    assert_int_equal(dp_dedup_create(&d, 5, 0.5f), DOPPEL_OK);
    uint32_t p[][2] = {{0, 1}, {0, 2}, {1, 2}, {3, 4}, {2, 3}};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(dp_dedup_add(d, p[i][0], p[i][1], i == 4 ? 0.99f : 0.7f), DOPPEL_OK);
    dp_dedup_clusters c;
    assert_int_equal(dp_dedup_cluster(d, words, ids6, &c), DOPPEL_OK);
    /* 2-3 is strongest and merges first; neither {0,1} nor {4} is similar to all of {2,3} */
    assert_int_equal(c.n, 2);
    uint32_t seen[5] = {0};
    for (size_t i = 0; i < c.offsets[c.n]; i++)
        seen[c.members[i].doc]++;
    assert_int_equal(c.offsets[1] - c.offsets[0], 2);
    assert_int_equal(c.members[0].doc, 0); /* {0,1}: kept 0 (tie on words, id "a") */
    assert_int_equal(c.members[1].doc, 1);
    assert_int_equal(c.members[2].doc, 2); /* {2,3} */
    assert_int_equal(c.members[3].doc, 3);
    assert_int_equal(seen[4], 0);
    dp_dedup_clusters_free(&c);
    dp_dedup_free(d);
}

/* The kept document has the most words, ties by the smaller id; its members' similarities
 * are their pair's with it. */
static void test_keep_rule(void **state)
{
    (void)state;
    uint64_t words[4] = {50, 80, 80, 10};
    const char *const ids[] = {"x", "zeta", "alpha", "y"};
    dp_dedup *d;
    assert_int_equal(dp_dedup_create(&d, 4, 0.5f), DOPPEL_OK);
    for (uint32_t a = 0; a < 4; a++)
        for (uint32_t b = a + 1; b < 4; b++)
            assert_int_equal(dp_dedup_add(d, a, b, 0.6f + 0.01f * (float)(a + b)), DOPPEL_OK);
    assert_int_equal(dp_dedup_add(d, 2, 0, 0.55f), DOPPEL_OK); /* repeated, weaker: ignored */
    dp_dedup_clusters c;
    assert_int_equal(dp_dedup_cluster(d, words, ids, &c), DOPPEL_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.offsets[1], 4);
    assert_int_equal(c.members[0].doc, 2); /* 80 words, "alpha" < "zeta" */
    assert_true(c.members[0].similarity == 1.0f);
    assert_int_equal(c.members[1].doc, 0);
    assert_true(c.members[1].similarity == 0.6f + 0.01f * 2.0f);
    assert_int_equal(c.members[2].doc, 1);
    assert_int_equal(c.members[3].doc, 3);
    assert_true(c.members[3].similarity == 0.6f + 0.01f * 5.0f);
    dp_dedup_clusters_free(&c);
    dp_dedup_free(d);
}

#define N 24

/* Random weighted graphs: every cluster is a clique of pairs at or above the threshold, no
 * two clusters (nor a cluster and a lone document) are wholly similar to each other (they
 * would have merged), and the order pairs are added in changes nothing. */
static void test_random_graphs(void **state)
{
    (void)state;
    dp_rng rng;
    dp_rng_seed(&rng, 77);
    const float thr = 0.5f;
    char names[N][8];
    const char *ids[N];
    uint64_t words[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "d%02d", i);
        ids[i] = names[i];
    }
    for (int trial = 0; trial < 200; trial++) {
        static float w[N][N];
        uint32_t pairs[N * N][2];
        size_t np = 0;
        memset(w, 0, sizeof w);
        for (int i = 0; i < N; i++)
            words[i] = 1 + dp_rng_below(&rng, 5);
        size_t edges = dp_rng_below(&rng, 4 * N);
        for (size_t e = 0; e < edges; e++) {
            uint32_t a = (uint32_t)dp_rng_below(&rng, N), b = (uint32_t)dp_rng_below(&rng, N);
            if (a == b || w[a][b] > 0)
                continue;
            w[a][b] = w[b][a] = 0.3f + 0.1f * (float)dp_rng_below(&rng, 7);
            pairs[np][0] = a, pairs[np][1] = b, np++;
        }
        dp_dedup_clusters c[2];
        for (int run = 0; run < 2; run++) {
            dp_dedup *d;
            assert_int_equal(dp_dedup_create(&d, N, thr), DOPPEL_OK);
            for (size_t k = 0; k < np; k++) {
                size_t i = run ? np - 1 - k : k; /* reversed, and sides swapped */
                assert_int_equal(dp_dedup_add(d, pairs[i][run], pairs[i][!run], w[pairs[i][0]][pairs[i][1]]),
                                 DOPPEL_OK);
            }
            assert_int_equal(dp_dedup_cluster(d, words, ids, &c[run]), DOPPEL_OK);
            dp_dedup_free(d);
        }
        assert_int_equal(c[0].n, c[1].n);
        assert_memory_equal(c[0].offsets, c[1].offsets, (c[0].n + 1) * sizeof *c[0].offsets);
        assert_memory_equal(c[0].members, c[1].members, c[0].offsets[c[0].n] * sizeof *c[0].members);
        int of[N];
        for (int i = 0; i < N; i++)
            of[i] = -1 - i; /* a lone document is a cluster of its own */
        for (size_t k = 0; k < c[0].n; k++) {
            const dp_dedup_member *m = c[0].members + c[0].offsets[k];
            size_t n = c[0].offsets[k + 1] - c[0].offsets[k];
            assert_true(n >= 2);
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(of[m[i].doc], -1 - (int)m[i].doc); /* in one cluster only */
                of[m[i].doc] = (int)k;
                if (i)
                    assert_true(m[i].similarity == w[m[0].doc][m[i].doc]);
                for (size_t j = 0; j < n; j++)
                    assert_true(i == j || w[m[i].doc][m[j].doc] >= thr);
                assert_true(words[m[i].doc] <= words[m[0].doc]);
            }
        }
        for (int x = 0; x < N; x++)
            for (int y = 0; y < N; y++) {
                if (of[x] >= of[y]) /* each pair of clusters once */
                    continue;
                int complete = 1;
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++)
                        if (of[i] == of[x] && of[j] == of[y] && !(w[i][j] >= thr))
                            complete = 0;
                assert_false(complete);
            }
        dp_dedup_clusters_free(&c[0]), dp_dedup_clusters_free(&c[1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_chain),
        cmocka_unit_test(test_bridge),
        cmocka_unit_test(test_keep_rule),
        cmocka_unit_test(test_random_graphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
