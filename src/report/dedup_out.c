#include "report/dedup_out.h"

#include "core/jsonw.h"

static size_t dropped(const dp_dedup_clusters *c) { return c->offsets[c->n] - c->n; }

static void write_jsonl(FILE *f, const dp_dedup_clusters *c, const dp_dedup_report *r, dp_jsonw *j)
{
    dp_jsonw_init(j, f);
    for (size_t k = 0; k < c->n; k++) {
        const dp_dedup_member *m = c->members + c->offsets[k];
        size_t n = c->offsets[k + 1] - c->offsets[k];
        dp_jsonw_object_begin(j);
        dp_jsonw_key(j, "type"), dp_jsonw_cstring(j, "cluster");
        dp_jsonw_key(j, "cluster"), dp_jsonw_uint(j, k + 1);
        dp_jsonw_key(j, "keep"), dp_jsonw_cstring(j, r->ids[m[0].doc]);
        dp_jsonw_key(j, "drop"), dp_jsonw_array_begin(j);
        for (size_t i = 1; i < n; i++)
            dp_jsonw_cstring(j, r->ids[m[i].doc]);
        dp_jsonw_array_end(j);
        dp_jsonw_key(j, "members"), dp_jsonw_array_begin(j);
        for (size_t i = 0; i < n; i++) {
            dp_jsonw_object_begin(j);
            dp_jsonw_key(j, "id"), dp_jsonw_cstring(j, r->ids[m[i].doc]);
            dp_jsonw_key(j, "words"), dp_jsonw_uint(j, r->words[m[i].doc]);
            dp_jsonw_key(j, "similarity"), dp_jsonw_float(j, m[i].similarity);
            dp_jsonw_key(j, "action"), dp_jsonw_cstring(j, i ? "drop" : "keep");
            dp_jsonw_object_end(j);
        }
        dp_jsonw_array_end(j);
        dp_jsonw_object_end(j);
        dp_jsonw_newline(j);
    }
    dp_jsonw_object_begin(j);
    dp_jsonw_key(j, "type"), dp_jsonw_cstring(j, "summary");
    dp_jsonw_key(j, "mode"), dp_jsonw_cstring(j, "dedup");
    dp_jsonw_key(j, "documents"), dp_jsonw_uint(j, r->documents);
    dp_jsonw_key(j, "skipped"), dp_jsonw_uint(j, r->skipped);
    dp_jsonw_key(j, "clusters"), dp_jsonw_uint(j, c->n);
    dp_jsonw_key(j, "dropped"), dp_jsonw_uint(j, dropped(c));
    dp_jsonw_key(j, "threshold"), dp_jsonw_float(j, r->threshold);
    dp_jsonw_key(j, "keep_rule"), dp_jsonw_cstring(j, DP_DEDUP_KEEP_RULE);
    dp_jsonw_object_end(j);
    dp_jsonw_newline(j);
}

static void write_csv(FILE *f, const dp_dedup_clusters *c, const dp_dedup_report *r)
{
    fputs(DP_DEDUP_CSV_HEADER, f);
    for (size_t k = 0; k < c->n; k++)
        for (size_t i = c->offsets[k]; i < c->offsets[k + 1]; i++) {
            fprintf(f, "%zu,", k + 1);
            dp_csv_field(f, r->ids[c->members[i].doc]);
            fprintf(f, ",%s,%llu,%.4f\r\n", i == c->offsets[k] ? "keep" : "drop",
                    (unsigned long long)r->words[c->members[i].doc], (double)c->members[i].similarity);
        }
}

static void write_table(FILE *f, const dp_dedup_clusters *c, const dp_dedup_report *r)
{
    for (size_t k = 0; k < c->n; k++) {
        const dp_dedup_member *m = c->members + c->offsets[k];
        fprintf(f, "cluster %zu: keep %s (%llu words)\n", k + 1, r->ids[m[0].doc],
                (unsigned long long)r->words[m[0].doc]);
        for (size_t i = 1; i < c->offsets[k + 1] - c->offsets[k]; i++)
            fprintf(f, "  drop %s (%llu words, similarity %.2f)\n", r->ids[m[i].doc],
                    (unsigned long long)r->words[m[i].doc], (double)m[i].similarity);
    }
    fprintf(f, "%zu documents, %zu skipped: %zu clusters of near-duplicates (similarity >= %.2f), %zu to drop; "
               "kept: %s\n",
            r->documents, r->skipped, c->n, (double)r->threshold, dropped(c), DP_DEDUP_KEEP_RULE);
}

int dp_dedup_write(FILE *f, dp_report_format fmt, const dp_dedup_clusters *c, const dp_dedup_report *r)
{
    dp_jsonw j;
    switch (fmt) {
    case DP_REPORT_JSONL:
        write_jsonl(f, c, r, &j);
        if (!dp_jsonw_ok(&j))
            return DOPPEL_ERR_IO;
        break;
    case DP_REPORT_CSV: write_csv(f, c, r); break;
    case DP_REPORT_TABLE: write_table(f, c, r); break;
    default: return DOPPEL_ERR_INVALID;
    }
    return ferror(f) ? DOPPEL_ERR_IO : DOPPEL_OK;
}
