#include "sweep/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "sweep/allpairs.h"
#include "sweep/exclude.h"
#include "sweep/runs.h"
#include "sweep/winnow.h"
#include "text/decode.h"
#include "text/hashvocab.h"
#include "text/sentences.h"
#include "text/tokenize.h"

#define WORD_HASH_SEED 0x776f726473ull /* "words" */

void dp_sweep_opts_default(dp_sweep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->k = 6;
    o->max_docs = 10;
    o->min_match = 8;
    o->threshold = 0.03f; /* calibrated on the seed-2 synthetic corpus: corpora/synth/README.md */
    o->sent_threshold = 0.80f;
    o->template_sim = 0.90f;
    o->top_k = 10;
    o->all_pairs_limit = 3000;
}

/* What a sweep keeps of one document (or template). */
typedef struct sweep_doc {
    char *id;
    int is_ref;
    uint64_t *words;      /* [n_words] hashes of normalised words */
    uint8_t *skip;        /* [n_words] 1: not evidence (template, quotation, boilerplate) */
    uint32_t *word_sent;  /* [n_words] sentence of each word */
    size_t n_words;
    dp_sent_info *sents;  /* [n_sents] sentences that hold words */
    size_t n_sents;
    float *svec;          /* [n_sents][dim] sentence vectors (NULL without encoder) */
    float *dvec;          /* [dim] document vector */
} sweep_doc;

struct dp_sweep {
    dp_sweep_opts opts;
    dp_encoder *enc;
    size_t dim;
    dp_tokenizer *tk;
    dp_passage_opts popts;
    sweep_doc *docs;
    size_t n_docs, cap_docs;
    sweep_doc *templates;
    size_t n_templates, cap_templates;
};

static void doc_free(sweep_doc *d)
{
    free(d->id), free(d->words), free(d->skip), free(d->word_sent), free(d->sents), free(d->svec), free(d->dvec);
    memset(d, 0, sizeof *d);
}

int dp_sweep_create(dp_sweep **out, dp_encoder *enc, size_t out_dim, const dp_sweep_opts *opts)
{
    dp_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return DOPPEL_ERR_NOMEM;
    s->opts = *opts;
    s->enc = enc;
    s->dim = enc ? out_dim : 0;
    dp_passage_opts_default(&s->popts);
    s->popts.sent_threshold = opts->sent_threshold;
    s->popts.min_words = opts->min_match;
    s->popts.run_words = opts->k;
    int rc = dp_tokenizer_create(&s->tk, NULL, NULL);
    if (rc) {
        free(s);
        return rc;
    }
    *out = s;
    return DOPPEL_OK;
}

void dp_sweep_free(dp_sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_docs; i++)
        doc_free(&s->docs[i]);
    for (size_t i = 0; i < s->n_templates; i++)
        doc_free(&s->templates[i]);
    free(s->docs), free(s->templates);
    dp_tokenizer_free(s->tk);
    free(s);
}

static int is_word(uint8_t kind) { return kind == DP_TOK_WORD || kind == DP_TOK_NUMBER || kind == DP_TOK_CJK; }

/* sims[na][nb] = A · B^T with every element summed in index order, so the value of a
 * pair never depends on the other rows (unlike a tiled GEMM) and 1 or 2 threads agree. */
static void sentence_sims(const float *A, size_t na, const float *B, size_t nb, size_t d, float *sims)
{
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            float acc = 0.0f;
            for (size_t k = 0; k < d; k++)
                acc += A[i * d + k] * B[j * d + k];
            sims[i * nb + j] = acc;
        }
}

