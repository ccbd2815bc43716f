#include "sweep/idset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doppel.h"

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The slot holding id, or the free slot where it would go (cap > 0, never full). */
static size_t slot(const dp_idset *s, const char *id)
{
    size_t i = (size_t)hash(id) & (s->cap - 1);
    while (s->keys[i] && strcmp(s->keys[i], id) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

/* Doubles the table (kept at most half full). */
static int rehash(dp_idset *s)
{
    dp_idset t = {0};
    t.cap = s->cap ? 2 * s->cap : 64;
    t.keys = calloc(t.cap, sizeof *t.keys);
    t.where = calloc(t.cap, sizeof *t.where);
    if (!t.keys || !t.where) {
        free(t.keys), free(t.where);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < s->cap; i++)
        if (s->keys[i]) {
            size_t j = slot(&t, s->keys[i]);
            t.keys[j] = s->keys[i], t.where[j] = s->where[i];
        }
    free(s->keys), free(s->where);
    t.n = s->n;
    *s = t;
    return DOPPEL_OK;
}

int dp_idset_add(dp_idset *s, const char *id, const char *where, const char **first)
{
    *first = NULL;
    if (2 * (s->n + 1) > s->cap && rehash(s))
        return DOPPEL_ERR_NOMEM;
    size_t i = slot(s, id);
    if (s->keys[i]) {
        *first = s->where[i];
        return DOPPEL_OK;
    }
    char *k = strdup(id), *w = strdup(where);
    if (!k || !w) {
        free(k), free(w);
        return DOPPEL_ERR_NOMEM;
    }
    s->keys[i] = k, s->where[i] = w;
    s->n++;
    return DOPPEL_OK;
}

const char *dp_idset_find(const dp_idset *s, const char *id)
{
    if (!s->cap)
        return NULL;
    size_t i = slot(s, id);
    return s->keys[i] ? s->where[i] : NULL;
}

void dp_idset_free(dp_idset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->keys[i]), free(s->where[i]);
    free(s->keys), free(s->where);
    memset(s, 0, sizeof *s);
}
