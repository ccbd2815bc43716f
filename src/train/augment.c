#include "train/augment.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/readfile.h"
#include "model/batch.h"
#include "text/decode.h"
#include "text/sentences.h"
#include "text/tokenize.h"

void dp_augment_config_default(dp_augment_config *c)
{
    *c = (dp_augment_config){0.08f, 0.35f, 0.05f, 0.5f, 0.3f, 0.3f, 3, 8, 80};
}

/* Their first WordNet senses are rarely what a text means ("a" -> angstrom). */
static const char *const function_words[] = {
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "here",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may", "me", "might", "more", "most", "must",
    "my", "no", "not", "of", "on", "one", "only", "or", "other", "our", "out", "over", "own", "same", "shall",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "to", "too", "two", "up", "us", "very", "was", "we", "were", "what", "when",
    "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your",
};

static const char *const fillers[] = {"also", "really", "indeed", "then", "in fact", "clearly", "perhaps", "still"};

int dp_augment_is_function_word(const char *w, size_t len)
{
    size_t lo = 0, hi = sizeof function_words / sizeof *function_words;
    while (lo < hi) { /* the list is sorted */
        size_t mid = (lo + hi) / 2;
        const char *f = function_words[mid];
        int c = strncmp(f, w, len);
        if (c == 0)
            c = f[len] != '\0';
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int buf_put(dp_augment_buf *b, const char *s, size_t len)
{
    if (dp_grow((void **)&b->s, &b->cap, b->len + len + 1, 1))
        return DOPPEL_ERR_NOMEM;
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
    return DOPPEL_OK;
}

static int is_edge_punct(char ch) { return ch && strchr(".,;:!?\"()", ch) != NULL; }
static int is_upper(char ch) { return ch >= 'A' && ch <= 'Z'; }
static int is_lower(char ch) { return ch >= 'a' && ch <= 'z'; }

typedef struct word {
    const char *s;
    size_t len;
    size_t core, core_len; /* the word without surrounding punctuation */
    int first, last;       /* starts / ends its sentence */
    int del, syn_i;        /* decisions: deleted; synonym index + 1 */
    int insert;            /* filler index + 1 after it */
    int recase;            /* +1 capitalise, -1 lowercase its first letter */
    char end_repl;         /* replaces the last character (merge ',' / split '.') */
    int and_after;         /* ", and" merge: emit "and" after it */
} word;

typedef struct words {
    word *v;
    size_t n, cap;
} words;

static int split_words(words *w, const dp_str *sent, int n)
{
    w->n = 0;
    for (int k = 0; k < n; k++) {
        size_t first = w->n;
        for (size_t i = 0; i < sent[k].len;) {
            while (i < sent[k].len && sent[k].s[i] == ' ')
                i++;
            size_t a = i;
            while (i < sent[k].len && sent[k].s[i] != ' ')
                i++;
            if (i == a)
                break;
            if (dp_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v))
                return DOPPEL_ERR_NOMEM;
            word *x = &w->v[w->n++];
            memset(x, 0, sizeof *x);
            x->s = sent[k].s + a;
            x->len = i - a;
            size_t c0 = 0, c1 = x->len;
            while (c0 < c1 && is_edge_punct(x->s[c0]))
                c0++;
            while (c1 > c0 && is_edge_punct(x->s[c1 - 1]))
                c1--;
            x->core = c0;
            x->core_len = c1 - c0;
        }
        if (w->n > first) {
            w->v[first].first = 1;
            w->v[w->n - 1].last = 1;
        }
    }
    return DOPPEL_OK;
}

static size_t cap_of(float rate, size_t n)
{
    if (rate <= 0.0f)
        return 0;
    size_t c = (size_t)(2.0f * rate * (float)n);
    return c ? c : 1;
}

/* A word plain enough to be moved, deleted or recased without touching an edit. */
static int plain(const word *x) { return !x->first && !x->last && !x->end_repl && !x->recase && !x->and_after; }

/* Sentence merge and split: both change punctuation and case at a boundary. */
static void plan_boundaries(const dp_augment_config *c, dp_rng *rng, words *w, dp_augment_stats *st)
{
    float r_merge = dp_rng_float(rng), r_split = dp_rng_float(rng);
    uint64_t pick = dp_rng_next(rng);
    for (size_t i = 0; i + 1 < w->n; i++)
        if (w->v[i].last) { /* the end of the first sentence */
            word *x = &w->v[i], *y = &w->v[i + 1];
            if (r_merge < c->p_merge && x->s[x->len - 1] == '.') {
                x->end_repl = ',';
                x->and_after = 1;
                if (y->core_len > 1 && is_upper(y->s[y->core]) && is_lower(y->s[y->core + 1])) {
                    char lw[32];
                    size_t n = y->core_len < sizeof lw ? y->core_len : sizeof lw;
                    for (size_t j = 0; j < n; j++)
                        lw[j] = (char)(is_upper(y->s[y->core + j]) ? y->s[y->core + j] + 32 : y->s[y->core + j]);
                    if (dp_augment_is_function_word(lw, n))
                        y->recase = -1;
                }
                st->merged++;
            }
            break;
        }
    if (!(r_split < c->p_split))
        return;
    /* candidates: a word ending in ',' with at least 3 words on both sides in its sentence */
    size_t cand[64], nc = 0, start = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].first)
            start = i;
        size_t end = i;
        while (end < w->n && !w->v[end].last)
            end++;
        if (nc < 64 && w->v[i].s[w->v[i].len - 1] == ',' && !w->v[i].end_repl && i >= start + 2 && end >= i + 3 &&
            w->v[i + 1].core_len && is_lower(w->v[i + 1].s[w->v[i + 1].core]) && !w->v[i + 1].recase)
            cand[nc++] = i;
    }
    if (!nc)
        return;
    size_t i = cand[pick % nc];
    w->v[i].end_repl = '.';
    w->v[i + 1].recase = 1;
    st->split++;
}