/* Decodes, tokenizes, splits and encodes one text into d. */
static int prepare(dp_sweep *s, const char *bytes, size_t len, sweep_doc *d, doppel_diag *diag)
{
    dp_text text = {0};
    dp_tokens toks = {0};
    dp_sentences sents = {0};
    uint8_t *tok_mark = NULL;
    const char **stexts = NULL;
    size_t *slens = NULL;
    int rc = dp_text_decode(&text, bytes, len, DP_ENC_AUTO, diag);
    if (rc == DOPPEL_OK)
        rc = dp_tokenize(s->tk, &text, 0, text.len, &toks);
    if (rc == DOPPEL_OK)
        rc = dp_split_sentences(&text, &toks, &sents);
    if (rc)
        goto done;
    tok_mark = calloc(toks.n ? toks.n : 1, 1);
    d->words = malloc((toks.n ? toks.n : 1) * sizeof *d->words);
    d->skip = calloc(toks.n ? toks.n : 1, 1);
    d->word_sent = malloc((toks.n ? toks.n : 1) * sizeof *d->word_sent);
    d->sents = malloc((sents.n ? sents.n : 1) * sizeof *d->sents);
    stexts = malloc((sents.n ? sents.n : 1) * sizeof *stexts);
    slens = malloc((sents.n ? sents.n : 1) * sizeof *slens);
    if (!tok_mark || !d->words || !d->skip || !d->word_sent || !d->sents || !stexts || !slens) {
        rc = DOPPEL_ERR_NOMEM;
        goto done;
    }
    if (s->opts.ignore_quotes)
        dp_mark_quoted(&text, &toks, tok_mark);
    if (s->opts.ignore_references)
        dp_mark_references(&text, &toks, tok_mark);
    for (size_t si = 0; si < sents.n; si++) {
        const dp_sentence *st = &sents.v[si];
        size_t first_word = d->n_words, marked = 0;
        for (size_t t = st->tok_begin; t < st->tok_end; t++) {
            if (!is_word(toks.v[t].kind))
                continue;
            d->words[d->n_words] = dp_hash64(dp_token_norm(&toks, t), toks.v[t].norm_len, WORD_HASH_SEED);
            d->skip[d->n_words] = tok_mark[t];
            d->word_sent[d->n_words] = (uint32_t)d->n_sents;
            marked += tok_mark[t];
            d->n_words++;
        }
        size_t words = d->n_words - first_word;
        if (words == 0)
            continue;
        d->sents[d->n_sents] = (dp_sent_info){st->start, st->end, (uint32_t)words, (uint32_t)first_word,
                                             (uint8_t)(2 * marked >= words)};
        stexts[d->n_sents] = text.utf8 + st->dstart;
        slens[d->n_sents] = st->dend - st->dstart;
        d->n_sents++;
    }
    if (d->n_words == 0) {
        rc = dp_diag_set(diag, DOPPEL_ERR_EMPTY, DP_NO_POS, DP_NO_POS, "no words in the text");
        goto done;
    }
    if (s->enc) {
        d->svec = malloc(d->n_sents * s->dim * sizeof *d->svec);
        d->dvec = calloc(s->dim, sizeof *d->dvec);
        if (!d->svec || !d->dvec) {
            rc = DOPPEL_ERR_NOMEM;
            goto done;
        }
        rc = dp_encoder_encode(s->enc, stexts, slens, d->n_sents, d->svec, diag);
    }
done:
    free(tok_mark), free(stexts), free(slens);
    dp_sentences_free(&sents);
    dp_tokens_free(&toks);
    dp_text_free(&text);
    return rc;
}

static int grow_docs(sweep_doc **v, size_t n, size_t *cap)
{
    if (n < *cap)
        return DOPPEL_OK;
    size_t ncap = *cap ? 2 * *cap : 64;
    sweep_doc *g = realloc(*v, ncap * sizeof *g);
    if (!g)
        return DOPPEL_ERR_NOMEM;
    *v = g, *cap = ncap;
    return DOPPEL_OK;
}

