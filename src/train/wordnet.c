#include "train/wordnet.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/readfile.h"
#include "model/batch.h"

typedef struct entry {
    size_t lemma;       /* offset of the NUL-terminated lemma in pool */
    int pos;            /* 0 noun .. 3 adv: lower wins */
    size_t syn, n_syn;  /* synonyms: syn_off[syn .. syn + n_syn) */
} entry;

struct dp_wordnet {
    char *pool;         /* NUL-terminated strings */
    size_t pool_len, pool_cap;
    size_t *syn_off;    /* offsets in pool */
    size_t n_syn, cap_syn;
    entry *e;           /* sorted by lemma, one per lemma */
    size_t n, cap;
};

static int pool_add(dp_wordnet *wn, const char *s, size_t len, size_t *off)
{
    if (dp_grow((void **)&wn->pool, &wn->pool_cap, wn->pool_len + len + 1, 1))
        return DOPPEL_ERR_NOMEM;
    *off = wn->pool_len;
    for (size_t i = 0; i < len; i++)
        wn->pool[wn->pool_len++] = (char)tolower((unsigned char)s[i]);
    wn->pool[wn->pool_len++] = '\0';
    return DOPPEL_OK;
}

/* The next white-space separated field of [*p, end). */
static int field(const char **p, const char *end, const char **s, size_t *len)
{
    const char *q = *p;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    const char *a = q;
    while (q < end && *q != ' ' && *q != '\t' && *q != '\n')
        q++;
    *p = q;
    *s = a;
    *len = (size_t)(q - a);
    return q > a;
}

/* Adds the synonyms of lemma from the data line at offset off; none is not an error. */
static int add_synset(dp_wordnet *wn, const char *data, size_t dlen, size_t off, const char *lemma, size_t llen,
                      int pos)
{
    if (off >= dlen)
        return DOPPEL_ERR_FORMAT;
    const char *p = data + off, *end = memchr(p, '\n', dlen - off);
    if (!end)
        end = data + dlen;
    const char *s;
    size_t len;
    for (int k = 0; k < 3; k++) /* offset, lex_filenum, ss_type */
        if (!field(&p, end, &s, &len))
            return DOPPEL_ERR_FORMAT;
    if (!field(&p, end, &s, &len))
        return DOPPEL_ERR_FORMAT;
    char hex[8] = {0};
    memcpy(hex, s, len < 7 ? len : 7);
    long w_cnt = strtol(hex, NULL, 16);
    entry en = {0, pos, wn->n_syn, 0};
    for (long i = 0; i < w_cnt; i++) {
        if (!field(&p, end, &s, &len))
            return DOPPEL_ERR_FORMAT;
        const char *paren = memchr(s, '(', len);
        size_t wl = paren && s[len - 1] == ')' ? (size_t)(paren - s) : len;
        const char *lex_id;
        size_t lex_len;
        if (!field(&p, end, &lex_id, &lex_len))
            return DOPPEL_ERR_FORMAT;
        if (memchr(s, '_', wl) || wl == 0)
            continue;
        int same = wl == llen;
        for (size_t j = 0; same && j < wl; j++)
            same = tolower((unsigned char)s[j]) == lemma[j];
        if (same)
            continue;
        size_t o;
        if (pool_add(wn, s, wl, &o) || dp_grow((void **)&wn->syn_off, &wn->cap_syn, wn->n_syn + 1, sizeof(size_t)))
            return DOPPEL_ERR_NOMEM;
        wn->syn_off[wn->n_syn++] = o;
        en.n_syn++;
    }
    if (!en.n_syn)
        return DOPPEL_OK;
    if (pool_add(wn, lemma, llen, &en.lemma) || dp_grow((void **)&wn->e, &wn->cap, wn->n + 1, sizeof *wn->e))
        return DOPPEL_ERR_NOMEM;
    wn->e[wn->n++] = en;
    return DOPPEL_OK;
}