/* Neighbours i, i + 1 that may trade places: plain, kept, unreplaced, bare words, no filler
 * between them. */
static int swappable(const words *w, size_t i)
{
    const word *a = &w->v[i], *b = &w->v[i + 1];
    return plain(a) && plain(b) && !a->del && !b->del && !a->syn_i && !b->syn_i && !a->insert &&
           a->core_len == a->len && b->core_len == b->len;
}

/* Writes word x as decided (with a space before it when sep). */
static int emit(dp_augment_buf *out, int sep, const word *x, const dp_wordnet *wn)
{
    int rc = sep ? buf_put(out, " ", 1) : DOPPEL_OK;
    if (!rc)
        rc = buf_put(out, x->s, x->core);
    size_t at = out->len;
    if (!rc && x->syn_i) {
        size_t first;
        char lw[64];
        for (size_t j = 0; j < x->core_len; j++)
            lw[j] = (char)(is_upper(x->s[x->core + j]) ? x->s[x->core + j] + 32 : x->s[x->core + j]);
        dp_wordnet_count(wn, lw, x->core_len, &first);
        const char *syn = dp_wordnet_synonym(wn, first, (size_t)x->syn_i - 1);
        rc = buf_put(out, syn, strlen(syn));
        if (!rc && is_upper(x->s[x->core]) && is_lower(out->s[at]))
            out->s[at] = (char)(out->s[at] - 32);
    } else if (!rc) {
        rc = buf_put(out, x->s + x->core, x->core_len);
        if (!rc && x->core_len && x->recase > 0 && is_lower(out->s[at]))
            out->s[at] = (char)(out->s[at] - 32);
        if (!rc && x->core_len && x->recase < 0 && is_upper(out->s[at]))
            out->s[at] = (char)(out->s[at] + 32);
    }
    if (!rc)
        rc = buf_put(out, x->s + x->core + x->core_len, x->len - x->core - x->core_len);
    if (!rc && x->end_repl)
        out->s[out->len - 1] = x->end_repl;
    if (!rc && x->and_after)
        rc = buf_put(out, " and", 4);
    if (!rc && x->insert) {
        const char *f = fillers[x->insert - 1];
        rc = buf_put(out, " ", 1);
        if (!rc)
            rc = buf_put(out, f, strlen(f));
    }
    return rc;
}

