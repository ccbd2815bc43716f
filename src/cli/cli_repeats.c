#include "cli/cli_repeats.h"

#include <stdlib.h>
#include <string.h>

#include "core/grow.h"

int cli_repeats_note(cli_repeats *r, const dp_corpus_item *it, int is_ref, size_t num)
{
    if (dp_grow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v))
        return DOPPEL_ERR_NOMEM;
    size_t n = strlen(it->id);
    cli_read_id *e = &r->v[r->n];
    e->key = malloc(n + 2);
    e->where = strdup(it->where ? it->where : it->id);
    if (!e->key || !e->where) {
        free(e->key), free(e->where);
        return DOPPEL_ERR_NOMEM;
    }
    e->key[0] = is_ref ? '1' : '0'; /* documents and references are two corpora, each its ids */
    memcpy(e->key + 1, it->id, n + 1);
    e->num = num;
    r->n++;
    return DOPPEL_OK;
}

int cli_repeats_resolve(cli_repeats *r, const dp_dist *d,
                        int (*drop)(void *ctx, size_t num, const char *id, const char *where, const char *reason), void *ctx)
{
    size_t n = r->n;
    const char **keys = calloc(n ? n : 1, sizeof *keys), **where = calloc(n ? n : 1, sizeof *where);
    uint64_t *order = calloc(n ? n : 1, sizeof *order);
    char **first = calloc(n ? n : 1, sizeof *first);
    if (!keys || !where || !order || !first)
        dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < n; i++)
        keys[i] = r->v[i].key, where[i] = r->v[i].where, order[i] = ((uint64_t)d->rank << 40) + i;
    dp_dist_repeats(d, keys, where, order, n, first);
    int rc = 0;
    for (size_t i = n; i-- > 0;) {
        if (!first[i])
            continue;
        if (!rc) {
            const char *id = r->v[i].key + 1;
            size_t len = strlen(id) + strlen(first[i]) + 64;
            char *reason = malloc(len);
            if (!reason)
                dp_dist_fail(d, "out of memory");
            dp_corpus_duplicate_reason(reason, len, id, first[i]);
            rc = drop(ctx, r->v[i].num, id, r->v[i].where, reason);
            free(reason);
        }
        free(first[i]);
    }
    free(keys), free(where), free(order), free(first);
    return rc;
}

void cli_repeats_free(cli_repeats *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].key), free(r->v[i].where);
    free(r->v);
    memset(r, 0, sizeof *r);
}
