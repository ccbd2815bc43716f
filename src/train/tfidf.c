#include "train/tfidf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/diag.h"
#include "core/utf8.h"
#include "model/batch.h"

/* An n-gram of up to 5 code points (21 bits each) and its length, packed in 128 bits. */
typedef struct gram_key {
    uint64_t lo, hi;
} gram_key;

/* Open-addressing map n-gram -> dense id; ids index the per-gram arrays below. */
typedef struct gram_map {
    gram_key *keys;
    uint32_t *slot_id; /* UINT32_MAX = empty */
    size_t cap, n;     /* cap is a power of two, kept at most half full */
} gram_map;

/* Everything the pass over the texts builds. */
typedef struct tfidf_state {
    gram_map map;
    uint32_t *df;         /* [grams] texts holding the gram */
    size_t *last_text;    /* [grams] last text it was seen in + 1 */
    size_t *pos;          /* [grams] its entry in that text */
    size_t cap_grams;
    uint32_t *ent_id;     /* [entries] gram of each (text, gram) entry, in first-appearance order */
    double *ent_w;        /* [entries] count, then weight */
    size_t n_ent, cap_ent;
    size_t *text_first;   /* [texts + 1] first entry of each text */
    double *dense;        /* [grams] scratch: the b side's weights */
} tfidf_state;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static int map_rehash(gram_map *m, size_t cap)
{
    gram_key *keys = malloc(cap * sizeof *keys);
    uint32_t *ids = malloc(cap * sizeof *ids);
    if (!keys || !ids) {
        free(keys);
        free(ids);
        return -1;
    }
    memset(ids, 0xff, cap * sizeof *ids);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slot_id[i] == UINT32_MAX)
            continue;
        size_t h = mix64(m->keys[i].lo ^ mix64(m->keys[i].hi)) & (cap - 1);
        while (ids[h] != UINT32_MAX)
            h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        ids[h] = m->slot_id[i];
    }
    free(m->keys);
    free(m->slot_id);
    m->keys = keys;
    m->slot_id = ids;
    m->cap = cap;
    return 0;
}

/* The id of k, inserting it as id m->n when new; UINT32_MAX when out of memory. */
static uint32_t map_get(gram_map *m, gram_key k)
{
    if (2 * (m->n + 1) > m->cap && map_rehash(m, m->cap ? 2 * m->cap : 4096))
        return UINT32_MAX;
    size_t h = mix64(k.lo ^ mix64(k.hi)) & (m->cap - 1);
    while (m->slot_id[h] != UINT32_MAX) {
        if (m->keys[h].lo == k.lo && m->keys[h].hi == k.hi)
            return m->slot_id[h];
        h = (h + 1) & (m->cap - 1);
    }
    m->keys[h] = k;
    m->slot_id[h] = (uint32_t)m->n;
    return (uint32_t)m->n++;
}

/* White space as Python's str.split() sees it. */
static int is_space(int32_t c)
{
    return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
           c == 0x3000;
}

/* Counts gram k in text t (entries of t start at st->text_first[t]). */
static int add_gram(tfidf_state *st, size_t t, gram_key k)
{
    uint32_t id = map_get(&st->map, k);
    if (id == UINT32_MAX)
        return -1;
    if (id >= st->cap_grams) {
        size_t c = st->cap_grams, c2 = c, c3 = c;
        if (dp_grow((void **)&st->df, &c, (size_t)id + 1, sizeof *st->df) ||
            dp_grow((void **)&st->last_text, &c2, (size_t)id + 1, sizeof *st->last_text) ||
            dp_grow((void **)&st->pos, &c3, (size_t)id + 1, sizeof *st->pos))
            return -1;
        memset(st->df + st->cap_grams, 0, (c - st->cap_grams) * sizeof *st->df);
        memset(st->last_text + st->cap_grams, 0, (c - st->cap_grams) * sizeof *st->last_text);
        st->cap_grams = c;
    }
    if (st->last_text[id] == t + 1) {
        st->ent_w[st->pos[id]] += 1.0;
        return 0;
    }
    size_t ce = st->cap_ent;
    if (dp_grow((void **)&st->ent_id, &ce, st->n_ent + 1, sizeof *st->ent_id) ||
        dp_grow((void **)&st->ent_w, &st->cap_ent, st->n_ent + 1, sizeof *st->ent_w))
        return -1;
    st->last_text[id] = t + 1;
    st->pos[id] = st->n_ent;
    st->df[id]++;
    st->ent_id[st->n_ent] = id;
    st->ent_w[st->n_ent++] = 1.0;
    return 0;
}

