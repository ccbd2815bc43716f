/* Keys met more than once across the ranks (dist.h, dp_dist_repeats): each key goes to the
 * rank owning its hash, so no rank holds every id of the job. */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "mpi/dist.h"

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a: spreads keys over the ranks */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

typedef struct keyed {
    char *key, *where;
    uint64_t order, index; /* index: the entry's number on the rank it came from */
    int rank;
} keyed;

static int by_key_order(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

void dp_dist_repeats(const dp_dist *d, const char *const *keys, const char *const *where, const uint64_t *order,
                     size_t n, char **first)
{
    size_t size = (size_t)d->size, total = 0, m = 0;
    dp_bytes *send = calloc(size, sizeof *send);
    size_t *from = calloc(size, sizeof *from);
    if (!send || !from)
        dp_dist_fail(d, "out of memory");
    for (size_t i = 0; i < n; i++) { /* [key][where][u64 order][u64 i] to the key's owner */
        dp_bytes *b = &send[hash_key(keys[i]) % size];
        uint64_t i64 = i;
        dp_bytes_put_str(d, b, keys[i]);
        dp_bytes_put_str(d, b, where[i]);
        dp_bytes_put(d, b, &order[i], sizeof order[i]);
        dp_bytes_put(d, b, &i64, sizeof i64);
        first[i] = NULL;
    }
    uint8_t *msg;
    dp_dist_exchange(d, send, &msg, from);
    for (size_t r = 0; r < size; r++)
        free(send[r].p), send[r] = (dp_bytes){0}, total += from[r];
    keyed *e = NULL;
    size_t cap = 0, off = 0;
    for (size_t r = 0; r < size; off += from[r++]) {
        dp_bytes_reader rd = {msg + off, msg + off + from[r]};
        while (rd.p < rd.end) {
            if (DP_GROW(e, cap, m + 1, 64))
                dp_dist_fail(d, "out of memory");
            e[m].key = dp_bytes_get_str(d, &rd);
            e[m].where = dp_bytes_get_str(d, &rd);
            dp_bytes_get(d, &rd, &e[m].order, sizeof e[m].order);
            dp_bytes_get(d, &rd, &e[m].index, sizeof e[m].index);
            e[m++].rank = (int)r;
        }
    }
    free(msg);
    if (m > 1)
        qsort(e, m, sizeof *e, by_key_order);
    /* each entry after the first of its key hears where the first was: [u64 i][where] */
    for (size_t i = 0, f = 0; i < m; i++) {
        if (i == 0 || strcmp(e[i].key, e[f].key) != 0) {
            f = i;
            continue;
        }
        dp_bytes_put(d, &send[e[i].rank], &e[i].index, sizeof e[i].index);
        dp_bytes_put_str(d, &send[e[i].rank], e[f].where);
    }
    for (size_t i = 0; i < m; i++)
        free(e[i].key), free(e[i].where);
    free(e);
    dp_dist_exchange(d, send, &msg, from);
    total = 0;
    for (size_t r = 0; r < size; r++)
        free(send[r].p), total += from[r];
    dp_bytes_reader rd = {msg, msg + total};
    while (rd.p < rd.end) {
        uint64_t i;
        dp_bytes_get(d, &rd, &i, sizeof i);
        if (i >= n)
            dp_dist_fail(d, "a message from another rank names no entry of this one");
        first[i] = dp_bytes_get_str(d, &rd);
    }
    free(msg), free(send), free(from);
}
