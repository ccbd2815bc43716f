#include "core/grow.h"
#include "report/collect.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"

int dp_collect_pair(dp_collect *c, const dp_pair_result *r)
{
    if (dp_grow((void **)&c->pairs, &c->cap_pairs, c->n_pairs + 1, sizeof *c->pairs) ||
        dp_pair_copy(&c->pairs[c->n_pairs], r))
        return DOPPEL_ERR_NOMEM;
    c->n_pairs++;
    return DOPPEL_OK;
}

int dp_collect_skipped(dp_collect *c, const dp_skipped *s)
{
    if (dp_grow((void **)&c->skipped, &c->cap_skipped, c->n_skipped + 1, sizeof *c->skipped))
        return DOPPEL_ERR_NOMEM;
    dp_collected_skipped k = {strdup(s->id), strdup(s->reason)};
    if (!k.id || !k.reason) {
        free(k.id), free(k.reason);
        return DOPPEL_ERR_NOMEM;
    }
    c->skipped[c->n_skipped++] = k;
    return DOPPEL_OK;
}

int dp_collect_cluster(dp_collect *c, const char *const *members, size_t n)
{
    if (dp_grow((void **)&c->clusters, &c->cap_clusters, c->n_clusters + 1, sizeof *c->clusters))
        return DOPPEL_ERR_NOMEM;
    dp_collected_cluster k = {calloc(n ? n : 1, sizeof(char *)), n};
    if (!k.members)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!(k.members[i] = strdup(members[i]))) {
            for (size_t j = 0; j < i; j++)
                free(k.members[j]);
            free(k.members);
            return DOPPEL_ERR_NOMEM;
        }
    c->clusters[c->n_clusters++] = k;
    return DOPPEL_OK;
}

int dp_collect_common(dp_collect *c, const dp_common_passage *p)
{
    if (dp_grow((void **)&c->common, &c->cap_common, c->n_common + 1, sizeof *c->common))
        return DOPPEL_ERR_NOMEM;
    dp_collected_common k = {calloc(p->n_members ? p->n_members : 1, sizeof *k.members), p->n_members};
    if (!k.members)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < p->n_members; i++) {
        k.members[i] = (dp_collected_member){strdup(p->members[i].id), p->members[i].start, p->members[i].end};
        if (!k.members[i].id) {
            for (size_t j = 0; j < i; j++)
                free(k.members[j].id);
            free(k.members);
            return DOPPEL_ERR_NOMEM;
        }
    }
    c->common[c->n_common++] = k;
    return DOPPEL_OK;
}

static int by_score(const void *x, const void *y)
{
    const dp_owned_pair *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    int d = strcmp(a->a, b->a);
    return d ? d : strcmp(a->b, b->b);
}

void dp_collect_sort(dp_collect *c)
{
    if (c->n_pairs > 1)
        qsort(c->pairs, c->n_pairs, sizeof *c->pairs, by_score);
}

void dp_collect_free(dp_collect *c)
{
    for (size_t i = 0; i < c->n_pairs; i++)
        dp_owned_pair_free(&c->pairs[i]);
    for (size_t i = 0; i < c->n_skipped; i++) {
        free(c->skipped[i].id);
        free(c->skipped[i].reason);
    }
    for (size_t i = 0; i < c->n_clusters; i++) {
        for (size_t j = 0; j < c->clusters[i].n; j++)
            free(c->clusters[i].members[j]);
        free(c->clusters[i].members);
    }
    for (size_t i = 0; i < c->n_common; i++) {
        for (size_t j = 0; j < c->common[i].n; j++)
            free(c->common[i].members[j].id);
        free(c->common[i].members);
    }
    free(c->pairs);
    free(c->skipped);
    free(c->clusters);
    free(c->common);
    memset(c, 0, sizeof *c);
}