int dp_sweep_add_template(dp_sweep *s, const char *bytes, size_t len, doppel_diag *diag)
{
    if (s->n_docs)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "templates must come before documents");
    int rc = grow_docs(&s->templates, s->n_templates, &s->cap_templates);
    if (rc)
        return rc;
    sweep_doc *t = &s->templates[s->n_templates];
    memset(t, 0, sizeof *t);
    if ((rc = prepare(s, bytes, len, t, diag))) {
        doc_free(t);
        return rc;
    }
    s->n_templates++;
    return DOPPEL_OK;
}

/* Template evidence is not evidence: words in runs shared with a template are skipped,
 * and sentences close in meaning to a template sentence are excluded. */
static int apply_templates(dp_sweep *s, sweep_doc *d)
{
    for (size_t t = 0; t < s->n_templates; t++) {
        const sweep_doc *tp = &s->templates[t];
        dp_run *runs;
        size_t n;
        int rc = dp_find_runs(d->words, d->n_words, NULL, tp->words, tp->n_words, NULL, s->opts.k, &runs, &n);
        if (rc)
            return rc;
        for (size_t r = 0; r < n; r++)
            memset(d->skip + runs[r].a_tok, 1, runs[r].len);
        free(runs);
        if (!s->enc)
            continue;
        float *sims = malloc((d->n_sents * tp->n_sents + 1) * sizeof *sims);
        if (!sims)
            return DOPPEL_ERR_NOMEM;
        sentence_sims(d->svec, d->n_sents, tp->svec, tp->n_sents, s->dim, sims);
        for (size_t i = 0; i < d->n_sents; i++)
            for (size_t j = 0; j < tp->n_sents; j++)
                if (sims[i * tp->n_sents + j] >= s->opts.template_sim)
                    d->sents[i].excluded = 1;
        free(sims);
    }
    return DOPPEL_OK;
}

/* Sentences mostly made of skipped words are excluded; the document vector is the
 * normalised mean of the remaining sentence vectors. */
static void finish_doc(const dp_sweep *s, sweep_doc *d)
{
    for (size_t i = 0; i < d->n_sents; i++) {
        dp_sent_info *si = &d->sents[i];
        size_t skipped = 0;
        for (size_t w = si->tok_begin; w < si->tok_begin + si->words; w++)
            skipped += d->skip[w];
        if (2 * skipped >= si->words)
            si->excluded = 1;
    }
    if (!s->enc)
        return;
    memset(d->dvec, 0, s->dim * sizeof *d->dvec);
    for (size_t i = 0; i < d->n_sents; i++)
        if (!d->sents[i].excluded)
            for (size_t k = 0; k < s->dim; k++)
                d->dvec[k] += d->svec[i * s->dim + k];
    double norm = 0;
    for (size_t k = 0; k < s->dim; k++)
        norm += (double)d->dvec[k] * d->dvec[k];
    if (norm > 0)
        for (size_t k = 0; k < s->dim; k++)
            d->dvec[k] = (float)(d->dvec[k] / sqrt(norm));
}

int dp_sweep_add(dp_sweep *s, const char *id, const char *bytes, size_t len, int is_reference,
                 doppel_diag *diag)
{
    int rc = grow_docs(&s->docs, s->n_docs, &s->cap_docs);
    if (rc)
        return rc;
    sweep_doc *d = &s->docs[s->n_docs];
    memset(d, 0, sizeof *d);
    d->is_ref = is_reference;
    d->id = strdup(id);
    if (!d->id)
        rc = DOPPEL_ERR_NOMEM;
    if (!rc)
        rc = prepare(s, bytes, len, d, diag);
    if (!rc)
        rc = apply_templates(s, d);
    if (rc) {
        doc_free(d);
        return rc;
    }
    s->n_docs++;
    return DOPPEL_OK;
}

typedef struct kgram_doc {
    uint64_t hash;
    uint32_t doc;
} kgram_doc;

