#include "sweep/clusters.h"

#include <stdlib.h>

#include "doppel.h"

int dp_clusters_init(dp_clusters *c, size_t n)
{
    c->parent = c->size = NULL;
    c->n = 0;
    if (n > UINT32_MAX)
        return DOPPEL_ERR_INVALID;
    c->parent = malloc((n ? n : 1) * sizeof *c->parent);
    c->size = malloc((n ? n : 1) * sizeof *c->size);
    if (!c->parent || !c->size) {
        dp_clusters_free(c);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        c->parent[i] = (uint32_t)i;
        c->size[i] = 1;
    }
    c->n = n;
    return DOPPEL_OK;
}

void dp_clusters_free(dp_clusters *c)
{
    free(c->parent);
    free(c->size);
    c->parent = c->size = NULL;
    c->n = 0;
}

uint32_t dp_clusters_find(dp_clusters *c, uint32_t x)
{
    while (c->parent[x] != x) {
        c->parent[x] = c->parent[c->parent[x]];
        x = c->parent[x];
    }
    return x;
}

void dp_clusters_union(dp_clusters *c, uint32_t a, uint32_t b)
{
    a = dp_clusters_find(c, a);
    b = dp_clusters_find(c, b);
    if (a == b)
        return;
    if (c->size[a] < c->size[b]) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    c->parent[b] = a;
    c->size[a] += c->size[b];
}

int dp_clusters_groups(dp_clusters *c, uint32_t **members, size_t **offsets, size_t *n_groups)
{
    size_t n = c->n;
    *members = NULL;
    *offsets = NULL;
    *n_groups = 0;
    /* slot[root]: the group number of each root of size >= 2, in order of first
     * (= smallest) member met while scanning 0..n-1. */
    uint32_t *slot = malloc((n ? n : 1) * sizeof *slot);
    size_t *offs = malloc((n + 1) * sizeof *offs);
    uint32_t *mem = malloc((n ? n : 1) * sizeof *mem);
    if (!slot || !offs || !mem) {
        free(slot), free(offs), free(mem);
        return DOPPEL_ERR_NOMEM;
    }
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        slot[i] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = dp_clusters_find(c, (uint32_t)i);
        if (c->size[r] >= 2 && slot[r] == UINT32_MAX)
            slot[r] = (uint32_t)groups++;
    }
    /* Offsets from group sizes, then fill in ascending member order. */
    offs[0] = 0;
    for (size_t i = 0; i < n; i++)
        if (c->parent[i] == i && slot[i] != UINT32_MAX)
            offs[slot[i] + 1] = c->size[i];
    for (size_t g = 0; g < groups; g++)
        offs[g + 1] += offs[g];
    size_t *fill = calloc(groups ? groups : 1, sizeof *fill);
    if (!fill) {
        free(slot), free(offs), free(mem);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t g = slot[dp_clusters_find(c, (uint32_t)i)];
        if (g != UINT32_MAX)
            mem[offs[g] + fill[g]++] = (uint32_t)i;
    }
    free(fill);
    free(slot);
    *members = mem;
    *offsets = offs;
    *n_groups = groups;
    return DOPPEL_OK;
}
