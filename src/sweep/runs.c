#include "sweep/runs.h"

#include <stdlib.h>
#include <string.h>

#include "core/grow.h"

/*
 * The hash of every k-word window of w (n >= k words), rolled in O(n) rather than
 * O(n·k): h_i = sum_j (w[i+j]+1)·B^(k-1-j) mod 2^64, then mixed so the table slot (low
 * bits) depends on every word. Windows holding a skipped word get UINT64_MAX, which no
 * mixed hash of a usable window is allowed to take (see below). Equal hashes are
 * compared word by word before use, so collisions cost time, never correctness.
 */
static void window_hashes(const uint32_t *w, size_t n, const uint8_t *skip, uint32_t k, uint64_t *out)
{
    const uint64_t B = 0x100000001B3ull;
    uint64_t top = 1; /* B^(k-1) */
    for (uint32_t j = 1; j < k; j++)
        top *= B;
    uint64_t h = 0;
    size_t skipped = 0; /* skipped words in the current window */
    for (size_t j = 0; j < k; j++) {
        h = h * B + (uint64_t)w[j] + 1;
        skipped += skip && skip[j];
    }
    for (size_t i = 0;; i++) {
        uint64_t m = (h ^ (h >> 31)) * 0x9E3779B97F4A7C15ull;
        m ^= m >> 29;
        out[i] = skipped ? UINT64_MAX : (m == UINT64_MAX ? m - 1 : m);
        if (i + k >= n)
            break;
        h = (h - ((uint64_t)w[i] + 1) * top) * B + (uint64_t)w[i + k] + 1;
        skipped += (skip && skip[i + k]) - (size_t)(skip && skip[i]);
    }
}

int dp_find_runs(const uint32_t *wa, size_t na, const uint8_t *skip_a, const uint32_t *wb, size_t nb,
                 const uint8_t *skip_b, uint32_t k, dp_run **runs, size_t *n_runs)
{
    *runs = NULL;
    *n_runs = 0;
    if (k == 0 || na < k || nb < k)
        return DOPPEL_OK;
    size_t na_k = na - k + 1, nb_k = nb - k + 1, cap = 16;
    while (cap < 2 * na_k)
        cap <<= 1;
    /* a's k-grams: open-addressed heads, chained through next[] */
    size_t *head = malloc(cap * sizeof *head), *next = malloc(na_k * sizeof *next);
    uint64_t *hashes = malloc(na_k * sizeof *hashes), *hb = malloc(nb_k * sizeof *hb);
    size_t *diag_end = calloc(na + nb, sizeof *diag_end); /* per diagonal: b index where the last run ended */
    dp_run *out = NULL;
    size_t n = 0, out_cap = 0;
    int rc = DOPPEL_OK;
    if (!head || !next || !hashes || !hb || !diag_end) {
        rc = DOPPEL_ERR_NOMEM;
        goto done;
    }
    memset(head, 0xff, cap * sizeof *head);
    window_hashes(wa, na, skip_a, k, hashes);
    window_hashes(wb, nb, skip_b, k, hb);
    for (size_t i = na_k; i-- > 0;) {
        next[i] = SIZE_MAX;
        if (hashes[i] == UINT64_MAX)
            continue;
        size_t slot = hashes[i] & (cap - 1);
        while (head[slot] != SIZE_MAX && hashes[head[slot]] != hashes[i])
            slot = (slot + 1) & (cap - 1);
        next[i] = head[slot]; /* ascending positions per hash */
        head[slot] = i;
    }
    for (size_t j = 0; j + k <= nb; j++) {
        uint64_t h = hb[j];
        if (h == UINT64_MAX)
            continue;
        size_t slot = h & (cap - 1);
        while (head[slot] != SIZE_MAX && hashes[head[slot]] != h)
            slot = (slot + 1) & (cap - 1);
        for (size_t i = head[slot]; i != SIZE_MAX; i = next[i]) {
            size_t d = i + nb - j; /* diagonal id, unique per (i - j) */
            if (diag_end[d] > j || memcmp(wa + i, wb + j, k * sizeof *wa) != 0)
                continue; /* inside a run found already, or a hash collision */
            size_t len = k;
            while (i + len < na && j + len < nb && wa[i + len] == wb[j + len] &&
                   !(skip_a && skip_a[i + len]) && !(skip_b && skip_b[j + len]))
                len++;
            diag_end[d] = j + len;
            if ((rc = DP_GROW(out, out_cap, n + 1, 16)))
                goto done;
            out[n++] = (dp_run){(uint32_t)i, (uint32_t)j, (uint32_t)len};
        }
    }
done:
    free(head), free(next), free(hashes), free(hb), free(diag_end);
    if (rc) {
        free(out);
        return rc;
    }
    *runs = out;
    *n_runs = n;
    return DOPPEL_OK;
}