int dp_augment_passage(const dp_augment_config *c, const dp_wordnet *wn, dp_rng *rng, const dp_str *sent, int n,
                       dp_augment_buf *out, dp_augment_stats *st)
{
    words w = {NULL, 0, 0};
    int rc = split_words(&w, sent, n);
    if (rc || w.n == 0) {
        free(w.v);
        return rc;
    }
    st->passages++;
    st->words += w.n;
    plan_boundaries(c, rng, &w, st);
    size_t cap_del = cap_of(c->p_delete, w.n), cap_syn = cap_of(c->p_synonym, w.n),
           cap_ins = cap_of(c->p_insert, w.n), n_del = 0, n_syn = 0, n_ins = 0;
    for (size_t i = 0; i < w.n; i++) {
        word *x = &w.v[i];
        /* three draws per word whatever happens, so one edit does not shift the others */
        float r_del = dp_rng_float(rng), r_syn = dp_rng_float(rng), r_ins = dp_rng_float(rng);
        uint64_t r_pick = dp_rng_next(rng);
        if (r_del < c->p_delete && w.n > 6 && plain(x) && n_del < cap_del) {
            x->del = 1;
            n_del++;
            continue;
        }
        char lw[64];
        size_t len = x->core_len;
        if (r_syn < c->p_synonym && n_syn < cap_syn && len > 3 && len < sizeof lw && !x->recase) {
            for (size_t j = 0; j < len; j++)
                lw[j] = (char)(is_upper(x->s[x->core + j]) ? x->s[x->core + j] + 32 : x->s[x->core + j]);
            size_t first, k = dp_augment_is_function_word(lw, len) ? 0 : dp_wordnet_count(wn, lw, len, &first);
            if (k) {
                x->syn_i = (int)(r_pick % k) + 1;
                n_syn++;
            }
        }
        if (r_ins < c->p_insert && n_ins < cap_ins && !x->last) {
            x->insert = (int)((r_pick >> 32) % (sizeof fillers / sizeof *fillers)) + 1;
            n_ins++;
        }
    }
    size_t swap_at = SIZE_MAX;
    if (dp_rng_float(rng) < c->p_swap) {
        uint64_t pick = dp_rng_next(rng);
        size_t nc = 0;
        for (size_t i = 0; i + 1 < w.n; i++)
            nc += swappable(&w, i);
        for (size_t i = 0, k = nc ? (size_t)(pick % nc) : 0; nc && i + 1 < w.n; i++)
            if (swappable(&w, i) && k-- == 0) {
                swap_at = i;
                st->swapped++;
                break;
            }
    }
    st->deleted += n_del;
    st->replaced += n_syn;
    st->inserted += n_ins;
    size_t start = out->len;
    for (size_t k = 0; k < w.n && !rc; k++) {
        size_t i = k == swap_at ? k + 1 : swap_at != SIZE_MAX && k == swap_at + 1 ? k - 1 : k;
        if (!w.v[i].del)
            rc = emit(out, out->len > start, &w.v[i], wn);
    }
    free(w.v);
    return rc;
}

/* Sentences of one file: texts in buf, words separated by single spaces. */
typedef struct sent_list {
    dp_augment_buf buf;
    size_t *off, *len;
    size_t n, cap;
} sent_list;

