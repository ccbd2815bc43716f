/* sweep --mpi: the ids, records and texts of other ranks' documents for rank 0's report
 * (cli_dist_docs.h). Built with or without MPI (dist.h's steps). */
#include "cli/cli_dist_docs.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"

void cli_doc_text_free(cli_doc_text *t)
{
    for (size_t k = 0; k < t->n_parts; k++)
        free(t->parts[k].path);
    free(t->bytes), free(t->parts), free(t->excluded), free(t->why);
    memset(t, 0, sizeof *t);
}

static void *grow_to(const dp_dist *d, void *p, size_t n, size_t el)
{
    void *q = realloc(p, (n ? n : 1) * el);
    if (!q)
        dp_dist_fail(d, "out of memory");
    return q;
}

/* Step 1's message: per document [id][u8 extracted][u64 n_segs][dp_textseg x n_segs]. */
void cli_dist_docs_gather(const dp_dist *d, char ***ids, cli_doc_text **texts, size_t *n, size_t *cap,
                          cli_extract *x)
{
    dp_bytes b = {0};
    for (size_t i = 0; d->rank != 0 && i < *n; i++) {
        const dp_docsrc *r = cli_extract_record(x, i);
        uint8_t extracted = r && r->extracted;
        uint64_t n_segs = r && r->segs ? r->n_segs : 0;
        dp_bytes_put_str(d, &b, (*ids)[i]);
        dp_bytes_put(d, &b, &extracted, 1);
        dp_bytes_put(d, &b, &n_segs, sizeof n_segs);
        dp_bytes_put(d, &b, n_segs ? r->segs : NULL, n_segs * sizeof *r->segs);
    }
    uint8_t *all;
    size_t len;
    dp_dist_gather(d, b.p, b.n, &all, &len);
    free(b.p);
    dp_bytes_reader rd = {all, all + len};
    while (d->rank == 0 && rd.p < rd.end) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            *ids = grow_to(d, *ids, *cap, sizeof **ids);
            if (*texts)
                *texts = grow_to(d, *texts, *cap, sizeof **texts);
        }
        size_t num = (*n)++;
        (*ids)[num] = dp_bytes_get_str(d, &rd);
        if (*texts)
            (*texts)[num] = (cli_doc_text){.remote = true};
        uint8_t extracted;
        uint64_t n_segs;
        dp_bytes_get(d, &rd, &extracted, 1);
        dp_bytes_get(d, &rd, &n_segs, sizeof n_segs);
        dp_textseg *segs = n_segs ? dp_bytes_get_array(d, &rd, n_segs, sizeof *segs) : NULL;
        if ((extracted || segs) && cli_extract_put(x, num, extracted, segs, n_segs))
            dp_dist_fail(d, "out of memory");
    }
    free(all);
}

/* One document's part of step 2's answer: [u32 num][u8 has text][u64 len][bytes] or
 * [why], [u32 n_parts][path, u64 start, u64 len each], [u64 n_excluded][u64 x 2n]. */
static void put_text(const dp_dist *d, dp_bytes *b, uint32_t num, const char *id, doppel_text_fn text,
                     int (*marks)(void *, const char *, doppel_marks *), void *ctx)
{
    char *bytes = NULL;
    size_t len = 0;
    const char *why = NULL;
    int rc = text(ctx, id, &bytes, &len, &why);
    uint8_t ok = rc == DOPPEL_OK;
    dp_bytes_put(d, b, &num, sizeof num);
    dp_bytes_put(d, b, &ok, 1);
    if (ok) {
        uint64_t n = len;
        dp_bytes_put(d, b, &n, sizeof n);
        dp_bytes_put(d, b, bytes, len);
    } else {
        dp_bytes_put_str(d, b, why ? why : doppel_strerror(rc));
    }
    free(bytes);
    doppel_marks m = {0};
    if (marks(ctx, id, &m))
        dp_dist_fail(d, "out of memory");
    uint32_t np = (uint32_t)m.n_parts;
    dp_bytes_put(d, b, &np, sizeof np);
    for (size_t k = 0; k < m.n_parts; k++) {
        dp_bytes_put_str(d, b, m.parts[k].path);
        dp_bytes_put(d, b, &m.parts[k].start, sizeof m.parts[k].start);
        dp_bytes_put(d, b, &m.parts[k].len, sizeof m.parts[k].len);
    }
    uint64_t ne = m.n_excluded;
    dp_bytes_put(d, b, &ne, sizeof ne);
    dp_bytes_put(d, b, m.excluded, 2 * ne * sizeof *m.excluded);
}

