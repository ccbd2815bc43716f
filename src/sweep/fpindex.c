#include "sweep/fpindex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "doppel.h"

struct dp_fpindex {
    dp_fp *fp;            /* all documents' fingerprints, document after document */
    size_t n_fp, cap_fp;
    size_t *doc_off;      /* [n_docs + 1] */
    size_t n_docs, cap_docs;
    uint64_t *templ;      /* template hashes, sorted and unique after finalize */
    size_t n_templ, cap_templ;
};

static int grow(void **v, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return DOPPEL_OK;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    void *nv = realloc(*v, ncap * sz);
    if (!nv)
        return DOPPEL_ERR_NOMEM;
    *v = nv;
    *cap = ncap;
    return DOPPEL_OK;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_fp(const void *x, const void *y)
{
    const dp_fp *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

int dp_fpindex_create(dp_fpindex **out)
{
    dp_fpindex *ix = calloc(1, sizeof *ix);
    if (!ix || grow((void **)&ix->doc_off, &ix->cap_docs, 1, sizeof *ix->doc_off)) {
        free(ix);
        return DOPPEL_ERR_NOMEM;
    }
    ix->doc_off[0] = 0;
    *out = ix;
    return DOPPEL_OK;
}

void dp_fpindex_free(dp_fpindex *ix)
{
    if (!ix)
        return;
    free(ix->fp);
    free(ix->doc_off);
    free(ix->templ);
    free(ix);
}

int dp_fpindex_add(dp_fpindex *ix, const dp_fingerprint *fp, size_t n, uint32_t *doc)
{
    if (ix->n_docs >= UINT32_MAX - 1)
        return DOPPEL_ERR_INVALID;
    if (grow((void **)&ix->fp, &ix->cap_fp, ix->n_fp + n, sizeof *ix->fp) ||
        grow((void **)&ix->doc_off, &ix->cap_docs, ix->n_docs + 2, sizeof *ix->doc_off))
        return DOPPEL_ERR_NOMEM;
    dp_fp *d = ix->fp + ix->n_fp;
    for (size_t i = 0; i < n; i++)
        d[i] = (dp_fp){fp[i].hash, fp[i].pos, 0};
    qsort(d, n, sizeof *d, cmp_fp);
    ix->n_fp += n;
    *doc = (uint32_t)ix->n_docs;
    ix->doc_off[++ix->n_docs] = ix->n_fp;
    return DOPPEL_OK;
}

int dp_fpindex_add_template(dp_fpindex *ix, const dp_fingerprint *fp, size_t n)
{
    if (grow((void **)&ix->templ, &ix->cap_templ, ix->n_templ + n, sizeof *ix->templ))
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        ix->templ[ix->n_templ++] = fp[i].hash;
    return DOPPEL_OK;
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
    /* Each document's distinct hashes, all together, sorted: run lengths are the
     * document counts. */
    uint64_t *all = malloc((ix->n_fp ? ix->n_fp : 1) * sizeof *all);
    if (!all)
        return DOPPEL_ERR_NOMEM;
    size_t m = 0;
    for (size_t d = 0; d < ix->n_docs; d++)
        for (size_t i = ix->doc_off[d]; i < ix->doc_off[d + 1]; i++)
            if (i == ix->doc_off[d] || ix->fp[i].hash != ix->fp[i - 1].hash)
                all[m++] = ix->fp[i].hash;
    qsort(all, m, sizeof *all, cmp_u64);
    for (size_t i = 0; i < ix->n_fp; i++) {
        uint64_t h = ix->fp[i].hash;
        if (ix->n_templ && bsearch(&h, ix->templ, ix->n_templ, sizeof h, cmp_u64)) {
            ix->fp[i].ndocs = DP_FP_TEMPLATE;
            continue;
        }
        /* [lo, hi) = the run of h in all */
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (all[mid] < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < m && all[end] == h)
            end++;
        ix->fp[i].ndocs = (uint32_t)(end - lo);
    }
    free(all);
    return DOPPEL_OK;
}

size_t dp_fpindex_docs(const dp_fpindex *ix) { return ix->n_docs; }

const dp_fp *dp_fpindex_doc(const dp_fpindex *ix, uint32_t doc, size_t *n)
{
    *n = ix->doc_off[doc + 1] - ix->doc_off[doc];
    return ix->fp + ix->doc_off[doc];
}

size_t dp_fpindex_bytes(const dp_fpindex *ix)
{
    return sizeof *ix + ix->cap_fp * sizeof *ix->fp + ix->cap_docs * sizeof *ix->doc_off +
           ix->cap_templ * sizeof *ix->templ;
}

static bool evidence(const dp_fp *f, uint32_t max_docs)
{
    return f->ndocs != DP_FP_TEMPLATE && (max_docs == 0 || f->ndocs <= max_docs);
}

/* (hash, doc) of one evidence occurrence, for grouping documents by hash. */
typedef struct {
    uint64_t hash;
    uint32_t doc;
} hash_doc;

static int cmp_hash_doc(const void *x, const void *y)
{
    const hash_doc *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int cmp_pair(const void *x, const void *y)
{
    const dp_fp_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

int dp_fpindex_pairs(const dp_fpindex *ix, uint32_t max_docs, uint32_t min_shared,
                     dp_fp_pair **pairs, size_t *n_pairs)
{
    *pairs = NULL;
    *n_pairs = 0;
    hash_doc *hd = malloc((ix->n_fp ? ix->n_fp : 1) * sizeof *hd);
    if (!hd)
        return DOPPEL_ERR_NOMEM;
    size_t m = 0;
    for (size_t d = 0; d < ix->n_docs; d++)
        for (size_t i = ix->doc_off[d]; i < ix->doc_off[d + 1]; i++) {
            const dp_fp *f = &ix->fp[i];
            bool dup = i > ix->doc_off[d] && f->hash == ix->fp[i - 1].hash;
            if (!dup && f->ndocs >= 2 && evidence(f, max_docs))
                hd[m++] = (hash_doc){f->hash, (uint32_t)d};
        }
    qsort(hd, m, sizeof *hd, cmp_hash_doc);
    dp_fp_pair *out = NULL;
    size_t n = 0, cap = 0;
    for (size_t lo = 0, hi; lo < m; lo = hi) {
        for (hi = lo + 1; hi < m && hd[hi].hash == hd[lo].hash;)
            hi++;
        for (size_t i = lo; i < hi; i++)
            for (size_t j = i + 1; j < hi; j++) {
                if (grow((void **)&out, &cap, n + 1, sizeof *out)) {
                    free(out), free(hd);
                    return DOPPEL_ERR_NOMEM;
                }
                out[n++] = (dp_fp_pair){hd[i].doc, hd[j].doc, 1};
            }
    }
    free(hd);
    if (n)
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

static int cmp_seed(const void *x, const void *y)
{
    const dp_fp_seed *a = x, *b = y;
    if (a->a_pos != b->a_pos)
        return a->a_pos < b->a_pos ? -1 : 1;
    return a->b_pos < b->b_pos ? -1 : a->b_pos > b->b_pos;
}

int dp_fpindex_seeds(const dp_fpindex *ix, uint32_t a, uint32_t b, uint32_t max_docs,
                     dp_fp_seed **seeds, size_t *n_seeds)
{
    size_t na, nb;
    const dp_fp *fa = dp_fpindex_doc(ix, a, &na), *fb = dp_fpindex_doc(ix, b, &nb);
    dp_fp_seed *out = NULL;
    size_t n = 0, cap = 0, i = 0, j = 0;
    *seeds = NULL;
    *n_seeds = 0;
    while (i < na && j < nb) {
        if (fa[i].hash < fb[j].hash) {
            i++;
        } else if (fa[i].hash > fb[j].hash) {
            j++;
        } else {
            uint64_t h = fa[i].hash;
            size_t ie = i, je = j;
            while (ie < na && fa[ie].hash == h)
                ie++;
            while (je < nb && fb[je].hash == h)
                je++;
            if (evidence(&fa[i], max_docs))
                for (size_t x = i; x < ie; x++)
                    for (size_t y = j; y < je; y++) {
                        if (grow((void **)&out, &cap, n + 1, sizeof *out)) {
                            free(out);
                            return DOPPEL_ERR_NOMEM;
                        }
                        out[n++] = (dp_fp_seed){fa[x].pos, fb[y].pos};
                    }
            i = ie;
            j = je;
        }
    }
    if (n > 1)
        qsort(out, n, sizeof *out, cmp_seed);
    *seeds = out;
    *n_seeds = n;
    return DOPPEL_OK;
}
