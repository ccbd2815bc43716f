#include "mpi/dist_sweep.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/grow.h"
#include "core/sorted.h"
#include "sweep/common.h"
#include "sweep/fpindex.h"
#include "sweep/skipbits.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* What a run keeps of the job: each rank's first document number, and this rank's. */
typedef struct job {
    const dp_dist *d;
    dp_sweep *s;
    uint64_t *first; /* [size + 1]: rank r holds documents first[r] .. first[r+1] - 1 */
    uint64_t n;      /* documents in the whole corpus */
    size_t own;      /* this rank's documents (the first `own` of s) */
    uint8_t *is_ref; /* [n] every document's reference flag (one byte each) */
    uint64_t sent;   /* bytes this rank sent */
    uint32_t *fetched; /* the documents fetched from other ranks, increasing: s's own + i is fetched[i] */
    size_t n_fetched;
} job;

static void *alloc(const dp_dist *d, size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        dp_dist_fail(d, "out of memory");
    return p;
}

static int owner_of_doc(const job *j, uint64_t g)
{
    int lo = 0, hi = j->d->size - 1; /* the last rank whose first <= g */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (j->first[mid] <= g)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Hash ranges: rank r owns the hashes whose top 32 bits fall in its 1/size of them. */
static int owner_of_hash(const job *j, uint64_t h) { return (int)(((h >> 32) * (uint64_t)j->d->size) >> 32); }

/* The rank that aligns a pair: the owner of one side, alternating by the pair's parity,
 * so every rank aligns about as many pairs as it holds. */
static int aligner_of(const job *j, uint32_t a, uint32_t b) { return owner_of_doc(j, (a + b) & 1 ? a : b); }

static int comparable(const job *j, uint32_t a, uint32_t b) { return a != b && !(j->is_ref[a] && j->is_ref[b]); }

static void exchange(job *j, dp_bytes *send, uint8_t **recv, size_t *from)
{
    for (int r = 0; r < j->d->size; r++)
        j->sent += r == j->d->rank ? 0 : send[r].n;
    dp_dist_exchange(j->d, send, recv, from);
    for (int r = 0; r < j->d->size; r++) {
        free(send[r].p);
        send[r] = (dp_bytes){0};
    }
}

static dp_bytes *per_rank(const job *j) { return calloc((size_t)j->d->size, sizeof(dp_bytes)); }

/* ---- 1. fingerprint counts -------------------------------------------- */

typedef struct count_table {
    uint64_t *hash;
    uint32_t *count;
    size_t n, cap;
} count_table;

static void table_push(const job *j, count_table *t, uint64_t h, uint32_t c)
{
    size_t cap = t->cap;
    if (dp_grow((void **)&t->hash, &cap, t->n + 1, sizeof *t->hash) ||
        dp_grow((void **)&t->count, &t->cap, t->n + 1, sizeof *t->count))
        dp_dist_fail(j->d, "out of memory");
    t->cap = cap;
    t->hash[t->n] = h, t->count[t->n++] = c;
}

typedef struct hc {
    uint64_t h;
    uint32_t c;
} hc;

static int by_hash(const void *x, const void *y)
{
    uint64_t a = ((const hc *)x)->h, b = ((const hc *)y)->h;
    return (a > b) - (a < b);
}

/* Sorts the table by hash, one entry per hash (a hash's count is the same wherever it came from). */
static void table_sort(const job *j, count_table *t)
{
    hc *v = alloc(j->d, t->n * sizeof *v);
    for (size_t i = 0; i < t->n; i++)
        v[i] = (hc){t->hash[i], t->count[i]};
    qsort(v, t->n, sizeof *v, by_hash);
    size_t u = 0;
    for (size_t i = 0; i < t->n; i++)
        if (u == 0 || v[i].h != t->hash[u - 1])
            t->hash[u] = v[i].h, t->count[u++] = v[i].c;
    t->n = u;
    free(v);
}

static uint32_t table_count(const count_table *t, uint64_t h)
{
    size_t lo = dp_lower_bound_u64(t->hash, t->n, h);
    return lo < t->n && t->hash[lo] == h ? t->count[lo] : 0;
}

/* The hash owner's index: this rank's hash range of every document and template. */
static dp_fpindex *hash_owner_index(job *j, const uint8_t *msg, const size_t *from)
{
    dp_fpindex *ix;
    if (dp_fpindex_create(&ix))
        dp_dist_fail(j->d, "out of memory");
    for (size_t t = 0; t < dp_sweep_template_count(j->s); t++) {
        uint64_t *h;
        size_t n;
        if (dp_sweep_doc_hashes(j->s, dp_sweep_template_at(j->s, t), &h, &n))
            dp_dist_fail(j->d, "out of memory");
        dp_fingerprint *fp = alloc(j->d, n * sizeof *fp);
        for (size_t i = 0; i < n; i++)
            fp[i] = (dp_fingerprint){.hash = h[i]};
        if (dp_fpindex_add_template(ix, fp, n))
            dp_dist_fail(j->d, "out of memory");
        free(fp), free(h);
    }
    size_t total = 0;
    for (int r = 0; r < j->d->size; r++)
        total += from[r];
    dp_bytes_reader rd = {msg, msg + total};
    while (rd.p < rd.end) {
        uint32_t doc, n;
        dp_bytes_get(j->d, &rd, &doc, sizeof doc);
        dp_bytes_get(j->d, &rd, &n, sizeof n);
        uint64_t *h = alloc(j->d, n * sizeof *h);
        dp_bytes_get(j->d, &rd, h, n * sizeof *h);
        if (dp_fpindex_add_hashes(ix, h, n, doc))
            dp_dist_fail(j->d, "out of memory");
        free(h);
    }
    if (dp_fpindex_finalize(ix))
        dp_dist_fail(j->d, "out of memory");
    return ix;
}

/*
 * Sends each own document's distinct hashes to their owners ([u32 doc][u32 n][u64 hash]
 * per document and owner), which answer with the counts of the whole corpus in the same
 * order ([u32] per hash). *table: the counts of every hash of this rank's documents.
 * Returns the hash owner's index, for the fingerprint candidates.
 */
static dp_fpindex *fingerprint_counts(job *j, count_table *table)
{
    const dp_dist *d = j->d;
    dp_bytes *send = per_rank(j);
    uint64_t **hashes = calloc(j->own ? j->own : 1, sizeof *hashes);
    size_t *n_hashes = calloc(j->own ? j->own : 1, sizeof *n_hashes);
    uint32_t *part = alloc(d, (size_t)d->size * sizeof *part);
    if (!send || !hashes || !n_hashes)
        dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < j->own; i++) {
        if (dp_sweep_doc_hashes(j->s, dp_sweep_doc_at(j->s, i), &hashes[i], &n_hashes[i]))
            dp_dist_fail(d, "out of memory");
        /* hashes are sorted, so each owner's share is one stretch of them */
        uint32_t doc = (uint32_t)(j->first[d->rank] + i);
        memset(part, 0, (size_t)d->size * sizeof *part);
        for (size_t k = 0; k < n_hashes[i]; k++)
            part[owner_of_hash(j, hashes[i][k])]++;
        for (size_t k = 0, r = 0; r < (size_t)d->size; k += part[r], r++) {
            if (!part[r])
                continue;
            dp_bytes_put(d, &send[r], &doc, sizeof doc);
            dp_bytes_put(d, &send[r], &part[r], sizeof part[r]);
            dp_bytes_put(d, &send[r], hashes[i] + k, part[r] * sizeof(uint64_t));
        }
    }
    uint8_t *msg;
    size_t *from = alloc(d, (size_t)d->size * sizeof *from);
    exchange(j, send, &msg, &from[0]);
    dp_fpindex *ix = hash_owner_index(j, msg, from);
    /* the answers, in the order the questions came from each rank */
    size_t off = 0;
    for (int r = 0; r < d->size; r++) {
        dp_bytes_reader rd = {msg + off, msg + off + from[r]};
        off += from[r];
        while (rd.p < rd.end) {
            uint32_t doc, n;
            dp_bytes_get(d, &rd, &doc, sizeof doc);
            dp_bytes_get(d, &rd, &n, sizeof n);
            for (uint32_t k = 0; k < n; k++) {
                uint64_t h;
                dp_bytes_get(d, &rd, &h, sizeof h);
                uint32_t c = dp_fpindex_count(ix, h);
                dp_bytes_put(d, &send[r], &c, sizeof c);
            }
        }
    }
    free(msg);
    exchange(j, send, &msg, from);
    /* answers come back per owner in the order asked: walk the questions again */
    size_t *at = alloc(d, (size_t)d->size * sizeof *at);
    off = 0;
    for (int r = 0; r < d->size; r++)
        at[r] = off, off += from[r];
    for (size_t i = 0; i < j->own; i++)
        for (size_t k = 0; k < n_hashes[i]; k++) {
            int r = owner_of_hash(j, hashes[i][k]);
            uint32_t c;
            memcpy(&c, msg + at[r], sizeof c);
            at[r] += sizeof c;
            table_push(j, table, hashes[i][k], c);
        }
    for (size_t i = 0; i < j->own; i++)
        free(hashes[i]);
    free(hashes), free(n_hashes), free(part), free(msg), free(from), free(at), free(send);
    table_sort(j, table);
    return ix;
}