static void get_text(const dp_dist *d, dp_bytes_reader *r, cli_doc_text *texts, size_t n_all)
{
    uint32_t num;
    uint8_t ok;
    dp_bytes_get(d, r, &num, sizeof num);
    if (num >= n_all)
        dp_dist_fail(d, "a text of a document the job does not have");
    cli_doc_text *t = &texts[num];
    cli_doc_text_free(t);
    t->remote = true;
    dp_bytes_get(d, r, &ok, 1);
    if (ok) {
        uint64_t len;
        dp_bytes_get(d, r, &len, sizeof len);
        t->bytes = dp_bytes_get_array(d, r, len, 1);
        t->len = len;
    } else {
        t->why = dp_bytes_get_str(d, r);
    }
    uint32_t np;
    dp_bytes_get(d, r, &np, sizeof np);
    t->parts = np ? calloc(np, sizeof *t->parts) : NULL;
    if (np && !t->parts)
        dp_dist_fail(d, "out of memory");
    for (t->n_parts = 0; t->n_parts < np; t->n_parts++) {
        dp_doc_part *p = &t->parts[t->n_parts];
        p->path = dp_bytes_get_str(d, r);
        dp_bytes_get(d, r, &p->start, sizeof p->start);
        dp_bytes_get(d, r, &p->len, sizeof p->len);
    }
    uint64_t ne;
    dp_bytes_get(d, r, &ne, sizeof ne);
    if (ne > SIZE_MAX / 2)
        dp_dist_fail(d, "a message from another rank is shorter than it says");
    t->excluded = ne ? dp_bytes_get_array(d, r, 2 * ne, sizeof *t->excluded) : NULL;
    t->n_excluded = ne;
}

void cli_dist_docs_texts(const dp_dist *d, const uint8_t *want, size_t n_all, uint64_t first, size_t n_own,
                         char *const *ids, doppel_text_fn text,
                         int (*marks)(void *ctx, const char *id, doppel_marks *out), void *ctx,
                         cli_doc_text *texts)
{
    /* rank 0 names the documents it wants that others hold */
    dp_bytes asked = {0};
    for (size_t i = n_own; d->rank == 0 && i < n_all; i++)
        if (want[i]) {
            uint32_t num = (uint32_t)i;
            dp_bytes_put(d, &asked, &num, sizeof num);
        }
    uint8_t *all;
    size_t *from = calloc((size_t)d->size, sizeof *from);
    if (!from)
        dp_dist_fail(d, "out of memory");
    dp_dist_allgather(d, asked.p, asked.n, &all, from);
    free(asked.p);
    size_t n_asked = from[0] / sizeof(uint32_t);
    free(from);
    dp_bytes b = {0};
    for (size_t i = 0; d->rank != 0 && i < n_asked; i++) {
        uint32_t num;
        memcpy(&num, all + i * sizeof num, sizeof num);
        if (num >= first && num - first < n_own)
            put_text(d, &b, num, ids[num - first], text, marks, ctx);
    }
    free(all);
    size_t len;
    dp_dist_gather(d, b.p, b.n, &all, &len);
    free(b.p);
    dp_bytes_reader rd = {all, all + len};
    while (d->rank == 0 && rd.p < rd.end)
        get_text(d, &rd, texts, n_all);
    free(all);
}
