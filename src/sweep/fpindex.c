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

/* Whether the postings [lo, hi) of one hash are evidence joining documents. */
static int evidence(const dp_fpindex *ix, size_t lo, size_t hi, uint32_t max_docs)
{
    return hi - lo >= 2 && !(max_docs && hi - lo > max_docs) && !is_template(ix, ix->hash[lo]);
}

/* The end of the postings of the hash at lo. */
static size_t run_end(const dp_fpindex *ix, size_t lo)
{
    size_t hi = lo + 1;
    while (hi < ix->n && ix->hash[hi] == ix->hash[lo])
        hi++;
    return hi;
}

/* dp_fpindex_pairs's block: 12 MiB of occurrences */
#define PAIRS_BLOCK ((size_t)1 << 20)

/* Appends the pairs of first documents [a0, a1) sharing at least min_shared evidence
 * hashes to out[*n ..] (capacity *cap), gathering their occurrences in *tmp (capacity *cap_tmp). */
static int block_pairs(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared, uint32_t a0, uint32_t a1,
                       dp_fp_pair **tmp, size_t *cap_tmp, dp_fp_pair **out, size_t *n, size_t *cap)
{
    size_t m = 0;
    for (size_t lo = 0, hi; lo < ix->n; lo = hi) {
        hi = run_end(ix, lo);
        if (!evidence(ix, lo, hi, max_docs))
            continue;
        for (size_t i = lo; i < hi && ix->doc[i] < a1; i++) {
            if (ix->doc[i] < a0)
                continue;
            if (DP_GROW(*tmp, *cap_tmp, m + (hi - i - 1), 1024))
                return DOPPEL_ERR_NOMEM;
            for (size_t j = i + 1; j < hi; j++)
                (*tmp)[m++] = (dp_fp_pair){ix->doc[i], ix->doc[j], 1};
        }
    }
    if (m > 1)
        qsort(*tmp, m, sizeof **tmp, cmp_pair);
    size_t u = 0;
    for (size_t i = 0; i < m; i++) {
        if (u && (*tmp)[u - 1].a == (*tmp)[i].a && (*tmp)[u - 1].b == (*tmp)[i].b)
            (*tmp)[u - 1].shared++;
        else
            (*tmp)[u++] = (*tmp)[i];
    }
    for (size_t i = 0; i < u; i++) {
        if ((*tmp)[i].shared < min_shared)
            continue;
        if (DP_GROW(*out, *cap, *n + 1, 1024))
            return DOPPEL_ERR_NOMEM;
        (*out)[(*n)++] = (*tmp)[i];
    }
    return DOPPEL_OK;
}

int dp_fpindex_pairs(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared, dp_fp_pair **pairs,
                     size_t *n_pairs)
{
    return dp_fpindex_pairs_in(ix, max_docs, min_shared, PAIRS_BLOCK, pairs, n_pairs);
}

int dp_fpindex_pairs_in(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared, size_t block,
                        dp_fp_pair **pairs, size_t *n_pairs)
{
    *pairs = NULL;
    *n_pairs = 0;
    /* occurrences of each document as the first of a pair */
    size_t *first = calloc(ix->n_docs ? ix->n_docs : 1, sizeof *first);
    if (!first)
        return DOPPEL_ERR_NOMEM;
    for (size_t lo = 0, hi; lo < ix->n; lo = hi) {
        hi = run_end(ix, lo);
        if (evidence(ix, lo, hi, max_docs))
            for (size_t i = lo; i < hi; i++)
                first[ix->doc[i]] += hi - i - 1;
    }
    dp_fp_pair *tmp = NULL, *out = NULL;
    size_t cap_tmp = 0, n = 0, cap = 0;
    int rc = DOPPEL_OK;
    for (size_t a0 = 0, a1; a0 < ix->n_docs && !rc; a0 = a1) {
        size_t m = first[a0];
        for (a1 = a0 + 1; a1 < ix->n_docs && m + first[a1] <= block; a1++)
            m += first[a1];
        if (m)
            rc = block_pairs(ix, max_docs, min_shared, (uint32_t)a0, (uint32_t)a1, &tmp, &cap_tmp, &out, &n, &cap);
    }
    free(first), free(tmp);
    if (rc) {
        free(out);
        return rc;
    }
    *pairs = out;
    *n_pairs = n;
    return DOPPEL_OK;
}