/* ---- 2. candidates ----------------------------------------------------- */

static void route_pair(job *j, dp_bytes *send, uint32_t a, uint32_t b)
{
    uint32_t p[2] = {a < b ? a : b, a < b ? b : a};
    if (comparable(j, a, b))
        dp_bytes_put(j->d, &send[aligner_of(j, p[0], p[1])], p, sizeof p);
}

/* This rank's rows of the document-vector product against every rank's columns, the
 * column blocks passed round the ring; its rows' near pairs go to their aligners. */
static void near_pairs(job *j, dp_bytes *send)
{
    const dp_dist *d = j->d;
    size_t dim = dp_sweep_dim(j->s), r0 = j->first[d->rank], r1 = j->first[d->rank + 1], most = 0;
    for (int r = 0; r < d->size; r++)
        if (j->first[r + 1] - j->first[r] > most)
            most = j->first[r + 1] - j->first[r];
    float *R = alloc(d, j->own * dim * sizeof *R), *C = alloc(d, most * dim * sizeof *C),
          *next = alloc(d, most * dim * sizeof *next);
    for (size_t i = 0; i < j->own; i++)
        memcpy(R + i * dim, dp_sweep_doc_at(j->s, i)->dvec, dim * sizeof *R);
    memcpy(C, R, j->own * dim * sizeof *R);
    dp_allpairs_opts ao;
    dp_sweep_near_opts(j->s, j->is_ref, &ao);
    dp_allpairs_result acc, part;
    int src = d->rank; /* whose columns C holds */
    for (int step = 0; step < d->size; step++) {
        size_t c0 = j->first[src], c1 = j->first[src + 1];
        int rc = dp_allpairs_block_at(R, C, j->n, dim, r0, r1, c0, c1, &ao, step ? &part : &acc);
        if (!rc && step)
            rc = dp_allpairs_merge(&acc, &part);
        if (step)
            dp_allpairs_result_free(&part);
        if (rc)
            dp_dist_fail(d, "out of memory");
        if (step + 1 == d->size)
            break;
        /* pass the block on: send to the next rank, receive the previous one's */
        int to = (d->rank + 1) % d->size, from = (d->rank + d->size - 1) % d->size;
        int nsrc = (src + d->size - 1) % d->size;
        size_t nrows = j->first[nsrc + 1] - j->first[nsrc];
        if ((c1 - c0) * dim > INT32_MAX || nrows * dim > INT32_MAX)
            dp_dist_fail(d, "a block of document vectors above 2^31 values");
        if (MPI_Sendrecv(C, (int)((c1 - c0) * dim), MPI_FLOAT, to, 0, next, (int)(nrows * dim), MPI_FLOAT, from, 0,
                         MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
            dp_dist_fail(d, "MPI_Sendrecv failed");
        j->sent += (c1 - c0) * dim * sizeof *C;
        float *t = C;
        C = next, next = t, src = nsrc;
    }
    uint32_t(*near)[2];
    size_t n_near;
    if (dp_allpairs_candidates(&acc, 1, &near, &n_near))
        dp_dist_fail(d, "out of memory");
    for (size_t p = 0; p < n_near; p++)
        route_pair(j, send, near[p][0], near[p][1]);
    free(near);
    dp_allpairs_result_free(&acc);
    free(R), free(C), free(next);
}

static int cmp_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* The pairs this rank aligns (whole-corpus numbers, a < b), sorted, unique. */
static uint32_t (*candidates(job *j, dp_fpindex *ix, size_t *n_out, double *t_gemm))[2]
{
    const dp_dist *d = j->d;
    const dp_sweep_opts *o = dp_sweep_get_opts(j->s);
    dp_bytes mine = {0};
    *t_gemm = 0;
    if (o->all_pairs || j->n <= o->all_pairs_limit) {
        /* every comparable pair: each rank keeps its own share of them */
        for (uint32_t a = 0; a < j->n; a++)
            for (uint32_t b = a + 1; b < j->n; b++)
                if (comparable(j, a, b) && aligner_of(j, a, b) == d->rank) {
                    uint32_t p[2] = {a, b};
                    dp_bytes_put(d, &mine, p, sizeof p);
                }
    } else {
        dp_bytes *send = per_rank(j);
        if (!send)
            dp_dist_fail(d, "out of memory");
        dp_fp_pair *fpp;
        size_t n_fpp;
        if (dp_fpindex_pairs(ix, o->max_docs, 1, &fpp, &n_fpp))
            dp_dist_fail(d, "out of memory");
        for (size_t p = 0; p < n_fpp; p++)
            route_pair(j, send, fpp[p].a, fpp[p].b);
        free(fpp);
        double t0 = now();
        if (dp_sweep_dim(j->s))
            near_pairs(j, send);
        *t_gemm = now() - t0;
        size_t *from = alloc(d, (size_t)d->size * sizeof *from), total = 0;
        exchange(j, send, &mine.p, from);
        for (int r = 0; r < d->size; r++)
            total += from[r];
        mine.n = total;
        free(from), free(send);
    }
    uint32_t(*v)[2] = (void *)mine.p;
    size_t n = mine.n / sizeof *v, u = 0;
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_pair);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || cmp_pair(v[u - 1], v[i]) != 0)
            v[u][0] = v[i][0], v[u][1] = v[i][1], u++;
    *n_out = u;
    return v;
}

