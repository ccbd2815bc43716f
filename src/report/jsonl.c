/*
 * JSON Lines report: one object per line, each with a "type" ("pair", "skipped",
 * "common", "cluster", and last "summary"), written as results arrive.
 */
#include <stdlib.h>

#include "core/jsonw.h"
#include "report/writer.h"

typedef struct {
    dp_writer base;
    dp_jsonw j;
} jsonl_writer;

static int status(jsonl_writer *w)
{
    if (ferror(w->base.out))
        return DOPPEL_ERR_IO;
    return dp_jsonw_ok(&w->j) ? DOPPEL_OK : DOPPEL_ERR_INVALID;
}

/* Opens a record: '{"type":TYPE'. Returns the JSON writer for its other members. */
static dp_jsonw *record_begin(dp_writer *base, const char *type)
{
    dp_jsonw *j = &((jsonl_writer *)base)->j;
    dp_jsonw_object_begin(j);
    dp_jsonw_key(j, "type"), dp_jsonw_cstring(j, type);
    return j;
}

/* Closes the record and its line; the writer's status. */
static int record_end(dp_writer *base)
{
    jsonl_writer *w = (jsonl_writer *)base;
    dp_jsonw_object_end(&w->j);
    dp_jsonw_newline(&w->j);
    return status(w);
}

static int jl_begin(dp_writer *base)
{
    jsonl_writer *w = (jsonl_writer *)base;
    dp_jsonw_init(&w->j, base->out);
    return DOPPEL_OK;
}

static int jl_pair(dp_writer *base, const dp_pair_result *r)
{
    dp_jsonw *j = record_begin(base, "pair");
    dp_jsonw_key(j, "a"), dp_jsonw_cstring(j, r->a);
    dp_jsonw_key(j, "b"), dp_jsonw_cstring(j, r->b);
    dp_jsonw_key(j, "score"), dp_jsonw_float(j, r->score);
    dp_jsonw_key(j, "a_coverage"), dp_jsonw_float(j, r->a_coverage);
    dp_jsonw_key(j, "b_coverage"), dp_jsonw_float(j, r->b_coverage);
    /* (schema 2) how offsets read, when not as bytes of the file */
    const char *oa = base->opts.offsets ? base->opts.offsets(base->opts.text_ctx, r->a) : NULL;
    const char *ob = base->opts.offsets ? base->opts.offsets(base->opts.text_ctx, r->b) : NULL;
    if (oa)
        dp_jsonw_key(j, "a_offsets"), dp_jsonw_cstring(j, oa);
    if (ob)
        dp_jsonw_key(j, "b_offsets"), dp_jsonw_cstring(j, ob);
    dp_jsonw_key(j, "passages");
    dp_jsonw_array_begin(j);
    for (size_t i = 0; i < r->n_passages; i++) {
        const dp_passage *p = &r->passages[i];
        dp_jsonw_object_begin(j);
        dp_jsonw_key(j, "a_start"), dp_jsonw_uint(j, p->a_start);
        dp_jsonw_key(j, "a_end"), dp_jsonw_uint(j, p->a_end);
        dp_jsonw_key(j, "b_start"), dp_jsonw_uint(j, p->b_start);
        dp_jsonw_key(j, "b_end"), dp_jsonw_uint(j, p->b_end);
        dp_jsonw_key(j, "score"), dp_jsonw_float(j, p->score);
        dp_jsonw_key(j, "kind"), dp_jsonw_cstring(j, dp_passage_kind_name(p->kind));
        dp_jsonw_object_end(j);
    }
    dp_jsonw_array_end(j);
    return record_end(base);
}

static int jl_skipped(dp_writer *base, const dp_skipped *s)
{
    dp_jsonw *j = record_begin(base, "skipped");
    dp_jsonw_key(j, "id"), dp_jsonw_cstring(j, s->id);
    dp_jsonw_key(j, "reason"), dp_jsonw_cstring(j, s->reason);
    return record_end(base);
}

static int jl_common(dp_writer *base, const dp_common_passage *c)
{
    dp_jsonw *j = record_begin(base, "common");
    dp_jsonw_key(j, "documents"), dp_jsonw_uint(j, c->n_members);
    dp_jsonw_key(j, "members");
    dp_jsonw_array_begin(j);
    for (size_t i = 0; i < c->n_members; i++) {
        dp_jsonw_object_begin(j);
        dp_jsonw_key(j, "id"), dp_jsonw_cstring(j, c->members[i].id);
        dp_jsonw_key(j, "start"), dp_jsonw_uint(j, c->members[i].start);
        dp_jsonw_key(j, "end"), dp_jsonw_uint(j, c->members[i].end);
        const char *how = base->opts.offsets ? base->opts.offsets(base->opts.text_ctx, c->members[i].id) : NULL;
        if (how)
            dp_jsonw_key(j, "offsets"), dp_jsonw_cstring(j, how);
        dp_jsonw_object_end(j);
    }
    dp_jsonw_array_end(j);
    return record_end(base);
}

static int jl_cluster(dp_writer *base, const char *const *members, size_t n)
{
    dp_jsonw *j = record_begin(base, "cluster");
    dp_jsonw_key(j, "members");
    dp_jsonw_array_begin(j);
    for (size_t i = 0; i < n; i++)
        dp_jsonw_cstring(j, members[i]);
    dp_jsonw_array_end(j);
    return record_end(base);
}

static int jl_end(dp_writer *base, const dp_summary *s)
{
    dp_jsonw *j = record_begin(base, "summary");
    dp_jsonw_key(j, "documents"), dp_jsonw_uint(j, s->documents);
    dp_jsonw_key(j, "skipped"), dp_jsonw_uint(j, s->skipped);
    dp_jsonw_key(j, "pairs_compared"), dp_jsonw_uint(j, s->pairs_compared);
    dp_jsonw_key(j, "pairs_reported"), dp_jsonw_uint(j, s->pairs_reported);
    dp_jsonw_key(j, "common_passages"), dp_jsonw_uint(j, s->common);
    dp_jsonw_key(j, "seconds"), dp_jsonw_double(j, s->seconds);
    dp_jsonw_key(j, "schema_version"), dp_jsonw_int(j, DP_REPORT_SCHEMA_VERSION);
    return record_end(base);
}

static void jl_destroy(dp_writer *base) { free(base); }

static const dp_writer_ops jsonl_ops = {jl_begin, jl_pair, jl_skipped, jl_cluster, jl_end,
                                        jl_destroy, jl_common};

int dp_writer_jsonl_create(dp_writer **out)
{
    jsonl_writer *w = calloc(1, sizeof *w);
    if (!w)
        return DOPPEL_ERR_NOMEM;
    w->base.ops = &jsonl_ops;
    *out = &w->base;
    return DOPPEL_OK;
}
