#include "sweep/dupsig.h"

#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "doppel.h"

/* splitmix64's finaliser: a different hash function for each seed */
static uint64_t mix(uint64_t x, uint64_t seed)
{
    x ^= seed * 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

void dp_dupsig(const uint64_t *h, size_t n, uint64_t *keys)
{
    uint64_t mins[DP_DUPSIG_BANDS * DP_DUPSIG_ROWS];
    for (size_t f = 0; f < DP_DUPSIG_BANDS * DP_DUPSIG_ROWS; f++)
        mins[f] = UINT64_MAX;
    for (size_t i = 0; i < n; i++)
        for (size_t f = 0; f < DP_DUPSIG_BANDS * DP_DUPSIG_ROWS; f++) {
            uint64_t v = mix(h[i], f + 1);
            mins[f] = v < mins[f] ? v : mins[f];
        }
    for (size_t b = 0; b < DP_DUPSIG_BANDS; b++) {
        uint64_t k = mix(b, 0x64757073ull); /* "dups" */
        for (size_t r = 0; r < DP_DUPSIG_ROWS; r++)
            k = mix(k ^ mins[b * DP_DUPSIG_ROWS + r], r + 1);
        keys[b] = n ? (k ? k : 1) : 0;
    }
}

typedef struct entry {
    uint64_t key;
    uint32_t doc;
} entry;

static int by_key_doc(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

static int by_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

int dp_dupsig_pairs(const uint64_t *keys, size_t n_docs, uint32_t (**pairs)[2], size_t *n_pairs)
{
    *pairs = NULL, *n_pairs = 0;
    size_t n = 0;
    size_t cap_e = n_docs * DP_DUPSIG_BANDS;
    entry *e = malloc((cap_e ? cap_e : 1) * sizeof *e);
    if (!e)
        return DOPPEL_ERR_NOMEM;
    for (size_t d = 0; d < n_docs; d++)
        for (size_t b = 0; b < DP_DUPSIG_BANDS; b++)
            if (keys[d * DP_DUPSIG_BANDS + b])
                e[n++] = (entry){keys[d * DP_DUPSIG_BANDS + b], (uint32_t)d};
    if (n)
        qsort(e, n, sizeof *e, by_key_doc);
    uint32_t(*p)[2] = NULL;
    size_t np = 0, cap = 0;
    int rc = DOPPEL_OK;
    for (size_t i = 0; i < n && !rc;) {
        size_t j = i;
        while (j < n && e[j].key == e[i].key)
            j++;
        for (size_t x = i; x < j && x < i + DP_DUPSIG_BUCKET && !rc; x++)
            for (size_t y = x + 1; y < j && !rc; y++) {
                if ((rc = dp_grow((void **)&p, &cap, np + 1, sizeof *p)))
                    break;
                p[np][0] = e[x].doc, p[np][1] = e[y].doc, np++;
            }
        i = j;
    }
    free(e);
    if (rc) {
        free(p);
        return rc;
    }
    if (np)
        qsort(p, np, sizeof *p, by_pair);
    size_t u = 0;
    for (size_t i = 0; i < np; i++)
        if (!u || p[u - 1][0] != p[i][0] || p[u - 1][1] != p[i][1])
            p[u][0] = p[i][0], p[u][1] = p[i][1], u++;
    *pairs = p, *n_pairs = u;
    return DOPPEL_OK;
}