/* ---- 3. fetching the other side of each pair --------------------------- */

static void put_u32(const dp_dist *d, dp_bytes *b, uint32_t v) { dp_bytes_put(d, b, &v, sizeof v); }

/* Document i of s as another rank needs it to align: [u32 id length][id][u8 reference]
 * [u64 words][u64 sentences][words][skip][sentences] and with vectors [scales][int8
 * vectors][document vector], then [u32 n][(u64 hash, u32 count) x n] its fingerprint
 * counts. The ranks run one build on one kind of machine: structs go as they are. */
static void pack_doc(job *j, dp_bytes *b, size_t i, const count_table *table)
{
    const dp_dist *d = j->d;
    const dp_sweep_doc *doc = dp_sweep_doc_at(j->s, i);
    size_t dim = dp_sweep_dim(j->s);
    uint32_t idlen = (uint32_t)strlen(doc->id);
    uint8_t ref = (uint8_t)doc->is_ref;
    uint64_t nw = doc->n_words, ns = doc->n_sents;
    put_u32(d, b, idlen);
    dp_bytes_put(d, b, doc->id, idlen);
    dp_bytes_put(d, b, &ref, 1);
    dp_bytes_put(d, b, &nw, sizeof nw);
    dp_bytes_put(d, b, &ns, sizeof ns);
    dp_bytes_put(d, b, doc->words, nw * sizeof *doc->words);
    dp_bytes_put(d, b, doc->skip, dp_skip_bytes(nw));
    dp_bytes_put(d, b, doc->sents, ns * sizeof *doc->sents);
    if (dim) {
        const int8_t *q;
        int8_t *owned;
        if (dp_sweep_doc_vectors(j->s, doc, &q, &owned))
            dp_dist_fail(d, "cannot read back sentence vectors");
        dp_bytes_put(d, b, doc->sscale, ns * sizeof *doc->sscale);
        dp_bytes_put(d, b, q, ns * dim);
        dp_bytes_put(d, b, doc->dvec, dim * sizeof *doc->dvec);
        free(owned);
    }
    uint64_t *h;
    size_t n;
    if (dp_sweep_doc_hashes(j->s, doc, &h, &n))
        dp_dist_fail(d, "out of memory");
    put_u32(d, b, (uint32_t)n);
    for (size_t k = 0; k < n; k++) {
        uint32_t c = table_count(table, h[k]);
        dp_bytes_put(d, b, &h[k], sizeof h[k]);
        dp_bytes_put(d, b, &c, sizeof c);
    }
    free(h);
}

