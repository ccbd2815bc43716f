#include "sweep/common.h"

#include <stdlib.h>

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

static int cmp_hash(const void *x, const void *y)
{
    const dp_common_fp *a = x, *b = y;
    return (a->hash > b->hash) - (a->hash < b->hash);
}

/* The sentence of d holding word w (sentences partition the words in order). */
static size_t sentence_of(const dp_sweep_doc *d, uint32_t w)
{
    size_t lo = 0, hi = d->n_sents;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->sents[mid].tok_begin <= w)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* A segment: one document's run of nearby boilerplate words [first, last]. */
typedef struct segment {
    uint32_t doc, first, last, group;
} segment;

static int cmp_segment(const void *x, const void *y)
{
    const segment *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

int dp_common_passages(dp_common_fp *fps, size_t n, uint32_t k, uint32_t reach, const dp_sweep_doc *docs,
                       dp_common_fn fn, void *ctx)
{
    if (n == 0)
        return DOPPEL_OK;
    segment *seg = malloc(n * sizeof *seg);
    uint32_t *parent = malloc(n * sizeof *parent);
    dp_common_member *mem = malloc(n * sizeof *mem);
    int rc = seg && parent && mem ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    size_t n_seg = 0;
    for (size_t f = 0; f < n && !rc; f++) {
        uint32_t end = fps[f].pos + k - 1;
        if (n_seg && seg[n_seg - 1].doc == fps[f].doc && fps[f].pos <= seg[n_seg - 1].last + reach) {
            if (end > seg[n_seg - 1].last)
                seg[n_seg - 1].last = end;
        } else {
            seg[n_seg] = (segment){fps[f].doc, fps[f].pos, end, 0};
            parent[n_seg] = (uint32_t)n_seg;
            n_seg++;
        }
        /* the segment is kept in pos, which the hash sort below does not need */
        fps[f].pos = (uint32_t)(n_seg - 1);
    }
    if (!rc) {
        /* segments sharing a hash are one passage */
        qsort(fps, n, sizeof *fps, cmp_hash);
        for (size_t f = 1; f < n; f++)
            if (fps[f].hash == fps[f - 1].hash) {
                uint32_t x = uf_find(parent, fps[f].pos), y = uf_find(parent, fps[f - 1].pos);
                if (x != y)
                    parent[x > y ? x : y] = x < y ? x : y; /* the root is the group's first segment */
            }
        for (size_t i = 0; i < n_seg; i++)
            seg[i].group = uf_find(parent, (uint32_t)i);
        qsort(seg, n_seg, sizeof *seg, cmp_segment);
    }
    for (size_t g = 0; g < n_seg && !rc;) {
        size_t e = g, n_mem = 0;
        for (; e < n_seg && seg[e].group == seg[g].group; e++) {
            const dp_sweep_doc *d = &docs[seg[e].doc];
            uint64_t start = d->sents[sentence_of(d, seg[e].first)].start;
            uint64_t end = d->sents[sentence_of(d, seg[e].last)].end;
            /* a document holding the passage twice: one span over both */
            if (n_mem && seg[e - 1].doc == seg[e].doc) {
                if (end > mem[n_mem - 1].end)
                    mem[n_mem - 1].end = end;
            } else {
                mem[n_mem++] = (dp_common_member){d->id, start, end};
            }
        }
        if (n_mem > 1)
            rc = fn(ctx, &(dp_common_passage){mem, n_mem});
        g = e;
    }
    free(seg), free(parent), free(mem);
    return rc;
}
