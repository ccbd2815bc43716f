/*
 * CSV report (RFC 4180): header a,b,score,passages,a_coverage,b_coverage and one
 * row per pair, CRLF line ends; rows in the order of the table and the HTML report
 * (score, highest first; ties by names), so they are written at the end. Skipped documents, common passages and clusters have
 * no row shape; they go to opts.aside as text lines when it is set.
 */
#include <stdlib.h>
#include <string.h>

#include "report/collect.h"
#include "report/writer.h"

typedef struct {
    dp_writer base;
    dp_collect c;
} csv_writer;

void dp_csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int csv_begin(dp_writer *w)
{
    fputs(DP_REPORT_CSV_HEADER, w->out);
    return dp_writer_io_status(w);
}

static int csv_pair(dp_writer *w, const dp_pair_result *r)
{
    return dp_collect_pair(&((csv_writer *)w)->c, r);
}

static int csv_skipped(dp_writer *w, const dp_skipped *s)
{
    if (w->opts.aside)
        fprintf(w->opts.aside, "skipped: %s: %s\n", s->id, s->reason);
    return DOPPEL_OK;
}

static int csv_common(dp_writer *w, const dp_common_passage *c)
{
    if (!w->opts.aside)
        return DOPPEL_OK;
    fprintf(w->opts.aside, "common: shared by %zu documents:", c->n_members);
    for (size_t i = 0; i < c->n_members; i++)
        fprintf(w->opts.aside, "%s %s [%llu,%llu)", i ? "," : "", c->members[i].id,
                (unsigned long long)c->members[i].start, (unsigned long long)c->members[i].end);
    fputc('\n', w->opts.aside);
    return DOPPEL_OK;
}

static int csv_cluster(dp_writer *w, const char *const *members, size_t n)
{
    if (!w->opts.aside)
        return DOPPEL_OK;
    fputs("cluster:", w->opts.aside);
    for (size_t i = 0; i < n; i++)
        fprintf(w->opts.aside, "%s %s", i ? "," : "", members[i]);
    fputc('\n', w->opts.aside);
    return DOPPEL_OK;
}

static int csv_end(dp_writer *w, const dp_summary *s)
{
    dp_collect *c = &((csv_writer *)w)->c;
    dp_collect_sort(c);
    for (size_t i = 0; i < c->n_pairs; i++) {
        const dp_owned_pair *p = &c->pairs[i];
        dp_csv_field(w->out, p->a);
        fputc(',', w->out);
        dp_csv_field(w->out, p->b);
        fprintf(w->out, ",%.4f,%zu,%.4f,%.4f\r\n", (double)p->score, p->n_passages, (double)p->a_coverage,
                (double)p->b_coverage);
    }
    if (w->opts.aside)
        fprintf(w->opts.aside,
                "summary: %zu documents, %zu skipped, %zu pairs compared, %zu reported, %zu common passages, "
                "%.2f s\n",
                s->documents, s->skipped, s->pairs_compared, s->pairs_reported, s->common, s->seconds);
    return dp_writer_io_status(w);
}

static void csv_destroy(dp_writer *w)
{
    dp_collect_free(&((csv_writer *)w)->c);
    free(w);
}

static const dp_writer_ops csv_ops = {csv_begin, csv_pair, csv_skipped, csv_cluster, csv_end,
                                      csv_destroy, csv_common};

int dp_writer_csv_create(dp_writer **out)
{
    csv_writer *w = calloc(1, sizeof *w);
    if (!w)
        return DOPPEL_ERR_NOMEM;
    w->base.ops = &csv_ops;
    *out = &w->base;
    return DOPPEL_OK;
}