static int is_ws(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f'; }

/* Appends s[0..len) with white space runs collapsed as one sentence (if not empty). */
static int add_sentence(sent_list *sl, const char *s, size_t len)
{
    size_t start = sl->buf.len;
    for (size_t i = 0; i < len; i++) {
        if (is_ws(s[i]))
            continue;
        if ((i > 0 && is_ws(s[i - 1]) && sl->buf.len > start && buf_put(&sl->buf, " ", 1)) || buf_put(&sl->buf, s + i, 1))
            return DOPPEL_ERR_NOMEM;
    }
    if (sl->buf.len == start)
        return DOPPEL_OK;
    size_t c2 = sl->cap;
    if (dp_grow((void **)&sl->off, &c2, sl->n + 1, sizeof *sl->off) ||
        dp_grow((void **)&sl->len, &sl->cap, sl->n + 1, sizeof *sl->len))
        return DOPPEL_ERR_NOMEM;
    sl->off[sl->n] = start;
    sl->len[sl->n++] = sl->buf.len - start;
    return DOPPEL_OK;
}

/* Brown: each line with word/TAG tokens is a sentence; tags dropped, words detokenised. */
static int brown_sentences(sent_list *sl, const char *data, size_t len, dp_augment_buf *line)
{
    for (size_t p = 0; p < len;) {
        const char *eol = memchr(data + p, '\n', len - p);
        size_t e = eol ? (size_t)(eol - data) : len;
        line->len = 0;
        int glue = 1; /* no space before the next word */
        for (size_t i = p; i < e;) {
            while (i < e && is_ws(data[i]))
                i++;
            size_t a = i;
            while (i < e && !is_ws(data[i]))
                i++;
            const char *slash = NULL;
            for (size_t j = a; j < i; j++)
                if (data[j] == '/')
                    slash = data + j;
            if (!slash || slash == data + a)
                continue;
            const char *w = data + a;
            size_t wl = (size_t)(slash - w);
            int open = wl == 2 && memcmp(w, "``", 2) == 0, close = wl == 2 && memcmp(w, "''", 2) == 0;
            int attach = close || strchr(".,;:!?)'", w[0]) != NULL;
            if ((!glue && !attach && buf_put(line, " ", 1)) || buf_put(line, open || close ? "\"" : w, open || close ? 1 : wl))
                return DOPPEL_ERR_NOMEM;
            glue = open || (wl == 1 && w[0] == '(');
        }
        if (add_sentence(sl, line->s, line->len))
            return DOPPEL_ERR_NOMEM;
        p = e + 1;
    }
    return DOPPEL_OK;
}

/* Any text: decoded, tokenised and split into sentences by the text stage. */
static int prose_sentences(sent_list *sl, const char *data, size_t len, const dp_tokenizer *tk, doppel_diag *diag)
{
    dp_text t;
    dp_tokens toks;
    dp_sentences ss;
    memset(&t, 0, sizeof t);
    memset(&toks, 0, sizeof toks);
    memset(&ss, 0, sizeof ss);
    int rc = dp_text_decode(&t, data, len, DP_ENC_AUTO, diag);
    if (!rc)
        rc = dp_tokenize(tk, &t, 0, t.len, &toks);
    if (!rc)
        rc = dp_split_sentences(&t, &toks, &ss);
    for (size_t i = 0; i < ss.n && !rc; i++)
        rc = add_sentence(sl, t.utf8 + ss.v[i].dstart, ss.v[i].dend - ss.v[i].dstart);
    dp_sentences_free(&ss);
    dp_tokens_free(&toks);
    dp_text_free(&t);
    return rc;
}

static size_t count_words(const char *s, size_t len)
{
    size_t n = len ? 1 : 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == ' ';
    return n;
}

/* Everything a read builds before the pairs go into the dataset. */
typedef struct prose_out {
    dp_augment_buf text;  /* passage, copy, passage, copy, ... */
    size_t *off;          /* [3 * pairs] text offsets: passage, copy, end */
    size_t n_off, cap_off;
    uint32_t *cut_first, *cut_at; /* the dp_passage_cuts of the pairs */
    size_t n_at, cap_first, cap_at;
} prose_out;

static int push_off(prose_out *po, size_t off)
{
    if (dp_grow((void **)&po->off, &po->cap_off, po->n_off + 1, sizeof *po->off))
        return DOPPEL_ERR_NOMEM;
    po->off[po->n_off++] = off;
    return DOPPEL_OK;
}

void dp_prose_rng(dp_rng *r, uint64_t seed, int source, uint64_t pass, size_t k)
{
    dp_rng_seed(r, seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(source + 1)) ^ (0xBF58476D1CE4E5B9ull * (pass + 1)) ^
                       (0x94D049BB133111EBull * (uint64_t)(k + 1)));
}

