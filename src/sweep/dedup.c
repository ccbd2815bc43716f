#include "sweep/dedup.h"

#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "doppel.h"

typedef struct edge {
    uint64_t key; /* smaller document << 32 | larger */
    float sim;
} edge;

struct dp_dedup {
    size_t n_docs;
    float threshold;
    edge *e;
    size_t n, cap;
};

float dp_dedup_similarity(float a_coverage, size_t a_words, float b_coverage, size_t b_words)
{
    double a = (double)a_coverage * (double)a_words, b = (double)b_coverage * (double)b_words;
    double small = (double)(a_words < b_words ? a_words : b_words);
    return small > 0 ? (float)((a < b ? a : b) / small) : 0.0f;
}

int dp_dedup_create(dp_dedup **out, size_t n_docs, float threshold)
{
    if (n_docs > UINT32_MAX)
        return DOPPEL_ERR_INVALID;
    dp_dedup *d = calloc(1, sizeof *d);
    if (!d)
        return DOPPEL_ERR_NOMEM;
    d->n_docs = n_docs, d->threshold = threshold;
    *out = d;
    return DOPPEL_OK;
}

void dp_dedup_free(dp_dedup *d)
{
    if (d)
        free(d->e);
    free(d);
}

int dp_dedup_add(dp_dedup *d, uint32_t a, uint32_t b, float similarity)
{
    if (a == b || a >= d->n_docs || b >= d->n_docs)
        return DOPPEL_ERR_INVALID;
    if (!(similarity >= d->threshold))
        return DOPPEL_OK;
    if (dp_grow((void **)&d->e, &d->cap, d->n + 1, sizeof *d->e))
        return DOPPEL_ERR_NOMEM;
    uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
    d->e[d->n++] = (edge){lo << 32 | hi, similarity};
    return DOPPEL_OK;
}

static int by_key(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    return (a->key > b->key) - (a->key < b->key);
}

/* strongest first, ties by the documents' numbers */
static int by_strength(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->sim != b->sim)
        return a->sim > b->sim ? -1 : 1;
    return by_key(x, y);
}

/* The similarity of x and y, or -1 when they are not a pair (e sorted by key). */
static float sim_of(const edge *e, size_t n, uint32_t x, uint32_t y)
{
    uint64_t lo = x < y ? x : y, hi = x < y ? y : x;
    edge k = {lo << 32 | hi, 0};
    const edge *at = bsearch(&k, e, n, sizeof *e, by_key);
    return at ? at->sim : -1.0f;
}

static int by_doc(const void *x, const void *y)
{
    uint32_t a = ((const dp_dedup_member *)x)->doc, b = ((const dp_dedup_member *)y)->doc;
    return (a > b) - (a < b);
}

void dp_dedup_clusters_free(dp_dedup_clusters *c)
{
    free(c->members), free(c->offsets);
    memset(c, 0, sizeof *c);
}

/* Whether the document k is to be kept before m: more words, then the smaller id. */
static int keeps_before(uint32_t k, uint32_t m, const uint64_t *words, const char *const *ids)
{
    if (words[k] != words[m])
        return words[k] > words[m];
    int c = strcmp(ids[k], ids[m]);
    return c ? c < 0 : k < m;
}

int dp_dedup_cluster(dp_dedup *d, const uint64_t *words, const char *const *ids, dp_dedup_clusters *out)
{
    memset(out, 0, sizeof *out);
    size_t n = d->n_docs;
    /* unique pairs (the larger similarity of a pair given twice), by key */
    if (d->n)
        qsort(d->e, d->n, sizeof *d->e, by_key);
    size_t u = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (u && d->e[u - 1].key == d->e[i].key) {
            if (d->e[i].sim > d->e[u - 1].sim)
                d->e[u - 1].sim = d->e[i].sim;
        } else {
            d->e[u++] = d->e[i];
        }
    }
    d->n = u;
    edge *order = malloc((u ? u : 1) * sizeof *order);
    uint32_t *label = malloc((n ? n : 1) * sizeof *label), *next = malloc((n ? n : 1) * sizeof *next);
    uint32_t *size = malloc((n ? n : 1) * sizeof *size);
    int rc = order && label && next && size ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    if (rc)
        goto done;
    if (u) /* no edges: d->e may be NULL */
        memcpy(order, d->e, u * sizeof *order);
    qsort(order, u, sizeof *order, by_strength);
    /* each cluster a list through next (UINT32_MAX ends it) headed by its label */
    for (size_t i = 0; i < n; i++)
        label[i] = (uint32_t)i, next[i] = UINT32_MAX, size[i] = 1;
    for (size_t p = 0; p < u; p++) {
        uint32_t x = label[order[p].key >> 32], y = label[(uint32_t)order[p].key];
        if (x == y)
            continue;
        int complete = 1; /* every member of one similar to every member of the other */
        for (uint32_t i = x; i != UINT32_MAX && complete; i = next[i])
            for (uint32_t j = y; j != UINT32_MAX && complete; j = next[j])
                complete = sim_of(d->e, u, i, j) >= 0.0f;
        if (!complete)
            continue;
        if (size[x] < size[y]) {
            uint32_t t = x;
            x = y, y = t;
        }
        uint32_t last = y; /* y's members join x's list, after its head */
        for (uint32_t j = y; j != UINT32_MAX; j = next[j])
            label[j] = x, last = j;
        next[last] = next[x], next[x] = y;
        size[x] += size[y];
    }
    size_t n_clusters = 0, n_members = 0;
    for (size_t i = 0; i < n; i++)
        if (label[i] == i && size[i] > 1)
            n_clusters++, n_members += size[i];
    out->members = malloc((n_members ? n_members : 1) * sizeof *out->members);
    out->offsets = malloc((n_clusters + 1) * sizeof *out->offsets);
    if (!out->members || !out->offsets) {
        rc = DOPPEL_ERR_NOMEM;
        goto done;
    }
    /* the kept document of each cluster, in label[]'s place (labels are no longer needed) */
    uint32_t *keep = size; /* reused: keep[root] */
    for (size_t i = 0; i < n; i++)
        if (label[i] == i)
            keep[i] = (uint32_t)i;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = label[i];
        if (keeps_before((uint32_t)i, keep[r], words, ids))
            keep[r] = (uint32_t)i;
    }
    /* clusters by their kept document's number; the others after it by number */
    out->offsets[0] = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t r = label[k];
        if (keep[r] != k || next[r] == UINT32_MAX) /* not a kept document, or alone */
            continue;
        dp_dedup_member *m = out->members + out->offsets[out->n];
        size_t c = 0;
        m[c++] = (dp_dedup_member){(uint32_t)k, 1.0f};
        for (uint32_t i = r; i != UINT32_MAX; i = next[i])
            if (i != k)
                m[c++] = (dp_dedup_member){i, sim_of(d->e, u, (uint32_t)k, i)};
        qsort(m + 1, c - 1, sizeof *m, by_doc);
        out->offsets[out->n + 1] = out->offsets[out->n] + c;
        out->n++;
    }
done:
    free(order), free(label), free(next), free(size);
    if (rc)
        dp_dedup_clusters_free(out);
    return rc;
}
