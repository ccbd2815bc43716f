#include "sweep/fpindex.h"

#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/sorted.h"
#include "doppel.h"

struct dp_fpindex {
    uint64_t *hash;  /* [n] postings: hash ... */
    uint32_t *doc;   /* [n] ... and document, sorted by (hash, doc) after finalize */
    size_t n, cap;
    size_t n_docs;
    uint64_t *templ; /* template hashes, sorted and unique after finalize */
    size_t n_templ, cap_templ;
};

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

int dp_fpindex_create(dp_fpindex **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
}

void dp_fpindex_free(dp_fpindex *ix)
{
    if (!ix)
        return;
    free(ix->hash), free(ix->doc), free(ix->templ);
    free(ix);
}

/* Room for n more postings. */
static int room(dp_fpindex *ix, size_t n)
{
    /* hash and doc grow to the same capacity; cap is stored only once both have it */
    size_t cap_hash = ix->cap, cap_doc = ix->cap;
    if (dp_grow((void **)&ix->hash, &cap_hash, ix->n + n, sizeof *ix->hash) ||
        dp_grow((void **)&ix->doc, &cap_doc, ix->n + n, sizeof *ix->doc))
        return DOPPEL_ERR_NOMEM;
    ix->cap = cap_hash < cap_doc ? cap_hash : cap_doc;
    return DOPPEL_OK;
}

int dp_fpindex_add(dp_fpindex *ix, const dp_fingerprint *fp, size_t n, uint32_t *doc)
{
    if (ix->n_docs >= UINT32_MAX - 1)
        return DOPPEL_ERR_INVALID;
    if (room(ix, n))
        return DOPPEL_ERR_NOMEM;
    /* the document's distinct hashes: sorted here, so finalize only merges documents */
    uint64_t *h = ix->hash + ix->n;
    for (size_t i = 0; i < n; i++)
        h[i] = fp[i].hash;
    if (n > 1)
        qsort(h, n, sizeof *h, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || h[u - 1] != h[i])
            h[u++] = h[i];
    for (size_t i = 0; i < u; i++)
        ix->doc[ix->n + i] = (uint32_t)ix->n_docs;
    ix->n += u;
    *doc = (uint32_t)ix->n_docs++;
    return DOPPEL_OK;
}

int dp_fpindex_add_hashes(dp_fpindex *ix, const uint64_t *h, size_t n, uint32_t doc)
{
    if (doc >= UINT32_MAX - 1)
        return DOPPEL_ERR_INVALID;
    if (room(ix, n))
        return DOPPEL_ERR_NOMEM;
    memcpy(ix->hash + ix->n, h, n * sizeof *h);
    for (size_t i = 0; i < n; i++)
        ix->doc[ix->n + i] = doc;
    ix->n += n;
    if (doc >= ix->n_docs)
        ix->n_docs = (size_t)doc + 1;
    return DOPPEL_OK;
}

int dp_fpindex_add_template(dp_fpindex *ix, const dp_fingerprint *fp, size_t n)
{
    if (dp_grow((void **)&ix->templ, &ix->cap_templ, ix->n_templ + n, sizeof *ix->templ))
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        ix->templ[ix->n_templ++] = fp[i].hash;
    return DOPPEL_OK;
}

/* Posting i before posting j in (hash, doc) order. */
static int before(const dp_fpindex *ix, size_t i, size_t j)
{
    return ix->hash[i] < ix->hash[j] || (ix->hash[i] == ix->hash[j] && ix->doc[i] < ix->doc[j]);
}

static void swap_postings(dp_fpindex *ix, size_t i, size_t j)
{
    uint64_t h = ix->hash[i];
    uint32_t d = ix->doc[i];
    ix->hash[i] = ix->hash[j], ix->doc[i] = ix->doc[j];
    ix->hash[j] = h, ix->doc[j] = d;
}

static void sift_down(dp_fpindex *ix, size_t root, size_t n)
{
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && before(ix, child, child + 1))
            child++;
        if (!before(ix, root, child))
            return;
        swap_postings(ix, root, child);
    }
}