/* Cuts a file's sentences into passages and writes each with its pass-0 copy. */
static int make_pairs(prose_out *po, const sent_list *sl, const dp_augment_config *c, const dp_wordnet *wn,
                      dp_rng *rng, uint64_t seed, int source, dp_augment_stats *st)
{
    dp_str sent[DP_PASSAGE_MAX_SENTENCES];
    int maxs = c->max_sentences < 1 ? 1 : c->max_sentences > DP_PASSAGE_MAX_SENTENCES ? DP_PASSAGE_MAX_SENTENCES
                                                                                        : c->max_sentences;
    for (size_t i = 0; i < sl->n;) {
        size_t L = 1 + (size_t)dp_rng_below(rng, (uint64_t)maxs), nw = 0;
        if (L > sl->n - i)
            L = sl->n - i;
        size_t mark = po->text.len, n_at = po->n_at, k = po->n_off / 3;
        for (size_t j = 0; j < L; j++) {
            sent[j] = (dp_str){sl->buf.s + sl->off[i + j], (uint32_t)sl->len[i + j]};
            nw += count_words(sent[j].s, sent[j].len);
            if (j && (buf_put(&po->text, " ", 1) ||
                      dp_grow((void **)&po->cut_at, &po->cap_at, po->n_at + 1, sizeof *po->cut_at)))
                return DOPPEL_ERR_NOMEM;
            if (j)
                po->cut_at[po->n_at++] = (uint32_t)(po->text.len - mark);
            if (buf_put(&po->text, sent[j].s, sent[j].len))
                return DOPPEL_ERR_NOMEM;
        }
        i += L;
        if (nw < (size_t)c->min_words || nw > (size_t)c->max_words) {
            po->text.len = mark;
            po->n_at = n_at;
            continue;
        }
        size_t mid = po->text.len;
        dp_rng edits;
        dp_prose_rng(&edits, seed, source, 0, k);
        int rc = dp_augment_passage(c, wn, &edits, sent, (int)L, &po->text, st);
        if (rc)
            return rc;
        if (po->text.len - mid == mid - mark && memcmp(po->text.s + mark, po->text.s + mid, mid - mark) == 0) {
            po->text.len = mark; /* nothing changed: not a useful pair */
            po->n_at = n_at;
            continue;
        }
        if (dp_grow((void **)&po->cut_first, &po->cap_first, k + 2, sizeof *po->cut_first))
            return DOPPEL_ERR_NOMEM;
        po->cut_first[k] = (uint32_t)n_at;
        po->cut_first[k + 1] = (uint32_t)po->n_at;
        if (push_off(po, mark) || push_off(po, mid) || push_off(po, po->text.len))
            return DOPPEL_ERR_NOMEM;
    }
    return DOPPEL_OK;
}

int dp_prose_copy(const dp_dataset *ds, int source, size_t k, uint64_t seed, uint64_t pass,
                  const dp_augment_config *c, const dp_wordnet *wn, dp_augment_buf *out, dp_augment_stats *st)
{
    const dp_source_info *si = &ds->src[source];
    const dp_str *a = &ds->pairs[si->first + k].a;
    const uint32_t *at = si->cuts.at + si->cuts.first[k];
    int n = (int)(si->cuts.first[k + 1] - si->cuts.first[k]) + 1;
    dp_str sent[DP_PASSAGE_MAX_SENTENCES];
    for (int j = 0; j < n; j++) {
        uint32_t s0 = j ? at[j - 1] : 0, s1 = j + 1 < n ? at[j] - 1 : a->len; /* less the joining space */
        sent[j] = (dp_str){a->s + s0, s1 - s0};
    }
    dp_rng rng;
    dp_prose_rng(&rng, seed, source, pass, k);
    return dp_augment_passage(c, wn, &rng, sent, n, out, st);
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The regular files of a directory in name order, or path itself. */
static int list_files(const char *path, char ***names, size_t *n, doppel_diag *diag)
{
    struct stat sb;
    *names = NULL;
    *n = 0;
    if (stat(path, &sb) != 0)
        return dp_diag_errno(diag, errno, path);
    size_t cap = 0;
    if (!S_ISDIR(sb.st_mode)) {
        if (dp_grow((void **)names, &cap, 1, sizeof **names) || !((*names)[0] = strdup(path)))
            return DOPPEL_ERR_NOMEM;
        *n = 1;
        return DOPPEL_OK;
    }
    DIR *d = opendir(path);
    if (!d)
        return dp_diag_errno(diag, errno, path);
    int rc = DOPPEL_OK;
    for (struct dirent *e; (e = readdir(d)) && !rc;) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *full = malloc(len);
        if (!full || dp_grow((void **)names, &cap, *n + 1, sizeof **names)) {
            free(full);
            rc = DOPPEL_ERR_NOMEM;
            break;
        }
        snprintf(full, len, "%s/%s", path, e->d_name);
        if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode))
            (*names)[(*n)++] = full;
        else
            free(full);
    }
    closedir(d);
    if (!rc)
        qsort(*names, *n, sizeof **names, cmp_name);
    return rc;
}

