/* The public face of corpus reading (<doppel_io.h>) over dp_corpus. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/readfile.h"
#include "core/sized.h"
#include "doppel_io.h"
#include "sweep/corpus.h"

struct doppel_corpus {
    dp_corpus *c;
    dp_corpus_item item;
    doppel_corpus_entry entry;
};

#define NULL_ARG(diag, name) dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", name)

void doppel_corpus_opts_default(doppel_corpus_opts *o)
{
    *o = (doppel_corpus_opts){.size = sizeof *o, .max_bytes = DP_CORPUS_DEFAULT_MAX_BYTES};
}

int doppel_corpus_create(doppel_corpus **out, const doppel_corpus_opts *opts, doppel_diag *diag)
{
    if (!out)
        return NULL_ARG(diag, "out");
    *out = NULL;
    doppel_corpus_opts o;
    doppel_corpus_opts_default(&o);
    int rc = opts ? dp_sized_read(&o, sizeof o, opts, opts->size, offsetof(doppel_corpus_opts, max_bytes),
                                  "doppel_corpus_opts_default", diag)
                  : DOPPEL_OK;
    if (rc)
        return rc;
    if (o.max_bytes == 0 || o.max_bytes > SIZE_MAX / 2)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "max_bytes %llu: must be 1..%zu",
                           (unsigned long long)o.max_bytes, SIZE_MAX / 2);
    doppel_corpus *pc = calloc(1, sizeof *pc);
    if (!pc)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    rc = dp_corpus_create(&pc->c, &(dp_corpus_opts){.max_bytes = (size_t)o.max_bytes, .by_dir = o.by_dir != 0});
    if (rc) {
        free(pc);
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    }
    *out = pc;
    return DOPPEL_OK;
}

void doppel_corpus_free(doppel_corpus *c)
{
    if (!c)
        return;
    dp_corpus_item_clear(&c->item);
    dp_corpus_free(c->c);
    free(c);
}

int doppel_corpus_add_path(doppel_corpus *c, const char *path, doppel_diag *diag)
{
    if (!c || !path)
        return NULL_ARG(diag, !c ? "corpus" : "path");
    return dp_corpus_add_path(c->c, path, diag);
}

int doppel_corpus_add_list(doppel_corpus *c, const char *list_path, doppel_diag *diag)
{
    if (!c || !list_path)
        return NULL_ARG(diag, !c ? "corpus" : "list_path");
    return dp_corpus_add_list(c->c, list_path, diag);
}

int doppel_corpus_add_jsonl(doppel_corpus *c, const char *jsonl_path, doppel_diag *diag)
{
    if (!c || !jsonl_path)
        return NULL_ARG(diag, !c ? "corpus" : "jsonl_path");
    return dp_corpus_add_jsonl(c->c, jsonl_path, diag);
}

int doppel_corpus_next(doppel_corpus *c, const doppel_corpus_entry **entry, doppel_diag *diag)
{
    if (!c || !entry)
        return NULL_ARG(diag, !c ? "corpus" : "entry");
    *entry = NULL;
    int rc = dp_corpus_next(c->c, &c->item, diag);
    if (rc || c->item.kind == DP_CORPUS_END)
        return rc;
    const dp_corpus_item *it = &c->item;
    c->entry = (doppel_corpus_entry){
        .id = it->id,
        .bytes = it->kind == DP_CORPUS_DOC ? it->bytes : NULL,
        .len = it->kind == DP_CORPUS_DOC ? it->len : 0,
        .reason = it->kind == DP_CORPUS_SKIPPED ? it->reason : NULL,
        .in_submission = it->in_submission,
    };
    *entry = &c->entry;
    return DOPPEL_OK;
}

const char *doppel_sniff(const char *bytes, size_t len) { return dp_corpus_sniff(bytes, len); }

int doppel_read_file(const char *path, uint64_t max_bytes, char **bytes, size_t *len, doppel_diag *diag)
{
    if (!path || !bytes || !len)
        return NULL_ARG(diag, !path ? "path" : !bytes ? "bytes" : "len");
    if (max_bytes == 0 || max_bytes > SIZE_MAX / 2)
        max_bytes = max_bytes ? SIZE_MAX / 2 : DP_CORPUS_DEFAULT_MAX_BYTES;
    return dp_read_file(path, (size_t)max_bytes, bytes, len, diag);
}