/* The grams of one padded word w[0..len). */
static int add_word(tfidf_state *st, size_t t, const int32_t *w, size_t len)
{
    for (size_t n = 3; n <= 5; n++)
        for (size_t i = 0; i + n <= len; i++) {
            uint64_t c[5] = {0, 0, 0, 0, 0};
            for (size_t j = 0; j < n; j++)
                c[j] = (uint64_t)w[i + j];
            gram_key k = {c[0] | c[1] << 21 | c[2] << 42, c[3] | c[4] << 21 | (uint64_t)n << 42};
            if (add_gram(st, t, k))
                return -1;
        }
    return 0;
}

/* Counts the grams of text t; word is scratch for up to len + 2 code points. */
static int add_text(tfidf_state *st, size_t t, const dp_str *s, int32_t *word)
{
    const uint8_t *p = (const uint8_t *)s->s;
    size_t i = 0, wl = 0;
    while (i <= s->len) {
        int32_t cp = ' ';
        if (i < s->len) {
            size_t k = dp_utf8_decode(p + i, s->len - i, &cp);
            if (!k) {
                cp = 0xFFFD;
                k = 1;
            }
            i += k;
        } else {
            i++; /* the end closes the last word */
        }
        if (!is_space(cp)) {
            if (!wl)
                word[wl++] = ' ';
            word[wl++] = utf8proc_tolower(cp);
            continue;
        }
        if (wl) {
            word[wl++] = ' ';
            if (add_word(st, t, word, wl))
                return -1;
            wl = 0;
        }
    }
    return 0;
}

static void state_free(tfidf_state *st)
{
    free(st->map.keys);
    free(st->map.slot_id);
    free(st->df);
    free(st->last_text);
    free(st->pos);
    free(st->ent_id);
    free(st->ent_w);
    free(st->text_first);
    free(st->dense);
}

static const dp_str *text_of(const dp_dataset *ds, size_t first, size_t n, size_t t)
{
    return t < n ? &ds->pairs[first + t].a : &ds->pairs[first + t - n].b;
}

int dp_tfidf_cosines(const dp_dataset *ds, size_t first, size_t n, double *cos, doppel_diag *diag)
{
    tfidf_state st;
    memset(&st, 0, sizeof st);
    size_t N = 2 * n, maxlen = 0;
    for (size_t t = 0; t < N; t++)
        if (text_of(ds, first, n, t)->len > maxlen)
            maxlen = text_of(ds, first, n, t)->len;
    int32_t *word = malloc((maxlen + 2) * sizeof *word);
    st.text_first = malloc((N + 1) * sizeof *st.text_first);
    int rc = word && st.text_first ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    for (size_t t = 0; t < N && !rc; t++) {
        st.text_first[t] = st.n_ent;
        if (add_text(&st, t, text_of(ds, first, n, t), word))
            rc = DOPPEL_ERR_NOMEM;
    }
    if (!rc) {
        st.text_first[N] = st.n_ent;
        if (!(st.dense = calloc(st.map.n + 1, sizeof *st.dense)))
            rc = DOPPEL_ERR_NOMEM;
    }
    for (size_t t = 0; t < N && !rc; t++) {
        size_t a = st.text_first[t], b = st.text_first[t + 1];
        double ss = 0.0;
        for (size_t e = a; e < b; e++) {
            double idf = log((double)(1 + N) / (double)(1 + st.df[st.ent_id[e]])) + 1.0;
            st.ent_w[e] = (1.0 + log(st.ent_w[e])) * idf;
            ss += st.ent_w[e] * st.ent_w[e];
        }
        double norm = sqrt(ss);
        if (norm == 0.0)
            norm = 1.0;
        for (size_t e = a; e < b; e++)
            st.ent_w[e] /= norm;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        size_t a0 = st.text_first[i], a1 = st.text_first[i + 1];
        size_t b0 = st.text_first[n + i], b1 = st.text_first[n + i + 1];
        for (size_t e = b0; e < b1; e++)
            st.dense[st.ent_id[e]] = st.ent_w[e];
        double dot = 0.0;
        for (size_t e = a0; e < a1; e++)
            dot += st.ent_w[e] * st.dense[st.ent_id[e]];
        cos[i] = dot;
        for (size_t e = b0; e < b1; e++)
            st.dense[st.ent_id[e]] = 0.0;
    }
    free(word);
    state_free(&st);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}