static int excluded(const char *path, const char *const *ex, size_t nex)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < nex; i++)
        if (strcmp(base, ex[i]) == 0)
            return 1;
    return 0;
}

int dp_prose_read(dp_dataset *ds, const char *path, dp_prose_kind kind, const char *const *exclude,
                  size_t nexclude, const dp_wordnet *wn, const dp_augment_config *c, uint64_t seed,
                  dp_prose_counts *counts, doppel_diag *diag)
{
    dp_prose_counts cnt;
    memset(&cnt, 0, sizeof cnt);
    char **names = NULL;
    size_t nnames = 0;
    sent_list sl;
    memset(&sl, 0, sizeof sl);
    prose_out po;
    memset(&po, 0, sizeof po);
    dp_augment_buf line = {NULL, 0, 0};
    dp_tokenizer *tk = NULL;
    dp_pair *pairs = NULL;
    dp_rng rng;
    dp_rng_seed(&rng, seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(ds->nsources + 1)));
    int rc = list_files(path, &names, &nnames, diag);
    if (!rc && kind == DP_PROSE_TEXT) {
        dp_tokenizer_opts to = {0};
        rc = dp_tokenizer_create(&tk, &to, diag);
    }
    for (size_t f = 0; f < nnames && !rc; f++) {
        if (excluded(names[f], exclude, nexclude)) {
            cnt.excluded++;
            continue;
        }
        char *data;
        size_t len;
        if ((rc = dp_read_file(names[f], (size_t)1 << 30, &data, &len, diag)))
            break;
        sl.n = 0;
        sl.buf.len = 0;
        rc = kind == DP_PROSE_BROWN ? brown_sentences(&sl, data, len, &line) : prose_sentences(&sl, data, len, tk, diag);
        free(data);
        cnt.files++;
        cnt.sentences += sl.n;
        if (!rc)
            rc = make_pairs(&po, &sl, c, wn, &rng, seed, ds->nsources, &cnt.stats);
        if (rc == DOPPEL_ERR_NOMEM)
            rc = dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, "%s", names[f]);
    }
    size_t np = po.n_off / 3;
    if (!rc && !(pairs = calloc(np + 1, sizeof *pairs)))
        rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    if (!rc) {
        for (size_t i = 0; i < np; i++) {
            const size_t *o = po.off + 3 * i;
            pairs[i].a = (dp_str){po.text.s + o[0], (uint32_t)(o[1] - o[0])};
            pairs[i].b = (dp_str){po.text.s + o[1], (uint32_t)(o[2] - o[1])};
            pairs[i].label = 1.0f;
        }
        if (!po.cut_first && !(po.cut_first = calloc(1, sizeof *po.cut_first)))
            rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    if (!rc) {
        rc = dp_dataset_add_source(ds, kind == DP_PROSE_BROWN ? DP_DATA_BROWN : DP_DATA_PROSE, po.text.s, pairs, np,
                                   (dp_passage_cuts){po.cut_first, po.cut_at}, diag);
        po.text.s = NULL;
        po.cut_first = NULL;
        po.cut_at = NULL;
    }
    free(pairs);
    free(po.text.s);
    free(po.off);
    free(po.cut_first);
    free(po.cut_at);
    free(sl.buf.s);
    free(sl.off);
    free(sl.len);
    free(line.s);
    dp_tokenizer_free(tk);
    for (size_t f = 0; f < nnames; f++)
        free(names[f]);
    free(names);
    if (counts)
        *counts = cnt;
    return rc;
}