static int cmp_kgram(const void *x, const void *y)
{
    const kgram_doc *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

typedef struct pair_list {
    uint32_t (*v)[2];
    size_t n, cap;
} pair_list;

static int pair_push(pair_list *p, uint32_t a, uint32_t b)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        void *g = realloc(p->v, cap * sizeof *p->v);
        if (!g)
            return DOPPEL_ERR_NOMEM;
        p->v = g, p->cap = cap;
    }
    p->v[p->n][0] = a < b ? a : b;
    p->v[p->n][1] = a < b ? b : a;
    p->n++;
    return DOPPEL_OK;
}

static int comparable(const dp_sweep *s, uint32_t a, uint32_t b)
{
    return a != b && !(s->docs[a].is_ref && s->docs[b].is_ref);
}

/*
 * Word k-grams found in more than max_docs documents are boilerplate: their words are
 * skipped. k-grams shared by 2..max_docs documents make candidate pairs (used when
 * the corpus is too large to compare every pair).
 */
static int mark_boilerplate(dp_sweep *s, pair_list *cands, int want_cands)
{
    size_t k = s->opts.k, total = 0;
    for (size_t i = 0; i < s->n_docs; i++)
        total += s->docs[i].n_words >= k ? s->docs[i].n_words - k + 1 : 0;
    kgram_doc *all = malloc((total ? total : 1) * sizeof *all);
    if (!all)
        return DOPPEL_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < s->n_docs; i++)
        for (size_t w = 0; w + k <= s->docs[i].n_words; w++)
            all[n++] = (kgram_doc){dp_kgram_hash(s->docs[i].words + w, (uint32_t)k, WORD_HASH_SEED), (uint32_t)i};
    qsort(all, n, sizeof *all, cmp_kgram);
    uint64_t *common = NULL;
    size_t n_common = 0, cap_common = 0;
    int rc = DOPPEL_OK;
    for (size_t g = 0; g < n && !rc;) {
        size_t e = g, docs = 0;
        for (; e < n && all[e].hash == all[g].hash; e++)
            docs += e == g || all[e].doc != all[e - 1].doc;
        if (docs > s->opts.max_docs) {
            if (n_common == cap_common) {
                cap_common = cap_common ? 2 * cap_common : 64;
                uint64_t *c = realloc(common, cap_common * sizeof *c);
                if (!c) {
                    rc = DOPPEL_ERR_NOMEM;
                    break;
                }
                common = c;
            }
            common[n_common++] = all[g].hash;
        } else if (want_cands && docs > 1) {
            for (size_t x = g; x < e && !rc; x++)
                for (size_t y = x + 1; y < e && !rc; y++)
                    if (all[x].doc != all[y].doc && comparable(s, all[x].doc, all[y].doc))
                        rc = pair_push(cands, all[x].doc, all[y].doc);
        }
        g = e;
    }
    free(all);
    for (size_t i = 0; i < s->n_docs && !rc && n_common; i++) {
        sweep_doc *d = &s->docs[i];
        for (size_t w = 0; w + k <= d->n_words; w++) {
            uint64_t h = dp_kgram_hash(d->words + w, (uint32_t)k, WORD_HASH_SEED);
            if (bsearch(&h, common, n_common, sizeof *common, cmp_u64))
                memset(d->skip + w, 1, k);
        }
    }
    free(common);
    return rc;
}

static int cmp_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Every comparable pair, or (large corpora) the candidates: pairs sharing rare word
 * k-grams and pairs whose document vectors are near (top-k and the sentence threshold). */
