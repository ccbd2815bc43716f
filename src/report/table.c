/*
 * The human-readable report for a terminal: pairs sorted by score in aligned
 * columns, then common passages (shared by more than --max-docs documents, so no pair's
 * evidence), clusters, skipped documents and a one-line summary.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "report/collect.h"
#include "report/writer.h"

typedef struct {
    dp_writer base;
    dp_collect c;
} table_writer;

static int tb_begin(dp_writer *w) { return DOPPEL_OK; }

static int tb_pair(dp_writer *w, const dp_pair_result *r)
{
    return dp_collect_pair(&((table_writer *)w)->c, r);
}

static int tb_skipped(dp_writer *w, const dp_skipped *s)
{
    return dp_collect_skipped(&((table_writer *)w)->c, s);
}

static int tb_common(dp_writer *w, const dp_common_passage *p)
{
    return dp_collect_common(&((table_writer *)w)->c, p);
}

static int tb_cluster(dp_writer *w, const char *const *members, size_t n)
{
    return dp_collect_cluster(&((table_writer *)w)->c, members, n);
}

/* Columns a string takes on a terminal (wide CJK letters 2, combining marks 0); an
 * invalid byte counts as one column, as the replacement character shown for it. */
static int columns_of(const char *s, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            n = 1, cp = 0xFFFD;
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? cw : 0;
        i += (size_t)n;
    }
    return w;
}

/* Prints s in exactly `width` columns: padded, or its end kept after an ellipsis (the end
 * of a path is what tells documents apart). */
static void put_cell(FILE *f, const char *s, int width)
{
    size_t len = strlen(s);
    int w = columns_of(s, len);
    if (w > width) {
        fputs("\u2026", f);
        while (len > 0 && w > width - 1) { /* drop characters from the front */
            utf8proc_int32_t cp;
            utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
            if (n <= 0)
                n = 1, cp = 0xFFFD;
            int cw = utf8proc_charwidth(cp);
            w -= cw > 0 ? cw : 0;
            s += n, len -= (size_t)n;
        }
        w += 1;
    }
    fputs(s, f);
    for (; w < width; w++)
        fputc(' ', f);
}

/* The longest directory prefix ("dir/") every pair's two ids share: shown once above
 * the table instead of on every row. */
static size_t common_dir(const dp_collect *c)
{
    if (!c->n_pairs)
        return 0;
    const char *first = c->pairs[0].a;
    size_t n = strlen(first);
    for (size_t i = 0; i < c->n_pairs && n; i++)
        for (int side = 0; side < 2; side++) {
            const char *id = side ? c->pairs[i].b : c->pairs[i].a;
            size_t k = 0;
            while (k < n && id[k] == first[k])
                k++;
            n = k;
        }
    while (n > 0 && first[n - 1] != '/')
        n--;
    return n;
}

/* "2 verbatim 1 edited": how many passages of each kind. */
static void kinds_of(const dp_owned_pair *p, char *buf, size_t cap)
{
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < p->n_passages; i++)
        count[(unsigned)p->passages[i].kind < 3 ? p->passages[i].kind : 2]++;
    size_t at = 0;
    buf[0] = '\0';
    for (int k = 0; k < 3; k++)
        if (count[k] && at < cap)
            at += (size_t)snprintf(buf + at, cap - at, "%s%zu %s", at ? " " : "", count[k], dp_passage_kind_name(k));
    if (!p->n_passages)
        snprintf(buf, cap, "none");
}