/* The inverse of pack_doc, into s (as its next document) and table. */
static void unpack_doc(job *j, dp_bytes_reader *r, count_table *table)
{
    const dp_dist *d = j->d;
    size_t dim = dp_sweep_dim(j->s);
    dp_sweep_doc doc = {0};
    uint32_t idlen, n;
    uint8_t ref;
    uint64_t nw, ns;
    dp_bytes_get(d, r, &idlen, sizeof idlen);
    char *id = dp_bytes_get_array(d, r, (size_t)idlen + 1, 1);
    r->p--; /* the NUL is not sent */
    id[idlen] = '\0';
    doc.id = id;
    dp_bytes_get(d, r, &ref, 1);
    dp_bytes_get(d, r, &nw, sizeof nw);
    dp_bytes_get(d, r, &ns, sizeof ns);
    doc.is_ref = ref;
    doc.n_words = nw, doc.n_sents = ns;
    doc.words = dp_bytes_get_array(d, r, nw, sizeof *doc.words);
    doc.skip = dp_bytes_get_array(d, r, dp_skip_bytes(nw), 1);
    doc.sents = dp_bytes_get_array(d, r, ns, sizeof *doc.sents);
    if (dim) {
        doc.sscale = dp_bytes_get_array(d, r, ns, sizeof *doc.sscale);
        doc.sq = dp_bytes_get_array(d, r, ns * dim, 1);
        doc.dvec = dp_bytes_get_array(d, r, dim, sizeof *doc.dvec);
    }
    if (dp_sweep_insert(j->s, &doc, 0))
        dp_dist_fail(d, "a document from another rank does not fit this sweep");
    dp_bytes_get(d, r, &n, sizeof n);
    for (uint32_t k = 0; k < n; k++) {
        uint64_t h;
        uint32_t c;
        dp_bytes_get(d, r, &h, sizeof h);
        dp_bytes_get(d, r, &c, sizeof c);
        table_push(j, table, h, c);
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Fetches the documents of other ranks that this rank's pairs need, adds them to s, and
 * turns pairs into s's numbers. */
static void fetch(job *j, uint32_t (*pairs)[2], size_t n_pairs, count_table *table)
{
    const dp_dist *d = j->d;
    uint32_t lo = (uint32_t)j->first[d->rank], hi = (uint32_t)j->first[d->rank + 1];
    uint32_t *need = alloc(d, 2 * n_pairs * sizeof *need);
    size_t n_need = 0, u = 0;
    for (size_t p = 0; p < n_pairs; p++)
        for (int side = 0; side < 2; side++)
            if (pairs[p][side] < lo || pairs[p][side] >= hi)
                need[n_need++] = pairs[p][side];
    if (n_need > 1)
        qsort(need, n_need, sizeof *need, cmp_u32);
    for (size_t i = 0; i < n_need; i++)
        if (u == 0 || need[u - 1] != need[i])
            need[u++] = need[i];
    n_need = u;
    dp_bytes *send = per_rank(j);
    size_t *from = alloc(d, (size_t)d->size * sizeof *from);
    if (!send)
        dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < n_need; i++)
        put_u32(d, &send[owner_of_doc(j, need[i])], need[i]);
    uint8_t *msg;
    exchange(j, send, &msg, from);
    size_t off = 0;
    for (int r = 0; r < d->size; r++)
        for (size_t k = 0; k < from[r] / sizeof(uint32_t); k++, off += sizeof(uint32_t)) {
            uint32_t g;
            memcpy(&g, msg + off, sizeof g);
            if (g < lo || g >= hi)
                dp_dist_fail(d, "asked for a document it does not hold");
            pack_doc(j, &send[r], g - lo, table);
        }
    free(msg);
    exchange(j, send, &msg, from);
    size_t total = 0;
    for (int r = 0; r < d->size; r++)
        total += from[r];
    /* they come in rank order, each rank's in the order asked: need's order */
    dp_bytes_reader rd = {msg, msg + total};
    for (size_t i = 0; i < n_need; i++)
        unpack_doc(j, &rd, table);
    free(msg), free(from), free(send);
    table_sort(j, table);
    for (size_t p = 0; p < n_pairs; p++)
        for (int side = 0; side < 2; side++) {
            uint32_t g = pairs[p][side];
            if (g >= lo && g < hi) {
                pairs[p][side] = g - lo;
            } else {
                const uint32_t *at = bsearch(&g, need, n_need, sizeof g, cmp_u32);
                pairs[p][side] = (uint32_t)(j->own + (size_t)(at - need));
            }
        }
    j->fetched = need, j->n_fetched = n_need;
}

/* ---- 4. aligning, and the results on rank 0 ---------------------------- */

static uint32_t global_of(const job *j, uint32_t local)
{
    return local < j->own ? (uint32_t)(j->first[j->d->rank] + local) : j->fetched[local - j->own];
}

typedef struct results {
    job *j;
    dp_bytes b;
} results;

/* A reported pair, for rank 0: [u32 a][u32 b] as reported, [f32 score, a and b coverage],
 * [id a][id b] (u32 length, bytes), [u64 n][dp_passage x n]. */
static int keep_result(void *ctx, const dp_pair_result *pr, uint32_t a, uint32_t b)
{
    results *res = ctx;
    const dp_dist *d = res->j->d;
    uint32_t ga = global_of(res->j, a), gb = global_of(res->j, b);
    float f[3] = {pr->score, pr->a_coverage, pr->b_coverage};
    uint64_t n = pr->n_passages;
    put_u32(d, &res->b, ga);
    put_u32(d, &res->b, gb);
    dp_bytes_put(d, &res->b, f, sizeof f);
    dp_bytes_put_str(d, &res->b, pr->a);
    dp_bytes_put_str(d, &res->b, pr->b);
    dp_bytes_put(d, &res->b, &n, sizeof n);
    dp_bytes_put(d, &res->b, pr->passages, n * sizeof *pr->passages);
    return 0;
}

typedef struct result_at {
    uint32_t lo, hi; /* the candidate pair, as dp_sweep_run orders them */
    const uint8_t *p;
} result_at;

static int by_candidate(const void *x, const void *y)
{
    const result_at *a = x, *b = y;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    return (a->hi > b->hi) - (a->hi < b->hi);
}

static void skip_str(const dp_dist *d, dp_bytes_reader *r)
{
    uint32_t n;
    dp_bytes_get(d, r, &n, sizeof n);
    if ((size_t)(r->end - r->p) < n)
        dp_dist_fail(d, "a message from another rank is shorter than it says");
    r->p += n;
}

/* Rank 0: every rank's results handed on in candidate order. */
static int hand_on(const dp_dist *d, const uint8_t *all, size_t len, dp_sweep_pair_fn on_pair, void *ctx)
{
    result_at *v = NULL;
    size_t n = 0, cap = 0;
    dp_bytes_reader r = {all, all + len};
    while (r.p < r.end) {
        if (dp_grow((void **)&v, &cap, n + 1, sizeof *v))
            dp_dist_fail(d, "out of memory");
        result_at *e = &v[n++];
        uint32_t ab[2];
        float f[3];
        uint64_t np;
        e->p = r.p;
        dp_bytes_get(d, &r, ab, sizeof ab);
        dp_bytes_get(d, &r, f, sizeof f);
        skip_str(d, &r), skip_str(d, &r); /* only where each result starts, for the sort */
        dp_bytes_get(d, &r, &np, sizeof np);
        if (np > (size_t)(r.end - r.p) / sizeof(dp_passage))
            dp_dist_fail(d, "a message from another rank is shorter than it says");
        r.p += np * sizeof(dp_passage);
        e->lo = ab[0] < ab[1] ? ab[0] : ab[1], e->hi = ab[0] < ab[1] ? ab[1] : ab[0];
    }
    if (n > 1)
        qsort(v, n, sizeof *v, by_candidate);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        r = (dp_bytes_reader){v[i].p, all + len};
        uint32_t ab[2];
        float f[3];
        uint64_t np;
        dp_bytes_get(d, &r, ab, sizeof ab);
        dp_bytes_get(d, &r, f, sizeof f);
        char *ida = dp_bytes_get_str(d, &r), *idb = dp_bytes_get_str(d, &r);
        dp_bytes_get(d, &r, &np, sizeof np);
        dp_passage *ps = dp_bytes_get_array(d, &r, np, sizeof *ps);
        dp_pair_result pr = {ida, idb, f[0], f[1], f[2], ps, np};
        rc = on_pair(ctx, &pr, ab[0], ab[1]);
        free(ida), free(idb), free(ps);
    }
    free(v);
    return rc;
}

