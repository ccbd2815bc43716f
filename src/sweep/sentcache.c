#include "sweep/sentcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "doppel.h"
#include "text/hashvocab.h"

/* Open addressing, linear probing; slot value 0 is empty, else entry number + 1. */
struct dp_sentcache {
    size_t dim, max_bytes;
    dp_sentkey *keys; /* [n] */
    float *scale;     /* [n] */
    int8_t *vec;      /* [n][dim] */
    size_t n, cap_keys, cap_scale, cap_vec;
    uint32_t *slot; /* [n_slots], a power of two */
    size_t n_slots;
    pthread_mutex_t lock;
};

int dp_sentcache_create(dp_sentcache **out, size_t dim, size_t max_bytes)
{
    dp_sentcache *c = calloc(1, sizeof *c);
    if (!c || pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return DOPPEL_ERR_NOMEM;
    }
    c->dim = dim;
    c->max_bytes = max_bytes;
    *out = c;
    return DOPPEL_OK;
}

void dp_sentcache_free(dp_sentcache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c->keys), free(c->scale), free(c->vec), free(c->slot);
    free(c);
}

/* fmix64 of MurmurHash3: spreads each token's hash before it is folded in */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    return h ^ h >> 33;
}

dp_sentkey dp_sentcache_key(const dp_tokens *toks, size_t first, size_t count)
{
    dp_sentkey k = {{UINT64_C(0x73656e74656e6365), count}};
    for (size_t i = first; i < first + count; i++) {
        const char *s = dp_token_norm(toks, i);
        size_t len = toks->v[i].norm_len;
        /* the length goes in too, so token boundaries are part of the key */
        k.h[0] = mix(k.h[0] ^ dp_hash64(s, len, 0x6b657930u)) + len;
        k.h[1] = mix(k.h[1] + dp_hash64(s, len, 0x6b657931u) * 31u) ^ len;
    }
    return k;
}

static size_t home(const dp_sentcache *c, dp_sentkey k) { return (size_t)(k.h[0] ^ k.h[1] >> 7) & (c->n_slots - 1); }

/* The entry number of key, or SIZE_MAX; *at: its slot or the empty slot where it would go. */
static size_t find(const dp_sentcache *c, dp_sentkey k, size_t *at)
{
    for (size_t i = home(c, k);; i = (i + 1) & (c->n_slots - 1)) {
        *at = i;
        if (!c->slot[i])
            return SIZE_MAX;
        const dp_sentkey *e = &c->keys[c->slot[i] - 1];
        if (e->h[0] == k.h[0] && e->h[1] == k.h[1])
            return c->slot[i] - 1;
    }
}

int dp_sentcache_get(dp_sentcache *c, dp_sentkey key, int8_t *q, float *scale)
{
    pthread_mutex_lock(&c->lock);
    size_t at, e = c->n_slots ? find(c, key, &at) : SIZE_MAX;
    if (e != SIZE_MAX) {
        memcpy(q, c->vec + e * c->dim, c->dim);
        *scale = c->scale[e];
    }
    pthread_mutex_unlock(&c->lock);
    return e != SIZE_MAX;
}

/* Doubles the table (at least 1024 slots), rehashing every entry. */
static int rehash(dp_sentcache *c)
{
    size_t ns = c->n_slots ? 2 * c->n_slots : 1024;
    uint32_t *slot = calloc(ns, sizeof *slot);
    if (!slot)
        return DOPPEL_ERR_NOMEM;
    free(c->slot);
    c->slot = slot, c->n_slots = ns;
    for (size_t e = 0; e < c->n; e++) {
        size_t at;
        find(c, c->keys[e], &at);
        c->slot[at] = (uint32_t)(e + 1);
    }
    return DOPPEL_OK;
}

static size_t bytes_held(const dp_sentcache *c)
{
    return sizeof *c + c->n_slots * sizeof *c->slot + c->cap_keys * sizeof *c->keys +
           c->cap_scale * sizeof *c->scale + c->cap_vec * c->dim;
}

int dp_sentcache_put(dp_sentcache *c, dp_sentkey key, const int8_t *q, float scale)
{
    int rc = DOPPEL_OK;
    pthread_mutex_lock(&c->lock);
    size_t at;
    /* growing must keep within the budget: entries double, the table at half full */
    size_t after = bytes_held(c) + (c->n + 1 > c->cap_keys ? (c->cap_keys + 1) * (sizeof *c->keys + 4 + c->dim) : 0) +
                   (2 * (c->n + 1) > c->n_slots ? (c->n_slots ? c->n_slots : 1024) * sizeof *c->slot : 0);
    if (c->n >= UINT32_MAX - 1 || after > c->max_bytes)
        goto done;
    if (2 * (c->n + 1) > c->n_slots && (rc = rehash(c)))
        goto done;
    if (find(c, key, &at) != SIZE_MAX)
        goto done;
    if ((rc = dp_grow((void **)&c->keys, &c->cap_keys, c->n + 1, sizeof *c->keys)) ||
        (rc = dp_grow((void **)&c->scale, &c->cap_scale, c->n + 1, sizeof *c->scale)) ||
        (rc = dp_grow((void **)&c->vec, &c->cap_vec, c->n + 1, c->dim)))
        goto done;
    c->keys[c->n] = key;
    c->scale[c->n] = scale;
    memcpy(c->vec + c->n * c->dim, q, c->dim);
    c->slot[at] = (uint32_t)(++c->n);
done:
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void dp_sentcache_entry(dp_sentcache *c, size_t i, dp_sentkey *key, int8_t *q, float *scale)
{
    pthread_mutex_lock(&c->lock);
    *key = c->keys[i];
    *scale = c->scale[i];
    memcpy(q, c->vec + i * c->dim, c->dim);
    pthread_mutex_unlock(&c->lock);
}

void dp_sentcache_clear(dp_sentcache *c)
{
    pthread_mutex_lock(&c->lock);
    free(c->keys), free(c->scale), free(c->vec), free(c->slot);
    c->keys = NULL, c->scale = NULL, c->vec = NULL, c->slot = NULL;
    c->n = c->cap_keys = c->cap_scale = c->cap_vec = c->n_slots = 0;
    pthread_mutex_unlock(&c->lock);
}

size_t dp_sentcache_count(const dp_sentcache *c) { return c->n; }

size_t dp_sentcache_bytes(const dp_sentcache *c) { return bytes_held(c); }
