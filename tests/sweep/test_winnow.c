/*
 * Winnowing properties on random document pairs with planted shared runs (seeded):
 * every shared run of >= t words yields a shared fingerprint inside it; every shared
 * fingerprint is a shared k-gram (a run of >= k words); every window holds a
 * selected position; density near 2/(w+1) on random text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "doppel.h"
#include "sweep/winnow.h"

#define MAXN 400

/* Random words from a small vocabulary (so short accidental matches are common),
 * hashed by a fixed table. */
static uint32_t vocab[40];

static void random_doc(dp_rng *r, uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        w[i] = vocab[dp_rng_below(r, 40)];
}

static bool has_fp_in(const dp_fingerprint *f, size_t n, uint64_t hash, size_t lo, size_t hi)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].hash == hash && f[i].pos >= lo && f[i].pos <= hi)
            return true;
    return false;
}

static void test_guarantees(void **state)
{
    (void)state;
    dp_rng r;
    dp_rng_seed(&r, 7);
    for (size_t i = 0; i < 40; i++)
        vocab[i] = (uint32_t)dp_rng_next(&r);
    static uint32_t a[MAXN], b[MAXN];
    size_t runs_checked = 0;
    for (int trial = 0; trial < 300; trial++) {
        dp_winnow_opts o = {.k = 2 + (uint32_t)dp_rng_below(&r, 4)};
        o.t = o.k + (uint32_t)dp_rng_below(&r, 8);
        o.seed = dp_rng_next(&r);
        size_t na = 50 + dp_rng_below(&r, 250), nb = 50 + dp_rng_below(&r, 250);
        random_doc(&r, a, na);
        random_doc(&r, b, nb);
        for (int p = 0; p < 4; p++) { /* plant copies of pieces of a into b */
            size_t len = 1 + dp_rng_below(&r, 30);
            if (len > na || len > nb)
                continue;
            size_t from = dp_rng_below(&r, na - len + 1), to = dp_rng_below(&r, nb - len + 1);
            memcpy(b + to, a + from, len * sizeof *a);
        }
        dp_fingerprint *fa, *fb;
        size_t nfa, nfb;
        assert_int_equal(dp_winnow(a, na, &o, &fa, &nfa), DOPPEL_OK);
        assert_int_equal(dp_winnow(b, nb, &o, &fb, &nfb), DOPPEL_OK);
        /* Guarantee: each maximal common run of length >= t (by brute force over
         * diagonals) has a fingerprint hash present in both documents inside it. */
        for (long d = -(long)nb + 1; d < (long)na; d++) {
            size_t i = d > 0 ? (size_t)d : 0, j = d > 0 ? 0 : (size_t)-d;
            while (i < na && j < nb) {
                size_t len = 0;
                while (i + len < na && j + len < nb && a[i + len] == b[j + len])
                    len++;
                if (len >= o.t) {
                    bool found = false;
                    for (size_t x = 0; x < nfa && !found; x++)
                        found = fa[x].pos >= i && fa[x].pos + o.k <= i + len &&
                                has_fp_in(fb, nfb, fa[x].hash, j, j + len - o.k);
                    if (!found)
                        fail_msg("trial %d: run a[%zu] b[%zu] len %zu (k %u t %u) has no "
                                 "shared fingerprint", trial, i, j, len, o.k, o.t);
                    runs_checked++;
                }
                i += len + 1, j += len + 1;
            }
        }
        /* Noise: a shared fingerprint hash is the same k words in both. */
        for (size_t x = 0; x < nfa; x++)
            for (size_t y = 0; y < nfb; y++)
                if (fa[x].hash == fb[y].hash)
                    assert_memory_equal(a + fa[x].pos, b + fb[y].pos, o.k * sizeof *a);
        free(fa);
        free(fb);
    }
    assert_true(runs_checked > 300); /* the planted runs really exercised the guarantee */
}

static void test_windows_and_density(void **state)
{
    (void)state;
    dp_rng r;
    dp_rng_seed(&r, 11);
    static uint32_t w[20000];
    for (size_t i = 0; i < 20000; i++)
        w[i] = dp_rng_next(&r); /* all distinct: no ties */
    dp_winnow_opts o = {.k = 5, .t = 12};
    dp_fingerprint *f;
    size_t nf;
    assert_int_equal(dp_winnow(w, 20000, &o, &f, &nf), DOPPEL_OK);
    size_t m = 20000 - 5 + 1, win = 8;
    for (size_t i = 1; i < nf; i++)
        assert_true(f[i].pos > f[i - 1].pos);
    /* Every window's minimum k-gram is a fingerprint (hashes are distinct here). */
    uint64_t *h = malloc(m * sizeof *h);
    for (size_t i = 0; i < m; i++)
        h[i] = dp_kgram_hash(w + i, 5, 0);
    size_t x = 0;
    for (size_t lo = 0; lo + win <= m; lo++) {
        size_t best = lo;
        for (size_t i = lo + 1; i < lo + win; i++)
            if (h[i] < h[best])
                best = i;
        while (x < nf && f[x].pos < best)
            x++;
        assert_true(x < nf && f[x].pos == best && f[x].hash == h[best]);
    }
    free(h);
    /* Expected density of winnowing on random data: 2 / (w + 1). */
    double density = (double)nf / (double)m, want = 2.0 / (win + 1);
    assert_true(density > want * 0.95 && density < want * 1.05);
    free(f);
}

static void test_edges(void **state)
{
    (void)state;
    uint32_t w[6] = {1, 2, 3, 4, 5, 6};
    dp_fingerprint *f;
    size_t nf;
    dp_winnow_opts o = {.k = 5, .t = 12};
    assert_int_equal(dp_winnow(w, 4, &o, &f, &nf), DOPPEL_OK); /* fewer than k words */
    assert_int_equal(nf, 0);
    assert_null(f);
    assert_int_equal(dp_winnow(w, 6, &o, &f, &nf), DOPPEL_OK); /* short: its minimum */
    assert_int_equal(nf, 1);
    uint64_t h0 = dp_kgram_hash(w, 5, 0), h1 = dp_kgram_hash(w + 1, 5, 0);
    assert_true(f[0].hash == (h0 < h1 ? h0 : h1));
    free(f);
    o.t = 3;
    assert_int_equal(dp_winnow(w, 6, &o, &f, &nf), DOPPEL_ERR_INVALID); /* t < k */
    /* Equal words everywhere: robust winnowing keeps one choice per window span. */
    uint32_t same[30];
    for (int i = 0; i < 30; i++)
        same[i] = 42;
    o = (dp_winnow_opts){.k = 2, .t = 5};
    assert_int_equal(dp_winnow(same, 30, &o, &f, &nf), DOPPEL_OK);
    /* 29 equal k-grams, window 4: rightmost of the first window, then one per 4. */
    assert_int_equal(nf, 7);
    for (size_t i = 0; i < nf; i++)
        assert_int_equal(f[i].pos, 3 + 4 * i);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guarantees),
        cmocka_unit_test(test_windows_and_density),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