static int tb_end(dp_writer *base, const dp_summary *s)
{
    table_writer *w = (table_writer *)base;
    FILE *f = base->out;
    dp_collect *c = &w->c;
    dp_collect_sort(c);
    size_t cut = common_dir(c);
    char kinds[96];
    const char *ha = "document a", *hb = "document b", *hp = "passages";
    int wa = columns_of(ha, strlen(ha)), wb = wa, wp = (int)strlen(hp);
    for (size_t i = 0; i < c->n_pairs; i++) {
        const dp_owned_pair *p = &c->pairs[i];
        int na = columns_of(p->a + cut, strlen(p->a + cut)), nb = columns_of(p->b + cut, strlen(p->b + cut));
        kinds_of(p, kinds, sizeof kinds);
        int np = (int)strlen(kinds);
        wa = na > wa ? na : wa;
        wb = nb > wb ? nb : wb;
        wp = np > wp ? np : wp;
    }
    /* fit the terminal: the name columns give way, the longer first, down to 12 */
    int fixed = 2 + 2 + 5 + 2 + 5 + 2 + 5 + 2 + wp, room = (base->opts.columns > 0 ? base->opts.columns : 80) - fixed;
    while (wa + wb > room && (wa > 12 || wb > 12)) {
        if (wa >= wb && wa > 12)
            wa--;
        else
            wb--;
    }
    if (c->n_pairs) {
        if (cut)
            fprintf(f, "in %.*s\n", (int)cut, c->pairs[0].a);
        put_cell(f, ha, wa), fputs("  ", f), put_cell(f, hb, wb);
        fprintf(f, "  score  cov a  cov b  %s\n", hp);
        for (size_t i = 0; i < c->n_pairs; i++) {
            const dp_owned_pair *p = &c->pairs[i];
            kinds_of(p, kinds, sizeof kinds);
            put_cell(f, p->a + cut, wa), fputs("  ", f), put_cell(f, p->b + cut, wb);
            fprintf(f, "  %5.3f  %4.0f%%  %4.0f%%  %s\n", (double)p->score, 100.0 * (double)p->a_coverage,
                    100.0 * (double)p->b_coverage, kinds);
        }
    } else {
        fprintf(f, "no similar pairs among %zu documents (%zu pairs compared)\n", s->documents, s->pairs_compared);
    }
    for (size_t i = 0; i < c->n_common; i++) {
        const dp_collected_common *k = &c->common[i];
        if (i == 0)
            fputs("\ncommon passages (in more than --max-docs documents: not evidence of any pair):\n", f);
        fprintf(f, "passage %zu, shared by %zu documents:\n", i + 1, k->n);
        for (size_t j = 0; j < k->n; j++)
            fprintf(f, "  %s [%llu,%llu)\n", k->members[j].id, (unsigned long long)k->members[j].start,
                    (unsigned long long)k->members[j].end);
    }
    for (size_t i = 0; i < c->n_clusters; i++) {
        fprintf(f, "%scluster %zu:", i ? "" : "\n", i + 1);
        for (size_t j = 0; j < c->clusters[i].n; j++)
            fprintf(f, "%s %s", j ? "," : "", c->clusters[i].members[j]);
        fputc('\n', f);
    }
    for (size_t i = 0; i < c->n_skipped; i++)
        fprintf(f, "%sskipped %s: %s\n", i ? "" : "\n", c->skipped[i].id, c->skipped[i].reason);
    fprintf(f, "\n%zu documents, %zu skipped, %zu pairs compared, %zu reported", s->documents, s->skipped,
            s->pairs_compared, s->pairs_reported);
    if (s->common) /* (said only when there are some: the line fits 80 columns) */
        fprintf(f, ", %zu common passages", s->common);
    fprintf(f, " in %.2f s\n", s->seconds);
    return dp_writer_io_status(base);
}

static void tb_destroy(dp_writer *base)
{
    dp_collect_free(&((table_writer *)base)->c);
    free(base);
}

static const dp_writer_ops table_ops = {tb_begin, tb_pair, tb_skipped, tb_cluster, tb_end,
                                        tb_destroy, tb_common};

int dp_writer_table_create(dp_writer **out)
{
    table_writer *w = calloc(1, sizeof *w);
    if (!w)
        return DOPPEL_ERR_NOMEM;
    w->base.ops = &table_ops;
    *out = &w->base;
    return DOPPEL_OK;
}