/* ---- 5. common passages ----------------------------------------------- */

/*
 * Each rank's boilerplate fingerprints (counted over the whole corpus) and, for each of
 * its documents holding any, the id and sentences the passages' spans are read from, go
 * to rank 0: [u64 n][dp_common_fp x n], then per such document [u32 doc][id][u64
 * sentences][dp_sent_info x sentences]. Boilerplate is what max_docs documents or more
 * share, so this is small beside the corpus (docs/SCALE.md says when it is not).
 */
static void send_common(job *j, dp_bytes *b)
{
    const dp_dist *d = j->d;
    dp_common_fp *fps;
    size_t n;
    if (dp_sweep_common_fps(j->s, j->own, (uint32_t)j->first[d->rank], &fps, &n))
        dp_dist_fail(d, "out of memory");
    uint64_t n64 = n;
    dp_bytes_put(d, b, &n64, sizeof n64);
    dp_bytes_put(d, b, fps, n * sizeof *fps);
    for (size_t f = 0; f < n; f++) {
        if (f && fps[f].doc == fps[f - 1].doc)
            continue;
        const dp_sweep_doc *doc = dp_sweep_doc_at(j->s, fps[f].doc - j->first[d->rank]);
        uint64_t ns = doc->n_sents;
        put_u32(d, b, fps[f].doc);
        dp_bytes_put_str(d, b, doc->id);
        dp_bytes_put(d, b, &ns, sizeof ns);
        dp_bytes_put(d, b, doc->sents, ns * sizeof *doc->sents);
    }
    free(fps);
}

