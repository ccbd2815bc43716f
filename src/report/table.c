/*
 * The human-readable report for a terminal: pairs sorted by score in aligned
 * columns, then common passages (shared by more than --max-docs documents, so no pair's
 * evidence), clusters, skipped documents and a one-line summary.
 */
#include <stdlib.h>
#include <string.h>

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

static int tb_end(dp_writer *base, const dp_summary *s)
{
    table_writer *w = (table_writer *)base;
    FILE *f = base->out;
    dp_collect *c = &w->c;
    dp_collect_sort(c);
    int wa = (int)strlen("document a"), wb = wa;
    for (size_t i = 0; i < c->n_pairs; i++) {
        int na = (int)strlen(c->pairs[i].a), nb = (int)strlen(c->pairs[i].b);
        wa = na > wa ? na : wa;
        wb = nb > wb ? nb : wb;
    }
    if (c->n_pairs) {
        fprintf(f, "%-*s  %-*s  %5s  %8s  %5s  %5s\n", wa, "document a", wb, "document b", "score",
                "passages", "cov a", "cov b");
        for (size_t i = 0; i < c->n_pairs; i++) {
            const dp_collected_pair *p = &c->pairs[i];
            fprintf(f, "%-*s  %-*s  %5.3f  %8zu  %4.0f%%  %4.0f%%\n", wa, p->a, wb, p->b,
                    (double)p->score, p->n_passages, 100.0 * (double)p->a_coverage,
                    100.0 * (double)p->b_coverage);
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
    fprintf(f, "\n%zu documents, %zu skipped, %zu pairs compared, %zu reported, %zu common passages in %.2f s\n",
            s->documents, s->skipped, s->pairs_compared, s->pairs_reported, s->common, s->seconds);
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
