#include "sweep/runs.h"

#include <stdlib.h>
#include <string.h>

#include "sweep/winnow.h"

#define RUN_SEED 0x72756e73ull /* "runs": any fixed seed, the table lives for one call */

static int usable(const uint8_t *skip, size_t from, size_t k)
{
    if (!skip)
        return 1;
    for (size_t i = from; i < from + k; i++)
        if (skip[i])
            return 0;
    return 1;
}

int dp_find_runs(const uint32_t *wa, size_t na, const uint8_t *skip_a, const uint32_t *wb, size_t nb,
                 const uint8_t *skip_b, uint32_t k, dp_run **runs, size_t *n_runs)
{
    *runs = NULL;
    *n_runs = 0;
    if (k == 0 || na < k || nb < k)
        return DOPPEL_OK;
    size_t na_k = na - k + 1, cap = 16;
    while (cap < 2 * na_k)
        cap <<= 1;
    /* a's k-grams: open-addressed heads, chained through next[] */
    size_t *head = malloc(cap * sizeof *head), *next = malloc(na_k * sizeof *next);
    uint64_t *hashes = malloc(na_k * sizeof *hashes);
    size_t *diag_end = calloc(na + nb, sizeof *diag_end); /* per diagonal: b index where the last run ended */
    dp_run *out = NULL;
    size_t n = 0, out_cap = 0;
    int rc = DOPPEL_OK;
    if (!head || !next || !hashes || !diag_end) {
        rc = DOPPEL_ERR_NOMEM;
        goto done;
    }
    memset(head, 0xff, cap * sizeof *head);
    for (size_t i = na_k; i-- > 0;) {
        next[i] = SIZE_MAX;
        if (!usable(skip_a, i, k))
            continue;
        hashes[i] = dp_kgram_hash(wa + i, k, RUN_SEED);
        size_t slot = hashes[i] & (cap - 1);
        while (head[slot] != SIZE_MAX && hashes[head[slot]] != hashes[i])
            slot = (slot + 1) & (cap - 1);
        next[i] = head[slot]; /* ascending positions per hash */
        head[slot] = i;
    }
    for (size_t j = 0; j + k <= nb; j++) {
        if (!usable(skip_b, j, k))
            continue;
        uint64_t h = dp_kgram_hash(wb + j, k, RUN_SEED);
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
            if (n == out_cap) {
                out_cap = out_cap ? 2 * out_cap : 16;
                dp_run *grown = realloc(out, out_cap * sizeof *out);
                if (!grown) {
                    rc = DOPPEL_ERR_NOMEM;
                    goto done;
                }
                out = grown;
            }
            out[n++] = (dp_run){(uint32_t)i, (uint32_t)j, (uint32_t)len};
        }
    }
done:
    free(head), free(next), free(hashes), free(diag_end);
    if (rc) {
        free(out);
        return rc;
    }
    *runs = out;
    *n_runs = n;
    return DOPPEL_OK;
}