static int candidate_pairs(dp_sweep *s, pair_list *out)
{
    int every = s->opts.all_pairs || s->n_docs <= s->opts.all_pairs_limit;
    int rc = mark_boilerplate(s, out, !every);
    if (rc)
        return rc;
    for (size_t i = 0; i < s->n_docs; i++)
        finish_doc(s, &s->docs[i]);
    if (every) {
        for (uint32_t a = 0; a < s->n_docs && !rc; a++)
            for (uint32_t b = a + 1; b < s->n_docs && !rc; b++)
                if (comparable(s, a, b))
                    rc = pair_push(out, a, b);
        return rc;
    }
    if (s->enc) {
        float *X = malloc(s->n_docs * s->dim * sizeof *X);
        uint8_t *is_ref = malloc(s->n_docs);
        if (!X || !is_ref) {
            free(X), free(is_ref);
            return DOPPEL_ERR_NOMEM;
        }
        for (size_t i = 0; i < s->n_docs; i++) {
            memcpy(X + i * s->dim, s->docs[i].dvec, s->dim * sizeof *X);
            is_ref[i] = (uint8_t)s->docs[i].is_ref;
        }
        dp_allpairs_opts ao = {.top_k = s->opts.top_k, .min_sim = s->opts.sent_threshold, .is_reference = is_ref};
        dp_allpairs_result r;
        rc = dp_allpairs_block(X, s->n_docs, s->dim, 0, s->n_docs, 0, s->n_docs, &ao, &r);
        uint32_t(*near)[2] = NULL;
        size_t n_near = 0;
        if (!rc)
            rc = dp_allpairs_candidates(&r, 1, &near, &n_near);
        for (size_t p = 0; p < n_near && !rc; p++)
            rc = pair_push(out, near[p][0], near[p][1]);
        free(near), free(X), free(is_ref);
        dp_allpairs_result_free(&r);
        if (rc)
            return rc;
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_pair);
    size_t u = 0;
    for (size_t p = 0; p < out->n; p++)
        if (u == 0 || cmp_pair(out->v[u - 1], out->v[p]) != 0) {
            out->v[u][0] = out->v[p][0], out->v[u][1] = out->v[p][1];
            u++;
        }
    out->n = u;
    return DOPPEL_OK;
}

static int align(dp_sweep *s, const sweep_doc *a, const sweep_doc *b, dp_pair_passages *pp)
{
    dp_run *runs;
    size_t n_runs;
    int rc = dp_find_runs(a->words, a->n_words, a->skip, b->words, b->n_words, b->skip, s->opts.k, &runs, &n_runs);
    if (rc)
        return rc;
    float *sims = NULL;
    if (s->enc) {
        sims = malloc((a->n_sents * b->n_sents + 1) * sizeof *sims);
        if (!sims) {
            free(runs);
            return DOPPEL_ERR_NOMEM;
        }
        sentence_sims(a->svec, a->n_sents, b->svec, b->n_sents, s->dim, sims);
    }
    rc = dp_align_pair(a->sents, a->n_sents, b->sents, b->n_sents, sims, runs, n_runs, a->word_sent, a->n_words,
                       b->word_sent, b->n_words, &s->popts, pp);
    free(sims), free(runs);
    return rc;
}

int dp_sweep_run(dp_sweep *s, dp_sweep_pair_fn on_pair, dp_sweep_progress_fn progress, void *ctx,
                 dp_sweep_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->documents = s->n_docs;
    pair_list cands = {0};
    int rc = candidate_pairs(s, &cands);
    for (size_t p = 0; p < cands.n && !rc; p++) {
        /* the reference, when there is one, is side b */
        uint32_t ia = cands.v[p][0], ib = cands.v[p][1];
        if (s->docs[ia].is_ref) {
            uint32_t t = ia;
            ia = ib, ib = t;
        }
        dp_pair_passages pp;
        rc = align(s, &s->docs[ia], &s->docs[ib], &pp);
        if (rc)
            break;
        stats->pairs_compared++;
        if ((s->opts.threshold <= 0.0f) || (pp.n > 0 && pp.score >= s->opts.threshold)) {
            dp_pair_result r = {s->docs[ia].id, s->docs[ib].id, pp.score, pp.a_coverage, pp.b_coverage, pp.v, pp.n};
            stats->pairs_reported++;
            rc = on_pair(ctx, &r, ia, ib);
        }
        dp_pair_passages_free(&pp);
        if (progress)
            progress(ctx, p + 1, cands.n);
    }
    free(cands.v);
    return rc;
}