/* Rank 0: the common passages of every rank's fingerprints, the documents renumbered
 * 0, 1, ... in their order (which keeps the order of the passages). */
static int hand_on_common(job *j, const uint8_t *all, size_t len, size_t *count)
{
    const dp_dist *d = j->d;
    dp_bytes fps = {0};
    dp_sweep_doc *docs = NULL;
    size_t n_docs = 0, cap = 0;
    dp_bytes_reader r = {all, all + len};
    while (r.p < r.end) {
        uint64_t n;
        dp_bytes_get(d, &r, &n, sizeof n);
        dp_common_fp *f = dp_bytes_get_array(d, &r, n, sizeof *f);
        for (uint64_t i = 0, last = UINT64_MAX; i < n; i++) {
            uint32_t doc;
            if (f[i].doc != last) {
                last = f[i].doc;
                dp_bytes_get(d, &r, &doc, sizeof doc);
                if (doc != f[i].doc || dp_grow((void **)&docs, &cap, n_docs + 1, sizeof *docs))
                    dp_dist_fail(d, doc != f[i].doc ? "common passages out of order" : "out of memory");
                dp_sweep_doc *x = &docs[n_docs++];
                memset(x, 0, sizeof *x);
                x->id = dp_bytes_get_str(d, &r);
                uint64_t ns;
                dp_bytes_get(d, &r, &ns, sizeof ns);
                x->n_sents = ns;
                x->sents = dp_bytes_get_array(d, &r, ns, sizeof *x->sents);
            }
            f[i].doc = (uint32_t)(n_docs - 1);
        }
        dp_bytes_put(d, &fps, f, n * sizeof *f);
        free(f);
    }
    int rc = dp_sweep_report_common(j->s, (dp_common_fp *)(void *)fps.p, fps.n / sizeof(dp_common_fp), docs, count);
    for (size_t i = 0; i < n_docs; i++)
        dp_sweep_doc_free(&docs[i]);
    free(docs), free(fps.p);
    return rc;
}

