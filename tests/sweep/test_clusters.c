/* Union-find clusters against an independent reference: flood fill over an adjacency matrix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "doppel.h"
#include "sweep/clusters.h"

#define N 60

static void flood(uint8_t adj[N][N], int *label, int v, int l)
{
    label[v] = l;
    for (int u = 0; u < N; u++)
        if (adj[v][u] && label[u] < 0)
            flood(adj, label, u, l);
}

static void test_random_graphs(void **state)
{
    (void)state;
    dp_rng rng;
    dp_rng_seed(&rng, 2024);
    for (int trial = 0; trial < 50; trial++) {
        static uint8_t adj[N][N];
        memset(adj, 0, sizeof adj);
        dp_clusters c;
        assert_int_equal(dp_clusters_init(&c, N), DOPPEL_OK);
        size_t edges = dp_rng_below(&rng, 50);
        for (size_t e = 0; e < edges; e++) {
            uint32_t a = (uint32_t)dp_rng_below(&rng, N), b = (uint32_t)dp_rng_below(&rng, N);
            adj[a][b] = adj[b][a] = 1;
            dp_clusters_union(&c, a, b);
        }
        /* Reference: components labelled in order of their smallest vertex. */
        int label[N], sizes[N] = {0}, n_labels = 0;
        for (int v = 0; v < N; v++)
            label[v] = -1;
        for (int v = 0; v < N; v++)
            if (label[v] < 0)
                flood(adj, label, v, n_labels++);
        for (int v = 0; v < N; v++)
            sizes[label[v]]++;
        uint32_t *members;
        size_t *offsets, groups;
        assert_int_equal(dp_clusters_groups(&c, &members, &offsets, &groups), DOPPEL_OK);
        size_t g = 0;
        for (int l = 0; l < n_labels; l++) {
            if (sizes[l] < 2)
                continue;
            assert_true(g < groups);
            size_t k = offsets[g];
            for (int v = 0; v < N; v++)
                if (label[v] == l)
                    assert_int_equal(members[k++], v);
            assert_int_equal(k, offsets[g + 1]);
            g++;
        }
        assert_int_equal(g, groups);
        free(members);
        free(offsets);
        dp_clusters_free(&c);
    }
}

static void test_empty(void **state)
{
    (void)state;
    dp_clusters c;
    assert_int_equal(dp_clusters_init(&c, 0), DOPPEL_OK);
    uint32_t *members;
    size_t *offsets, groups;
    assert_int_equal(dp_clusters_groups(&c, &members, &offsets, &groups), DOPPEL_OK);
    assert_int_equal(groups, 0);
    free(members);
    free(offsets);
    dp_clusters_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_graphs),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