static int load_pos(dp_wordnet *wn, const char *dir, const char *name, int pos, int *found, doppel_diag *diag)
{
    char ipath[4096], dpath[4096];
    snprintf(ipath, sizeof ipath, "%s/index.%s", dir, name);
    snprintf(dpath, sizeof dpath, "%s/data.%s", dir, name);
    char *idx = NULL, *data = NULL;
    size_t ilen, dlen;
    if (dp_read_file(ipath, (size_t)1 << 28, &idx, &ilen, NULL) ||
        dp_read_file(dpath, (size_t)1 << 28, &data, &dlen, NULL)) {
        free(idx);
        return DOPPEL_OK; /* this part of speech is absent */
    }
    *found = 1;
    int rc = DOPPEL_OK;
    uint64_t line = 0;
    for (const char *p = idx, *end = idx + ilen; p < end && !rc; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *q = p, *lemma, *s;
        size_t llen, len;
        if (!(eol - p >= 2 && p[0] == ' ' && p[1] == ' ') && field(&q, eol, &lemma, &llen)) {
            long f[2] = {0, 0};
            rc = DOPPEL_ERR_FORMAT;
            if (field(&q, eol, &s, &len) && field(&q, eol, &s, &len) && (f[0] = strtol(s, NULL, 10)) >= 0 &&
                field(&q, eol, &s, &len) && (f[1] = strtol(s, NULL, 10)) >= 0) {
                int ok = 1;
                for (long k = 0; k < f[1] + 2 && ok; k++) /* pointer symbols, sense_cnt, tagsense_cnt */
                    ok = field(&q, eol, &s, &len);
                rc = DOPPEL_OK;
                if (ok && f[0] > 0 && field(&q, eol, &s, &len) && !memchr(lemma, '_', llen)) {
                    char lw[256];
                    size_t n = llen < sizeof lw - 1 ? llen : sizeof lw - 1;
                    for (size_t j = 0; j < n; j++)
                        lw[j] = (char)tolower((unsigned char)lemma[j]);
                    rc = add_synset(wn, data, dlen, (size_t)strtoull(s, NULL, 10), lw, n, pos);
                }
            }
        }
        p = eol + 1;
    }
    free(idx);
    free(data);
    if (rc == DOPPEL_ERR_FORMAT)
        return dp_diag_set(diag, rc, DP_NO_POS, line, "%s: malformed index line or synset offset", ipath);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

/* The comparisons need the pool, which qsort cannot pass: entries are compared through a
 * pool pointer stored beside them during the sort. */
typedef struct keyed_entry {
    const char *lemma;
    entry e;
} keyed_entry;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed_entry *a = pa, *b = pb;
    int c = strcmp(a->lemma, b->lemma);
    return c ? c : (a->e.pos > b->e.pos) - (a->e.pos < b->e.pos);
}

int dp_wordnet_load(dp_wordnet **out, const char *dir, doppel_diag *diag)
{
    static const char *names[4] = {"noun", "verb", "adj", "adv"};
    *out = NULL;
    dp_wordnet *wn = calloc(1, sizeof *wn);
    if (!wn)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int found = 0, rc = DOPPEL_OK;
    for (int p = 0; p < 4 && !rc; p++)
        rc = load_pos(wn, dir, names[p], p, &found, diag);
    if (!rc && !found)
        rc = dp_diag_set(diag, DOPPEL_ERR_IO, DP_NO_POS, DP_NO_POS, "%s: no WordNet index.POS/data.POS files", dir);
    keyed_entry *k = rc ? NULL : malloc((wn->n + 1) * sizeof *k);
    if (!rc && !k)
        rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    if (rc) {
        dp_wordnet_free(wn);
        return rc;
    }
    for (size_t i = 0; i < wn->n; i++)
        k[i] = (keyed_entry){wn->pool + wn->e[i].lemma, wn->e[i]};
    qsort(k, wn->n, sizeof *k, cmp_keyed);
    size_t n = 0;
    for (size_t i = 0; i < wn->n; i++) /* one entry per lemma: its first part of speech */
        if (i == 0 || strcmp(k[i].lemma, k[i - 1].lemma) != 0)
            wn->e[n++] = k[i].e;
    wn->n = n;
    free(k);
    *out = wn;
    return DOPPEL_OK;
}

void dp_wordnet_free(dp_wordnet *wn)
{
    if (!wn)
        return;
    free(wn->pool);
    free(wn->syn_off);
    free(wn->e);
    free(wn);
}

size_t dp_wordnet_size(const dp_wordnet *wn) { return wn ? wn->n : 0; }

size_t dp_wordnet_count(const dp_wordnet *wn, const char *w, size_t len, size_t *first)
{
    if (!wn)
        return 0;
    size_t lo = 0, hi = wn->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *l = wn->pool + wn->e[mid].lemma;
        int c = strncmp(l, w, len);
        if (c == 0)
            c = l[len] != '\0'; /* l is longer than w: after it */
        if (c == 0) {
            *first = wn->e[mid].syn;
            return wn->e[mid].n_syn;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

const char *dp_wordnet_synonym(const dp_wordnet *wn, size_t first, size_t i) { return wn->pool + wn->syn_off[first + i]; }