int dp_dist_sweep_run(const dp_dist *d, dp_sweep *s, dp_sweep_pair_fn on_pair, void *ctx, dp_sweep_stats *stats,
                      dp_dist_times *times)
{
    job j = {.d = d, .s = s, .own = dp_sweep_count(s)};
    size_t size = (size_t)d->size;
    uint64_t own = j.own, *counts = alloc(d, size * sizeof *counts);
    j.first = alloc(d, (size + 1) * sizeof *j.first);
    if (MPI_Allgather(&own, 1, MPI_UINT64_T, counts, 1, MPI_UINT64_T, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allgather failed");
    j.first[0] = 0;
    for (size_t r = 0; r < size; r++)
        j.first[r + 1] = j.first[r] + counts[r];
    j.n = j.first[size];
    if (j.n >= UINT32_MAX)
        dp_dist_fail(d, "more than 2^32 - 2 documents");
    /* every document's reference flag: one byte each, the pairs' filter and the product's */
    int *rc_counts = alloc(d, 2 * size * sizeof *rc_counts), *displs = rc_counts + size;
    for (size_t r = 0; r < size; r++)
        rc_counts[r] = (int)counts[r], displs[r] = (int)j.first[r];
    j.is_ref = alloc(d, j.n);
    uint8_t *mine = alloc(d, j.own);
    for (size_t i = 0; i < j.own; i++)
        mine[i] = (uint8_t)dp_sweep_doc_at(s, i)->is_ref;
    if (MPI_Allgatherv(mine, (int)j.own, MPI_BYTE, j.is_ref, rc_counts, displs, MPI_BYTE, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allgatherv failed");
    free(mine), free(rc_counts), free(counts);

    double t0 = now();
    count_table table = {0};
    dp_fpindex *ix = fingerprint_counts(&j, &table);
    double t1 = now(), t_gemm;
    size_t n_pairs;
    uint32_t(*pairs)[2] = candidates(&j, ix, &n_pairs, &t_gemm);
    dp_fpindex_free(ix);
    double t2 = now();
    fetch(&j, pairs, n_pairs, &table);
    dp_sweep_set_counts(s, table.hash, table.count, table.n);
    double t3 = now();
    results res = {&j, {0}};
    dp_sweep_stats local;
    if (dp_sweep_run_pairs(s, (const uint32_t(*)[2])pairs, n_pairs, keep_result, NULL, &res, &local))
        dp_dist_fail(d, "aligning its pairs failed (out of memory or a temporary file unreadable)");
    free(pairs);
    double t4 = now();
    /* the ranks' alignment ends apart: the wait for the slowest is timed apart from the merge */
    if (MPI_Barrier(MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Barrier failed");
    double t_wait = now() - t4;
    uint8_t *all;
    size_t all_len;
    uint64_t compared, reported, before;
    dp_dist_scan(d, local.pairs_compared, &before, &compared);
    dp_dist_scan(d, local.pairs_reported, &before, &reported);
    j.sent += res.b.n;
    dp_dist_gather(d, res.b.p, res.b.n, &all, &all_len);
    free(res.b.p);
    int rc = 0;
    memset(stats, 0, sizeof *stats);
    stats->documents = j.n;
    stats->pairs_compared = compared;
    stats->pairs_reported = reported;
    if (MPI_Allreduce(local.score_bins, stats->score_bins, DP_SWEEP_SCORE_BINS, MPI_UINT64_T, MPI_SUM,
                      MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allreduce failed");
    if (d->rank == 0)
        rc = hand_on(d, all, all_len, on_pair, ctx);
    free(all);
    dp_bytes common = {0};
    send_common(&j, &common);
    j.sent += common.n;
    dp_dist_gather(d, common.p, common.n, &all, &all_len);
    free(common.p);
    if (d->rank == 0 && !rc)
        rc = hand_on_common(&j, all, all_len, &stats->common_passages);
    free(all);
    double t5 = now();
    double sent = (double)j.sent, total_sent = 0;
    if (MPI_Allreduce(&sent, &total_sent, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allreduce failed");
    *times = (dp_dist_times){dp_dist_max(d, t1 - t0), dp_dist_max(d, t_gemm), dp_dist_max(d, t2 - t1 - t_gemm),
                             dp_dist_max(d, t3 - t2), dp_dist_max(d, t4 - t3), dp_dist_max(d, t_wait),
                             dp_dist_max(d, t5 - t4 - t_wait), total_sent};
    stats->seconds_fingerprints = times->counts;
    stats->seconds_candidates = t2 - t1;
    stats->seconds_allpairs = times->gemm;
    if (times->gemm > 0) /* the job's product, as one process's (--timings' GFLOP/s) */
        stats->allpairs_flops = 2.0 * (double)j.n * (double)j.n * (double)dp_sweep_dim(s);
    stats->seconds_align = times->align;
    free(j.first), free(j.is_ref), free(j.fetched);
    return rc;
}