int dp_fpindex_finalize(dp_fpindex *ix)
{
    if (ix->n_templ > 1) {
        qsort(ix->templ, ix->n_templ, sizeof *ix->templ, cmp_u64);
        size_t u = 1;
        for (size_t i = 1; i < ix->n_templ; i++)
            if (ix->templ[i] != ix->templ[u - 1])
                ix->templ[u++] = ix->templ[i];
        ix->n_templ = u;
    }
    /* heapsort of the two arrays together: in place, so sorting needs no memory beside
     * the postings (the index is the sweep's largest per-document structure) */
    for (size_t i = ix->n / 2; i-- > 0;)
        sift_down(ix, i, ix->n);
    for (size_t end = ix->n; end > 1; end--) {
        swap_postings(ix, 0, end - 1);
        sift_down(ix, 0, end - 1);
    }
    /* growth by doubling left up to twice the room needed: give it back */
    if (ix->n && ix->n < ix->cap) {
        uint64_t *h = realloc(ix->hash, ix->n * sizeof *h);
        if (h) {
            /* doc keeps at least n either way */
            uint32_t *d = realloc(ix->doc, ix->n * sizeof *d);
            ix->hash = h, ix->doc = d ? d : ix->doc, ix->cap = ix->n;
        }
    }
    return DOPPEL_OK;
}

size_t dp_fpindex_docs(const dp_fpindex *ix) { return ix->n_docs; }

static int is_template(const dp_fpindex *ix, uint64_t h)
{
    return ix->n_templ && bsearch(&h, ix->templ, ix->n_templ, sizeof h, cmp_u64);
}

const uint32_t *dp_fpindex_holders(const dp_fpindex *ix, uint64_t h, size_t *n)
{
    size_t lo = dp_lower_bound_u64(ix->hash, ix->n, h);
    size_t end = lo;
    while (end < ix->n && ix->hash[end] == h)
        end++;
    *n = end - lo;
    return end > lo ? ix->doc + lo : NULL;
}

uint32_t dp_fpindex_count(const dp_fpindex *ix, uint64_t h)
{
    if (is_template(ix, h))
        return DP_FP_TEMPLATE;
    size_t n;
    dp_fpindex_holders(ix, h, &n);
    return (uint32_t)n;
}

size_t dp_fpindex_bytes(const dp_fpindex *ix)
{
    return sizeof *ix + ix->cap * (sizeof *ix->hash + sizeof *ix->doc) + ix->cap_templ * sizeof *ix->templ;
}

static int cmp_pair(const void *x, const void *y)
{
    const dp_fp_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

int dp_fpindex_pairs(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared, dp_fp_pair **pairs,
                     size_t *n_pairs)
{
    *pairs = NULL;
    *n_pairs = 0;
    dp_fp_pair *out = NULL;
    size_t n = 0, cap = 0;
    for (size_t lo = 0, hi; lo < ix->n; lo = hi) {
        for (hi = lo + 1; hi < ix->n && ix->hash[hi] == ix->hash[lo];)
            hi++;
        if (hi - lo < 2 || (max_docs && hi - lo > max_docs) || is_template(ix, ix->hash[lo]))
            continue;
        for (size_t i = lo; i < hi; i++)
            for (size_t j = i + 1; j < hi; j++) {
                if (dp_grow((void **)&out, &cap, n + 1, sizeof *out)) {
                    free(out);
                    return DOPPEL_ERR_NOMEM;
                }
                out[n++] = (dp_fp_pair){ix->doc[i], ix->doc[j], 1};
            }
    }
    if (n > 1)
        qsort(out, n, sizeof *out, cmp_pair);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (u && out[u - 1].a == out[i].a && out[u - 1].b == out[i].b)
            out[u - 1].shared++;
        else
            out[u++] = out[i];
    }
    size_t kept = 0;
    for (size_t i = 0; i < u; i++)
        if (out[i].shared >= min_shared)
            out[kept++] = out[i];
    *pairs = out;
    *n_pairs = kept;
    return DOPPEL_OK;
}
