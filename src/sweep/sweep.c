#include "sweep/sweep.h"

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "core/checksum.h"
#include "core/diag.h"
#include "core/grow.h"
#include "core/workers.h"
#include "model/quant.h"
#include "sweep/allpairs.h"
#include "sweep/bridge.h"
#include "sweep/common.h"
#include "sweep/dupsig.h"
#include "sweep/exclude.h"
#include "sweep/fpindex.h"
#include "sweep/runs.h"
#include "sweep/sentcache.h"
#include "sweep/skipbits.h"
#include "sweep/winnow.h"
#include "text/decode.h"
#include "text/hashvocab.h"
#include "text/sentences.h"
#include "text/tokenize.h"

#define WORD_HASH_SEED 0x776f726473ull /* "words" */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void dp_sweep_opts_default(dp_sweep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->k = 6;
    o->max_docs = 10;
    o->min_match = 8;
    o->threshold = -1.0f;      /* DP_SWEEP_THRESHOLD_MODEL or _LEXICAL, as the sweep has vectors or not */
    o->sent_threshold = -1.0f; /* DP_SWEEP_SENT_THRESHOLD_MODEL or _LEXICAL, likewise */
    o->template_sim = 0.90f;
    o->top_k = 10;
    o->all_pairs_limit = 3000;
    o->threads = 1;
}

struct dp_sweep {
    dp_sweep_opts opts;
    dp_encoder *enc;
    size_t dim;
    dp_tokenizer *tk;
    int strip_accents; /* tk's rule: an encoder attached later must tokenize alike */
    dp_passage_opts popts;
    dp_sweep_doc *docs;
    size_t n_docs, cap_docs;
    dp_sweep_doc *templates;
    size_t n_templates, cap_templates;
    /* every document's winnowed fingerprints (and the templates'), built when a run
     * or query needs them and dropped when documents change */
    dp_fpindex *fpx;
    int spill_fd;        /* sentence vectors of added documents, or -1 (in memory) */
    uint64_t spill_end;
    dp_sweep_common_fn on_common; /* told of common passages at the end of a run, or NULL */
    void *common_ctx;
    dp_sentcache *cache; /* vectors of the distinct sentences encoded so far (NULL without encoder) */
    /* documents holding each fingerprint hash in a corpus split across processes
     * (dp_sweep_set_counts), or NULL: counted over fpx */
    uint64_t *count_hash;
    uint32_t *count;
    size_t n_counts;
    dp_sweep_stop_fn stop; /* asked after each aligned pair, or NULL */
};

void dp_sweep_on_common(dp_sweep *s, dp_sweep_common_fn fn, void *ctx)
{
    s->on_common = fn, s->common_ctx = ctx;
}

void dp_sweep_on_stop(dp_sweep *s, dp_sweep_stop_fn fn) { s->stop = fn; }

void dp_sweep_doc_free(dp_sweep_doc *d)
{
    free(d->id), free(d->words), free(d->skip), free(d->sents), free(d->sq), free(d->sscale), free(d->dvec);
    free(d->source);
    memset(d, 0, sizeof *d);
}

static void fpx_drop(dp_sweep *s)
{
    dp_fpindex_free(s->fpx);
    s->fpx = NULL;
}

/* The passage options of o for a sweep with vectors of dim (0: none) */
static void passage_opts(dp_passage_opts *p, const dp_sweep_opts *o, size_t dim)
{
    p->sent_threshold = o->sent_threshold >= 0.0f ? o->sent_threshold
                        : dim                     ? DP_SWEEP_SENT_THRESHOLD_MODEL
                                                  : DP_SWEEP_SENT_THRESHOLD_LEXICAL;
    if (dim)
        p->background_z = DP_SWEEP_BACKGROUND_Z_MODEL;
    p->min_words = o->min_match;
    p->run_words = o->k;
    p->seed_run = o->k;
}

int dp_sweep_create(dp_sweep **out, dp_encoder *enc, size_t out_dim, const dp_sweep_opts *opts)
{
    dp_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return DOPPEL_ERR_NOMEM;
    s->opts = *opts;
    s->enc = enc;
    s->dim = out_dim;
    dp_passage_opts_default(&s->popts);
    passage_opts(&s->popts, opts, out_dim);
    s->spill_fd = -1;
    /* the encoder's accent rule, so its tokens are the sweep's (tokenized once) */
    dp_tokenizer_opts to = {0};
    if (enc)
        to = dp_encoder_tokenizer_opts(enc);
    s->strip_accents = to.strip_accents;
    int rc = dp_tokenizer_create(&s->tk, &to, NULL);
    if (!rc && enc && out_dim)
        rc = dp_sentcache_create(&s->cache, out_dim, DP_SENTCACHE_BYTES);
    if (rc) {
        dp_tokenizer_free(s->tk);
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
        dp_sweep_doc_free(&s->docs[i]);
    for (size_t i = 0; i < s->n_templates; i++)
        dp_sweep_doc_free(&s->templates[i]);
    free(s->docs), free(s->templates);
    fpx_drop(s);
    free(s->count_hash), free(s->count);
    if (s->spill_fd >= 0)
        close(s->spill_fd);
    dp_tokenizer_free(s->tk);
    dp_sentcache_free(s->cache);
    free(s);
}

int dp_sweep_spill_vectors(dp_sweep *s, doppel_diag *diag)
{
    if (s->spill_fd >= 0 || !s->dim)
        return DOPPEL_OK;
    FILE *f = tmpfile(); /* unlinked: gone when closed, whatever happens */
    if (!f)
        return dp_diag_errno(diag, errno, "cannot create a temporary file for sentence vectors");
    s->spill_fd = dup(fileno(f));
    fclose(f);
    return s->spill_fd >= 0 ? DOPPEL_OK : dp_diag_errno(diag, errno, "cannot create a temporary file");
}

/* Moves d's sentence vectors to the spill file. */
static int spill(dp_sweep *s, dp_sweep_doc *d, doppel_diag *diag)
{
    size_t n = d->n_sents * s->dim;
    const char *p = (const char *)d->sq;
    for (size_t done = 0; done < n;) {
        ssize_t w = pwrite(s->spill_fd, p + done, n - done, (off_t)(s->spill_end + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return dp_diag_errno(diag, w < 0 ? errno : ENOSPC, "cannot write sentence vectors to a temporary file");
        done += (size_t)w;
    }
    d->sq_off = s->spill_end;
    d->sq_spilled = 1;
    s->spill_end += n;
    free(d->sq);
    d->sq = NULL;
    return DOPPEL_OK;
}

int dp_sweep_doc_vectors(const dp_sweep *s, const dp_sweep_doc *d, const int8_t **q, int8_t **owned)
{
    *owned = NULL;
    *q = d->sq;
    if (!d->sq_spilled)
        return DOPPEL_OK;
    size_t n = d->n_sents * s->dim;
    int8_t *buf = malloc(n ? n : 1);
    if (!buf)
        return DOPPEL_ERR_NOMEM;
    for (size_t done = 0; done < n;) {
        ssize_t r = pread(s->spill_fd, (char *)buf + done, n - done, (off_t)(d->sq_off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            return DOPPEL_ERR_IO;
        }
        done += (size_t)r;
    }
    *q = *owned = buf;
    return DOPPEL_OK;
}

static int is_word(uint8_t kind) { return kind == DP_TOK_WORD || kind == DP_TOK_NUMBER || kind == DP_TOK_CJK; }

/*
 * sims[a->n_sents][b->n_sents]: sentence cosines from the int8 vectors, each an exact
 * integer dot product times the two scales, so a value never depends on the order of
 * work and any threads agree. The products run through sgemm on the integers as floats:
 * every partial sum is an integer of magnitude <= 127^2 * dim < 2^24 (dim <= EXACT_DIM),
 * which float32 holds exactly, so the GEMM's tiling cannot change a bit. Larger
 * dimensions take the integer loop. scratch: (a->n_sents + b->n_sents) * d floats.
 */
#define EXACT_DIM 1040

static void sentence_sims(const dp_sweep_doc *a, const int8_t *qa, const dp_sweep_doc *b, const int8_t *qb, size_t d,
                          float *scratch, float *sims)
{
    size_t na = a->n_sents, nb = b->n_sents;
    if (d <= EXACT_DIM) {
        float *A = scratch, *B = scratch + na * d; /* [na][d], [nb][d] */
        for (size_t i = 0; i < na * d; i++)
            A[i] = qa[i];
        for (size_t i = 0; i < nb * d; i++)
            B[i] = qb[i];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)na, (int)nb, (int)d, 1.0f, A, (int)d, B, (int)d,
                    0.0f, sims, (int)nb);
    } else {
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < nb; j++) {
                int64_t acc = 0;
                for (size_t k = 0; k < d; k++)
                    acc += (int32_t)qa[i * d + k] * qb[j * d + k];
                sims[i * nb + j] = (float)acc;
            }
    }
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            sims[i * nb + j] = sims[i * nb + j] * a->sscale[i] * b->sscale[j];
}

/* out[n][2]: each sentence's cosine with the next and the one after (0 past the end), exact
 * integer dot products times the scales, as sentence_sims. */
static void neighbour_sims(const dp_sweep_doc *d, const int8_t *q, size_t dim, float *out)
{
    for (size_t i = 0; i < d->n_sents; i++)
        for (size_t t = 1; t <= 2; t++) {
            int64_t acc = 0;
            for (size_t k = 0; i + t < d->n_sents && k < dim; k++)
                acc += (int32_t)q[i * dim + k] * q[(i + t) * dim + k];
            out[2 * i + t - 1] = i + t < d->n_sents ? (float)acc * d->sscale[i] * d->sscale[i + t] : 0.0f;
        }
}

/* Shrinks a block to n bytes (n > 0); keeps the larger one if that fails. */
static void shrink(void **p, size_t n)
{
    void *g = realloc(*p, n);
    if (g)
        *p = g;
}

/* d's sentence vectors (d->sq, d->sscale) for its sentences' tokens [first[i], +count[i])
 * of toks: each from the cache, or encoded (all of a document's new sentences in one
 * call, on at most enc_threads workers, 0: the encoder's) and then cached. A sentence's
 * vector is the same bytes either way. */
static int encode_sentences(dp_sweep *s, dp_sweep_doc *d, const dp_tokens *toks, const size_t *first,
                            const size_t *count, int enc_threads, doppel_diag *diag)
{
    size_t n = d->n_sents, dim = s->dim, n_new = 0;
    dp_sentkey *key = malloc((n ? n : 1) * sizeof *key);
    size_t *nfirst = malloc((n ? n : 1) * sizeof *nfirst), *ncount = malloc((n ? n : 1) * sizeof *ncount);
    size_t *which = malloc((n ? n : 1) * sizeof *which);
    float *fvec = NULL;
    int rc = key && nfirst && ncount && which ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        key[i] = dp_sentcache_key(toks, first[i], count[i]);
        if (!dp_sentcache_get(s->cache, key[i], d->sq + i * dim, &d->sscale[i]))
            which[n_new] = i, nfirst[n_new] = first[i], ncount[n_new++] = count[i];
    }
    if (!rc && n_new && !(fvec = malloc(n_new * dim * sizeof *fvec)))
        rc = DOPPEL_ERR_NOMEM;
    if (!rc && n_new)
        rc = dp_encoder_encode_tokens_on(s->enc, enc_threads, toks, nfirst, ncount, n_new, fvec, diag);
    for (size_t j = 0; j < n_new && !rc; j++) {
        size_t i = which[j];
        /* int8 with one scale per sentence, as a model's int8 table (max |x| maps to 127) */
        dp_int8_quantize(d->sq + i * dim, &d->sscale[i], fvec + j * dim, 1, dim);
        rc = dp_sentcache_put(s->cache, key[i], d->sq + i * dim, d->sscale[i]);
    }
    free(key), free(nfirst), free(ncount), free(which), free(fvec);
    return rc;
}

/* Decodes, tokenizes, splits and encodes one text into d (encode_sentences' enc_threads). */
static int prepare(dp_sweep *s, const char *bytes, size_t len, dp_sweep_doc *d, int enc_threads, doppel_diag *diag)
{
    dp_text text = {0};
    dp_tokens toks = {0};
    dp_sentences sents = {0};
    uint8_t *tok_mark = NULL;
    size_t *sfirst = NULL, *scount = NULL;
    int rc = dp_text_decode(&text, bytes, len, DP_ENC_AUTO, diag);
    d->invalid = text.invalid_count;
    d->first_invalid = text.first_invalid;
    if (rc == DOPPEL_OK)
        rc = dp_tokenize(s->tk, &text, 0, text.len, &toks);
    if (rc == DOPPEL_OK)
        rc = dp_split_sentences(&text, &toks, &sents);
    if (rc)
        goto done;
    tok_mark = calloc(toks.n ? toks.n : 1, 1);
    d->words = malloc((toks.n ? toks.n : 1) * sizeof *d->words);
    d->skip = calloc(dp_skip_bytes(toks.n ? toks.n : 1), 1);
    d->sents = malloc((sents.n ? sents.n : 1) * sizeof *d->sents);
    sfirst = malloc((sents.n ? sents.n : 1) * sizeof *sfirst);
    scount = malloc((sents.n ? sents.n : 1) * sizeof *scount);
    if (!tok_mark || !d->words || !d->skip || !d->sents || !sfirst || !scount) {
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
            uint64_t h = dp_hash64(dp_token_norm(&toks, t), toks.v[t].norm_len, WORD_HASH_SEED);
            d->words[d->n_words] = (uint32_t)(h ^ h >> 32);
            if (tok_mark[t])
                dp_skip_set(d->skip, d->n_words);
            marked += tok_mark[t];
            d->n_words++;
        }
        size_t words = d->n_words - first_word;
        if (words == 0)
            continue;
        d->sents[d->n_sents] = (dp_sent_info){st->start, st->end, (uint32_t)words, (uint32_t)first_word,
                                             (uint8_t)(2 * marked >= words), 0};
        sfirst[d->n_sents] = st->tok_begin;
        scount[d->n_sents] = st->tok_end - st->tok_begin;
        d->n_sents++;
    }
    if (d->n_words == 0) {
        rc = dp_diag_set(diag, DOPPEL_ERR_EMPTY, DP_NO_POS, DP_NO_POS, "no words in the text");
        goto done;
    }
    /* kept for the whole sweep: trimmed from the token count to the word count */
    shrink((void **)&d->words, d->n_words * sizeof *d->words);
    shrink((void **)&d->skip, dp_skip_bytes(d->n_words));
    shrink((void **)&d->sents, d->n_sents * sizeof *d->sents);
    if (s->dim && !s->enc) {
        rc = dp_diag_set(diag, DOPPEL_ERR_MODEL_MISMATCH, DP_NO_POS, DP_NO_POS, "no model to encode with");
        goto done;
    }
    if (s->dim) {
        d->sq = malloc(d->n_sents * s->dim);
        d->sscale = malloc(d->n_sents * sizeof *d->sscale);
        d->dvec = calloc(s->dim, sizeof *d->dvec);
        if (!d->sq || !d->sscale || !d->dvec) {
            rc = DOPPEL_ERR_NOMEM;
            goto done;
        }
        rc = encode_sentences(s, d, &toks, sfirst, scount, enc_threads, diag);
    }
done:
    free(tok_mark), free(sfirst), free(scount);
    dp_sentences_free(&sents);
    dp_tokens_free(&toks);
    dp_text_free(&text);
    return rc;
}

static int grow_docs(dp_sweep_doc **v, size_t n, size_t *cap)
{
    return DP_GROW(*v, *cap, n + 1, 64);
}

/* The one exclusion rule: a sentence at least half of whose words are skipped (template,
 * quotation, references, boilerplate) is not evidence. A document's own marks (bits), a
 * run's and a pair's (run_sentences; a byte a word) all go through it. */
static bool mostly_skipped(const dp_sent_info *si, const uint8_t *skip, bool bits)
{
    size_t skipped = 0;
    for (size_t w = si->tok_begin; w < si->tok_begin + si->words; w++)
        skipped += bits ? (size_t)dp_skip_get(skip, w) : skip[w];
    return 2 * skipped >= si->words;
}

/* Sentences mostly made of skipped words are excluded; the document vector is the
 * normalised mean of the remaining sentence vectors as kept (int8 times scale), so it
 * is the same whether a vector was encoded or taken from the cache. */
static void finish_doc(const dp_sweep *s, dp_sweep_doc *d)
{
    for (size_t i = 0; i < d->n_sents; i++)
        if (mostly_skipped(&d->sents[i], d->skip, true))
            d->sents[i].excluded = 1;
    if (!s->dim)
        return;
    memset(d->dvec, 0, s->dim * sizeof *d->dvec);
    for (size_t i = 0; i < d->n_sents; i++)
        if (!d->sents[i].excluded)
            for (size_t k = 0; k < s->dim; k++)
                d->dvec[k] += (float)d->sq[i * s->dim + k] * d->sscale[i];
    double norm = 0;
    for (size_t k = 0; k < s->dim; k++)
        norm += (double)d->dvec[k] * d->dvec[k];
    if (norm > 0)
        for (size_t k = 0; k < s->dim; k++)
            d->dvec[k] = (float)(d->dvec[k] / sqrt(norm));
}

int dp_sweep_add_template(dp_sweep *s, const char *bytes, size_t len, doppel_diag *diag)
{
    if (s->n_docs)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "templates must come before documents");
    int rc = grow_docs(&s->templates, s->n_templates, &s->cap_templates);
    if (rc)
        return rc;
    dp_sweep_doc *t = &s->templates[s->n_templates];
    memset(t, 0, sizeof *t);
    if ((rc = prepare(s, bytes, len, t, 0, diag))) {
        dp_sweep_doc_free(t);
        return rc;
    }
    finish_doc(s, t);
    s->n_templates++;
    return DOPPEL_OK;
}

/* Template evidence is not evidence: words in runs shared with a template are skipped,
 * and sentences close in meaning to a template sentence are excluded. */
static int apply_templates(dp_sweep *s, dp_sweep_doc *d)
{
    for (size_t t = 0; t < s->n_templates; t++) {
        const dp_sweep_doc *tp = &s->templates[t];
        dp_run *runs;
        size_t n;
        int rc = dp_find_runs(d->words, d->n_words, NULL, tp->words, tp->n_words, NULL, s->opts.k, &runs, &n);
        if (rc)
            return rc;
        for (size_t r = 0; r < n; r++)
            for (size_t w = runs[r].a_tok; w < (size_t)runs[r].a_tok + runs[r].len; w++)
                dp_skip_set(d->skip, w);
        free(runs);
        if (!s->dim)
            continue;
        float *sims = malloc((d->n_sents * tp->n_sents + (d->n_sents + tp->n_sents) * s->dim) * sizeof *sims);
        if (!sims)
            return DOPPEL_ERR_NOMEM;
        sentence_sims(d, d->sq, tp, tp->sq, s->dim, sims + d->n_sents * tp->n_sents, sims);
        for (size_t i = 0; i < d->n_sents; i++)
            for (size_t j = 0; j < tp->n_sents; j++)
                if (sims[i * tp->n_sents + j] >= s->opts.template_sim)
                    d->sents[i].excluded = 1;
        free(sims);
    }
    return DOPPEL_OK;
}

/* A document as it is kept: prepared, template evidence marked, finished. */
static int make_doc(dp_sweep *s, const char *id, const char *bytes, size_t len, int is_reference,
                    dp_sweep_doc *d, int enc_threads, doppel_diag *diag)
{
    memset(d, 0, sizeof *d);
    d->is_ref = is_reference;
    d->text_crc = dp_crc32c(0, bytes, len);
    d->has_sum = 1;
    d->text_len = len;
    d->id = strdup(id);
    int rc = d->id ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    if (!rc)
        rc = prepare(s, bytes, len, d, enc_threads, diag);
    if (!rc)
        rc = apply_templates(s, d);
    if (!rc)
        finish_doc(s, d);
    if (rc)
        dp_sweep_doc_free(d);
    return rc;
}

/* A made document kept as number n_docs (its vectors spilled when the sweep spills);
 * freed when it cannot be. */
static int keep_doc(dp_sweep *s, dp_sweep_doc *d, doppel_diag *diag)
{
    int rc = grow_docs(&s->docs, s->n_docs, &s->cap_docs);
    if (!rc && s->spill_fd >= 0)
        rc = spill(s, d, diag);
    if (rc) {
        dp_sweep_doc_free(d);
        return rc;
    }
    s->docs[s->n_docs++] = *d;
    fpx_drop(s);
    return DOPPEL_OK;
}

int dp_sweep_add(dp_sweep *s, const char *id, const char *bytes, size_t len, int is_reference,
                 doppel_diag *diag)
{
    dp_sweep_doc d;
    int rc = make_doc(s, id, bytes, len, is_reference, &d, 0, diag);
    return rc ? rc : keep_doc(s, &d, diag);
}

/* Workers of a sweep's parallel stages: opts.threads within 1..DP_SWEEP_MAX_THREADS. */
static size_t workers_of(const dp_sweep *s)
{
    return s->opts.threads < 1 ? 1 : s->opts.threads > DP_SWEEP_MAX_THREADS ? DP_SWEEP_MAX_THREADS : s->opts.threads;
}

/* Items taken in turn by the workers of dp_sweep_add_many, each made into docs[i]. */
typedef struct add_job {
    dp_sweep *s;
    dp_sweep_add_item *items;
    dp_sweep_doc *docs;
    size_t n;
    atomic_size_t *next;
    int enc_threads;
} add_job;

static void *add_worker(void *arg)
{
    add_job *j = arg;
    for (size_t i; (i = atomic_fetch_add(j->next, 1)) < j->n;) {
        dp_sweep_add_item *it = &j->items[i];
        dp_diag_clear(&it->diag);
        it->rc = make_doc(j->s, it->id, it->bytes, it->len, it->is_reference, &j->docs[i], j->enc_threads, &it->diag);
    }
    return NULL;
}

/* The documents of items[0, n) made into docs[0, n) on `workers` threads (within
 * 1..DP_SWEEP_MAX_THREADS; NULL when out of memory). */
static dp_sweep_doc *make_docs(dp_sweep *s, dp_sweep_add_item *items, size_t n, size_t workers)
{
    dp_sweep_doc *docs = calloc(n ? n : 1, sizeof *docs);
    if (!docs)
        return NULL;
    workers = workers < 1 ? 1 : workers > DP_SWEEP_MAX_THREADS ? DP_SWEEP_MAX_THREADS : workers;
    workers = workers < n ? workers : n;
    atomic_size_t next = 0;
    add_job jobs[DP_SWEEP_MAX_THREADS];
    /* several documents at once encode on one thread each; one alone on the encoder's */
    for (size_t w = 0; w < workers; w++)
        jobs[w] = (add_job){s, items, docs, n, &next, workers > 1 ? 1 : 0};
    dp_workers_run(jobs, sizeof *jobs, workers, add_worker);
    return docs;
}

int dp_sweep_add_many(dp_sweep *s, dp_sweep_add_item *items, size_t n)
{
    return dp_sweep_add_many_on(s, items, n, workers_of(s));
}

int dp_sweep_add_many_on(dp_sweep *s, dp_sweep_add_item *items, size_t n, size_t workers)
{
    dp_sweep_doc *docs = make_docs(s, items, n, workers);
    if (!docs)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!items[i].rc && !(items[i].rc = keep_doc(s, &docs[i], &items[i].diag)))
            items[i].index = s->n_docs - 1;
    free(docs);
    return DOPPEL_OK;
}

int dp_sweep_insert(dp_sweep *s, dp_sweep_doc *d, int is_template)
{
    if ((s->dim != 0) != (d->sq != NULL) || (d->dvec != NULL) != (d->sq != NULL) ||
        (d->sscale != NULL) != (d->sq != NULL) || d->n_words == 0 ||
        (is_template ? s->n_docs > 0 : d->id == NULL))
        return DOPPEL_ERR_INVALID;
    int rc = is_template ? grow_docs(&s->templates, s->n_templates, &s->cap_templates)
                         : grow_docs(&s->docs, s->n_docs, &s->cap_docs);
    if (rc)
        return rc;
    if (is_template)
        s->templates[s->n_templates++] = *d;
    else
        s->docs[s->n_docs++] = *d;
    memset(d, 0, sizeof *d);
    fpx_drop(s);
    return DOPPEL_OK;
}

int dp_sweep_attach_encoder(dp_sweep *s, dp_encoder *enc, size_t out_dim)
{
    if (s->dim || s->n_templates || !enc || !out_dim || dp_encoder_tokenizer_opts(enc).strip_accents != s->strip_accents)
        return DOPPEL_ERR_INVALID;
    int rc = dp_sentcache_create(&s->cache, out_dim, DP_SENTCACHE_BYTES);
    if (rc)
        return rc;
    s->enc = enc, s->dim = out_dim;
    passage_opts(&s->popts, &s->opts, out_dim);
    return DOPPEL_OK;
}

/* Document i's vectors from t, made again from its text (freed). */
static int take_vectors(dp_sweep *s, size_t i, dp_sweep_doc *t, doppel_diag *diag)
{
    dp_sweep_doc *d = &s->docs[i];
    int rc = DOPPEL_OK;
    if (t->n_words != d->n_words || t->n_sents != d->n_sents || memcmp(t->words, d->words, d->n_words * sizeof *d->words))
        rc = dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "the text is not the one added");
    if (!rc) {
        d->sq = t->sq, d->sscale = t->sscale, d->dvec = t->dvec;
        t->sq = NULL, t->sscale = NULL, t->dvec = NULL;
    }
    dp_sweep_doc_free(t);
    if (!rc && s->spill_fd >= 0)
        rc = spill(s, d, diag);
    return rc;
}

int dp_sweep_encode_many(dp_sweep *s, dp_sweep_add_item *items, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const dp_sweep_doc *d = items[k].index < s->n_docs ? &s->docs[items[k].index] : NULL;
        if (!s->dim || !d || d->sq || d->sq_spilled)
            return DOPPEL_ERR_INVALID;
        items[k].id = d->id, items[k].is_reference = d->is_ref;
    }
    dp_sweep_doc *docs = make_docs(s, items, n, workers_of(s));
    if (!docs)
        return DOPPEL_ERR_NOMEM;
    for (size_t k = 0; k < n; k++)
        if (!items[k].rc)
            items[k].rc = take_vectors(s, items[k].index, &docs[k], &items[k].diag);
    free(docs);
    return DOPPEL_OK;
}

size_t dp_sweep_find(const dp_sweep *s, const char *id)
{
    for (size_t i = 0; i < s->n_docs; i++)
        if (strcmp(s->docs[i].id, id) == 0)
            return i;
    return SIZE_MAX;
}

int dp_sweep_remove(dp_sweep *s, const char *id)
{
    size_t i = dp_sweep_find(s, id);
    if (i == SIZE_MAX)
        return DOPPEL_ERR_NOT_FOUND;
    dp_sweep_remove_at(s, i);
    return DOPPEL_OK;
}

void dp_sweep_remove_at(dp_sweep *s, size_t i)
{
    dp_sweep_doc_free(&s->docs[i]);
    memmove(s->docs + i, s->docs + i + 1, (s->n_docs - i - 1) * sizeof *s->docs);
    s->n_docs--;
    fpx_drop(s);
}

void dp_sweep_keep(dp_sweep *s, size_t first, size_t last)
{
    last = last < s->n_docs ? last : s->n_docs;
    first = first < last ? first : last;
    for (size_t i = 0; i < s->n_docs; i++)
        if (i < first || i >= last)
            dp_sweep_doc_free(&s->docs[i]);
    if (last > first) /* an empty sweep may have no array at all */
        memmove(s->docs, s->docs + first, (last - first) * sizeof *s->docs);
    s->n_docs = last - first;
    fpx_drop(s);
}

int dp_sweep_take(dp_sweep *s, dp_sweep *src, size_t first, size_t last)
{
    last = last < src->n_docs ? last : src->n_docs;
    first = first < last ? first : last;
    if (s->dim != src->dim)
        return DOPPEL_ERR_INVALID;
    while (s->cap_docs < s->n_docs + (last - first)) /* room first: a failure moves nothing */
        if (grow_docs(&s->docs, s->cap_docs, &s->cap_docs))
            return DOPPEL_ERR_NOMEM;
    for (size_t i = first; i < last; i++)
        s->docs[s->n_docs++] = src->docs[i];
    if (src->n_docs > last) /* an empty sweep may have no array at all */
        memmove(src->docs + first, src->docs + last, (src->n_docs - last) * sizeof *src->docs);
    src->n_docs -= last - first;
    fpx_drop(s), fpx_drop(src);
    return DOPPEL_OK;
}

dp_sentcache *dp_sweep_sentcache(dp_sweep *s) { return s->cache; }
size_t dp_sweep_count(const dp_sweep *s) { return s->n_docs; }
size_t dp_sweep_dim(const dp_sweep *s) { return s->dim; }
const dp_sweep_doc *dp_sweep_doc_at(const dp_sweep *s, size_t i) { return &s->docs[i]; }
size_t dp_sweep_template_count(const dp_sweep *s) { return s->n_templates; }
const dp_sweep_doc *dp_sweep_template_at(const dp_sweep *s, size_t i) { return &s->templates[i]; }
void dp_sweep_set_reference(dp_sweep *s, size_t i, int is_reference) { s->docs[i].is_ref = is_reference; }

void dp_sweep_set_group(dp_sweep *s, size_t i, uint32_t group) { s->docs[i].group = group; }

size_t dp_sweep_doc_excluded(const dp_sweep_doc *d, uint64_t *spans)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_sents; i++) {
        if (!d->sents[i].excluded)
            continue;
        if (n && i > 0 && d->sents[i - 1].excluded) /* runs of excluded sentences: one span */
            spans[2 * n - 1] = d->sents[i].end;
        else
            spans[2 * n] = d->sents[i].start, spans[2 * n + 1] = d->sents[i].end, n++;
    }
    return n;
}

int dp_sweep_set_origin(dp_sweep *s, size_t i, const char *source, int extracted)
{
    s->docs[i].extracted = extracted != 0;
    char *copy = source ? strdup(source) : NULL;
    if (source && !copy)
        return DOPPEL_ERR_NOMEM;
    free(s->docs[i].source);
    s->docs[i].source = copy;
    return DOPPEL_OK;
}
const dp_sweep_opts *dp_sweep_get_opts(const dp_sweep *s) { return &s->opts; }

int dp_sweep_set_opts(dp_sweep *s, const dp_sweep_opts *o)
{
    const dp_sweep_opts *c = &s->opts;
    int kept_changes = o->k != c->k || o->template_sim != c->template_sim || o->ignore_quotes != c->ignore_quotes ||
                       o->ignore_references != c->ignore_references;
    if (kept_changes && (s->n_docs || s->n_templates))
        return DOPPEL_ERR_INVALID;
    s->opts = *o;
    passage_opts(&s->popts, o, s->dim);
    fpx_drop(s);
    return DOPPEL_OK;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Winnowing with noise threshold k = opts.k and guarantee threshold t = k + WINNOW_EXTRA:
 * every run of t or more words shared by documents yields a shared fingerprint. */
#define WINNOW_EXTRA 6

static int doc_fingerprints(const dp_sweep *s, const dp_sweep_doc *d, dp_fingerprint **fp, size_t *n)
{
    dp_winnow_opts wo = {.k = s->opts.k, .t = s->opts.k + WINNOW_EXTRA, .seed = WORD_HASH_SEED};
    return dp_winnow(d->words, d->n_words, &wo, fp, n);
}

/* Fingerprints of items [lo, hi) (templates, then documents) into fp[i - first],
 * n[i - first], made by one worker. */
typedef struct fp_job {
    const dp_sweep *s;
    size_t lo, hi, first;
    dp_fingerprint **fp;
    size_t *n;
    int rc;
} fp_job;

static void *fp_worker(void *arg)
{
    fp_job *j = arg;
    const dp_sweep *s = j->s;
    for (size_t i = j->lo; i < j->hi && !j->rc; i++)
        j->rc = doc_fingerprints(s, i < s->n_templates ? &s->templates[i] : &s->docs[i - s->n_templates],
                                 &j->fp[i - j->first], &j->n[i - j->first]);
    return NULL;
}

/* Items fingerprinted at once on the workers, then added to the index in order. */
#define FP_CHUNK 1024

/* The fingerprint index of every document and template (the same whatever the threads:
 * each document's fingerprints are its own, and they are added in document order). */
static int fpx_build(dp_sweep *s)
{
    if (s->fpx)
        return DOPPEL_OK;
    size_t total = s->n_templates + s->n_docs, workers = workers_of(s);
    dp_fingerprint **fp = calloc(FP_CHUNK, sizeof *fp);
    size_t *nfp = calloc(FP_CHUNK, sizeof *nfp);
    dp_fpindex *ix = NULL;
    int rc = fp && nfp ? dp_fpindex_create(&ix) : DOPPEL_ERR_NOMEM;
    for (size_t c0 = 0; c0 < total && !rc; c0 += FP_CHUNK) {
        size_t c1 = total - c0 < FP_CHUNK ? total : c0 + FP_CHUNK;
        fp_job jobs[DP_SWEEP_MAX_THREADS];
        for (size_t w = 0; w < workers; w++)
            jobs[w] = (fp_job){s, c0 + (c1 - c0) * w / workers, c0 + (c1 - c0) * (w + 1) / workers, c0, fp, nfp,
                               DOPPEL_OK};
        dp_workers_run(jobs, sizeof *jobs, workers, fp_worker);
        for (size_t w = 0; w < workers; w++)
            rc = rc ? rc : jobs[w].rc;
        for (size_t i = c0; i < c1; i++) {
            uint32_t num;
            if (!rc)
                rc = i < s->n_templates ? dp_fpindex_add_template(ix, fp[i - c0], nfp[i - c0])
                                        : dp_fpindex_add(ix, fp[i - c0], nfp[i - c0], &num);
            free(fp[i - c0]);
            fp[i - c0] = NULL;
        }
    }
    free(fp), free(nfp);
    if (!rc)
        rc = dp_fpindex_finalize(ix);
    if (rc) {
        dp_fpindex_free(ix);
        return rc;
    }
    s->fpx = ix;
    return DOPPEL_OK;
}

int dp_sweep_prepare(dp_sweep *s) { return fpx_build(s); }

/*
 * What a document counts as evidence in this run: its own marks, plus the words around
 * fingerprints found in more than max_docs documents (boilerplate) — counted over the
 * sweep and, for a query, the query document's fingerprint hashes qk[n_qk] (sorted,
 * unique). A boilerplate fingerprint at word p skips words [p - (w-1), p + k + w - 1)
 * (w = t - k + 1, the winnowing window): consecutive fingerprints of a shared run are
 * at most w apart, so a boilerplate run of t or more words is skipped whole, and its
 * ends (up to w - 1 words before the first and after the last fingerprint) with it.
 * Sentences mostly made of skipped words are excluded.
 */
void dp_sweep_set_counts(dp_sweep *s, uint64_t *hashes, uint32_t *counts, size_t n)
{
    free(s->count_hash), free(s->count);
    s->count_hash = hashes, s->count = counts, s->n_counts = n;
}

/* Documents holding fingerprint hash h (DP_FP_TEMPLATE: template text): from the
 * table of a split corpus, else from the index of this sweep's documents. */
static uint32_t fp_count(const dp_sweep *s, uint64_t h)
{
    if (!s->count_hash)
        return dp_fpindex_count(s->fpx, h);
    const uint64_t *at = bsearch(&h, s->count_hash, s->n_counts, sizeof h, cmp_u64);
    return at ? s->count[at - s->count_hash] : 0;
}

typedef struct run_doc {
    uint8_t *skip;     /* [dp_skip_bytes(n_words)] bits (sweep/skipbits.h) */
    dp_fingerprint *common; /* [n_common] its boilerplate fingerprints, in position order, when
                             * kept (common passages are reported), else NULL */
    size_t n_common;
    uint32_t *rare;    /* [n_rare] positions of its other fingerprints (only with n_common) */
    size_t n_rare;
    uint64_t sig[DP_DUPSIG_BANDS]; /* its near-duplicate signature */
} run_doc;

static void run_doc_free(run_doc *r)
{
    free(r->skip), free(r->common), free(r->rare);
    *r = (run_doc){0};
}

/*
 * Whether common fingerprint c of fp[n] (in position order) has no other within win
 * positions: a phrase found in many documents (at 50,000 documents, five words of a verse
 * recurring across translations), not a passage, which has a fingerprint in every window.
 * Such a phrase's window around it is the document's own text, and near-duplicates
 * (opts.whole_runs) keep it as evidence: the 17 words it took made most of an edited
 * copy common, its edits leaving no own run long enough to bridge the rest.
 */
static bool lone_common(const dp_fingerprint *fp, size_t n, size_t c, size_t win)
{
    return (c == 0 || fp[c].pos - fp[c - 1].pos > win) && (c + 1 == n || fp[c + 1].pos - fp[c].pos > win);
}

/* keep_common: the boilerplate fingerprints are kept (to report common passages). */
static int run_doc_make(const dp_sweep *s, const dp_sweep_doc *d, const uint64_t *qk, size_t n_qk, int keep_common,
                        run_doc *r)
{
    size_t k = s->opts.k;
    uint8_t *skip = malloc(d->n_words);
    r->skip = calloc(dp_skip_bytes(d->n_words), 1);
    if (!skip || !r->skip) {
        free(skip);
        run_doc_free(r);
        return DOPPEL_ERR_NOMEM;
    }
    dp_skip_unpack(d->skip, d->n_words, skip);
    dp_fingerprint *fp;
    size_t n_fp, win = WINNOW_EXTRA + 1;
    uint64_t *hashes = NULL;
    if (doc_fingerprints(s, d, &fp, &n_fp) ||
        !(hashes = malloc((n_fp ? n_fp : 1) * sizeof *hashes)) || !(r->rare = malloc((n_fp ? n_fp : 1) * sizeof *r->rare))) {
        free(hashes), free(skip);
        run_doc_free(r);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t f = 0; f < n_fp; f++)
        hashes[f] = fp[f].hash;
    dp_dupsig(hashes, n_fp, r->sig);
    free(hashes);
    for (size_t f = 0; f < n_fp; f++) {
        uint64_t h = fp[f].hash;
        uint32_t df = fp_count(s, h);
        if (df == DP_FP_TEMPLATE)
            continue; /* template text: already skipped where it is a verbatim run */
        df += n_qk && bsearch(&h, qk, n_qk, sizeof *qk, cmp_u64) ? 1 : 0;
        if (df <= s->opts.max_docs) {
            r->rare[r->n_rare++] = fp[f].pos;
            continue;
        }
        fp[r->n_common++] = fp[f]; /* f >= n_common: kept in place */
    }
    for (size_t c = 0; c < r->n_common; c++) {
        size_t pos = fp[c].pos, room = win - 1;
        if (s->opts.whole_runs && lone_common(fp, r->n_common, c, win))
            room = 0;
        size_t from = pos >= room ? pos - room : 0, to = pos + k + room;
        memset(skip + from, 1, (to < d->n_words ? to : d->n_words) - from);
    }
    /* kept for the whole run: trimmed from the winnowing's room to what is held (the room
     * is about 8 KiB for 500 words, more than the rest of the document's state) */
    if (r->n_common && keep_common) {
        r->common = fp;
        shrink((void **)&r->common, r->n_common * sizeof *r->common);
    } else {
        free(fp);
    }
    if (r->n_common) {
        shrink((void **)&r->rare, (r->n_rare ? r->n_rare : 1) * sizeof *r->rare);
    } else { /* rare positions matter only beside common ones (pair_skips) */
        free(r->rare);
        r->rare = NULL, r->n_rare = 0;
    }
    for (size_t w = 0; w < d->n_words; w++)
        if (skip[w])
            dp_skip_set(r->skip, w);
    free(skip);
    return DOPPEL_OK;
}

typedef struct pair_list {
    uint32_t (*v)[2];
    size_t n, cap;
} pair_list;

static int pair_push(pair_list *p, uint32_t a, uint32_t b)
{
    if (DP_GROW(p->v, p->cap, p->n + 1, 256))
        return DOPPEL_ERR_NOMEM;
    p->v[p->n][0] = a < b ? a : b;
    p->v[p->n][1] = a < b ? b : a;
    p->n++;
    return DOPPEL_OK;
}

static int comparable(const dp_sweep *s, uint32_t a, uint32_t b)
{
    return a != b && !(s->docs[a].is_ref && s->docs[b].is_ref) &&
           !(s->docs[a].group && s->docs[a].group == s->docs[b].group);
}

static int cmp_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

static void pairs_unique(pair_list *p)
{
    if (p->n)
        qsort(p->v, p->n, sizeof *p->v, cmp_pair);
    size_t u = 0;
    for (size_t i = 0; i < p->n; i++)
        if (u == 0 || cmp_pair(p->v[u - 1], p->v[i]) != 0) {
            p->v[u][0] = p->v[i][0], p->v[u][1] = p->v[i][1];
            u++;
        }
    p->n = u;
}

/*
 * Near pairs by document vector over X [n][dim] (the sweep's documents, and a query
 * as row n - 1 when query is set): rows cut into opts.shards shards, each shard's
 * row × column-shard blocks computed on their own and merged, as separate machines
 * would; the candidates are the same whatever the cut.
 */
void dp_sweep_near_opts(const dp_sweep *s, const uint8_t *is_ref, dp_allpairs_opts *ao)
{
    float min_sim = s->opts.near_sim > 0 ? s->opts.near_sim : 2.0f; /* 2: above every cosine */
    *ao = (dp_allpairs_opts){.top_k = s->opts.top_k, .min_sim = min_sim, .is_reference = is_ref};
}

/* Row shards w, w + workers, ... of near_pairs, each against every column shard, by one
 * worker into res[r]. */
typedef struct near_job {
    const float *X;
    size_t n, dim, r_begin, rows, row_shards, col_shards, w, workers;
    const dp_allpairs_opts *ao;
    dp_allpairs_result *res;
    int rc;
} near_job;

static void *near_worker(void *arg)
{
    near_job *j = arg;
    for (size_t r = j->w; r < j->row_shards && !j->rc; r += j->workers) {
        size_t r0 = j->r_begin + j->rows * r / j->row_shards, r1 = j->r_begin + j->rows * (r + 1) / j->row_shards;
        for (size_t c = 0; c < j->col_shards && !j->rc; c++) {
            size_t c0 = j->n * c / j->col_shards, c1 = j->n * (c + 1) / j->col_shards;
            if (c == 0) {
                j->rc = dp_allpairs_block(j->X, j->n, j->dim, r0, r1, c0, c1, j->ao, &j->res[r]);
                continue;
            }
            dp_allpairs_result part;
            j->rc = dp_allpairs_block(j->X, j->n, j->dim, r0, r1, c0, c1, j->ao, &part);
            if (!j->rc)
                j->rc = dp_allpairs_merge(&j->res[r], &part);
            dp_allpairs_result_free(&part);
        }
    }
    return NULL;
}

static int near_pairs(const dp_sweep *s, const float *X, size_t n, const uint8_t *is_ref, int query, pair_list *out)
{
    dp_allpairs_opts ao;
    dp_sweep_near_opts(s, is_ref, &ao);
    size_t r_begin = query ? n - 1 : 0, rows = n - r_begin;
    size_t shards = s->opts.shards > 1 ? s->opts.shards : 1;
    if (shards > rows)
        shards = rows ? rows : 1;
    /* rows cut for the workers too: the candidates are the same whatever the cut */
    size_t workers = workers_of(s), row_shards = shards > workers ? shards : workers;
    if (row_shards > rows)
        row_shards = rows ? rows : 1;
    workers = workers < row_shards ? workers : row_shards;
    dp_allpairs_result *res = calloc(row_shards, sizeof *res);
    if (!res)
        return DOPPEL_ERR_NOMEM;
    near_job jobs[DP_SWEEP_MAX_THREADS];
    for (size_t w = 0; w < workers; w++)
        jobs[w] = (near_job){X, n, s->dim, r_begin, rows, row_shards, shards, w, workers, &ao, res, DOPPEL_OK};
    dp_workers_run(jobs, sizeof *jobs, workers, near_worker);
    int rc = DOPPEL_OK;
    for (size_t w = 0; w < workers; w++)
        rc = rc ? rc : jobs[w].rc;
    uint32_t(*near)[2] = NULL;
    size_t n_near = 0;
    if (!rc)
        rc = dp_allpairs_candidates(res, row_shards, &near, &n_near);
    for (size_t p = 0; p < n_near && !rc; p++)
        rc = pair_push(out, near[p][0], near[p][1]);
    free(near);
    for (size_t r = 0; r < row_shards; r++)
        dp_allpairs_result_free(&res[r]);
    free(res);
    return rc;
}

/* The document-vector matrix [n_docs + extra][dim] and reference flags, the last
 * `extra` rows left for the caller. */
static int doc_matrix(const dp_sweep *s, size_t extra, float **X, uint8_t **is_ref)
{
    size_t n = s->n_docs + extra;
    *X = malloc((n ? n : 1) * s->dim * sizeof **X);
    *is_ref = calloc(n ? n : 1, 1);
    if (!*X || !*is_ref) {
        free(*X), free(*is_ref);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < s->n_docs; i++) {
        memcpy(*X + i * s->dim, s->docs[i].dvec, s->dim * sizeof **X);
        (*is_ref)[i] = (uint8_t)s->docs[i].is_ref;
    }
    return DOPPEL_OK;
}

/* Every comparable pair, or (large corpora) the candidates: pairs sharing fingerprints
 * held by at most max_docs documents (not template text) and pairs whose document
 * vectors are near (top-k and the sentence threshold). */
/*
 * Every pair or the candidates, by estimated alignment cost: a pair costs about
 * PAIR_COST + (sentences of a) x (sentences of b) (the sentence similarities, and a fixed
 * part for the word runs and the report). Every pair is compared, within all_pairs_limit
 * documents, when that costs at most twice the candidates plus ALLPAIRS_FREE (about a
 * second of alignment): small corpora get the exhaustive answer, and a corpus below the
 * limit never costs more than a larger one above it (a fixed document count made 2000
 * short documents align 2M pairs, slower than 6000 taking the candidates).
 */
#define PAIR_COST 32.0
#define ALLPAIRS_FREE 4e6

static double pair_cost(const dp_sweep *s, uint32_t a, uint32_t b)
{
    return PAIR_COST + (double)s->docs[a].n_sents * (double)s->docs[b].n_sents;
}

static int every_pair(dp_sweep *s, pair_list *out)
{
    int rc = DOPPEL_OK;
    for (uint32_t a = 0; a < s->n_docs && !rc; a++)
        for (uint32_t b = a + 1; b < s->n_docs && !rc; b++)
            if (comparable(s, a, b))
                rc = pair_push(out, a, b);
    return rc;
}

/* Whether comparing every pair costs little enough beside the candidates cand (NULL: at
 * most ALLPAIRS_FREE, so the candidates need not be looked for). */
static int every_pair_affordable(const dp_sweep *s, const pair_list *cand)
{
    if (s->n_docs > s->opts.all_pairs_limit)
        return 0;
    double c_cand = 0, c_all = 0;
    for (size_t p = 0; cand && p < cand->n; p++)
        c_cand += pair_cost(s, cand->v[p][0], cand->v[p][1]);
    for (uint32_t a = 0; a < s->n_docs; a++)
        for (uint32_t b = a + 1; b < s->n_docs; b++)
            if (comparable(s, a, b) && (c_all += pair_cost(s, a, b)) > 2 * c_cand + ALLPAIRS_FREE)
                return 0;
    return 1;
}

/* Pairs of documents whose near-duplicate signatures (rd[].sig) share a band. */
static int dup_pairs(const dp_sweep *s, const run_doc *rd, pair_list *out)
{
    uint64_t *keys = malloc((s->n_docs ? s->n_docs : 1) * sizeof rd->sig);
    if (!keys)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < s->n_docs; i++)
        memcpy(keys + i * DP_DUPSIG_BANDS, rd[i].sig, sizeof rd->sig);
    uint32_t(*p)[2];
    size_t n;
    int rc = dp_dupsig_pairs(keys, s->n_docs, &p, &n);
    free(keys);
    for (size_t i = 0; i < n && !rc; i++)
        if (comparable(s, p[i][0], p[i][1]))
            rc = pair_push(out, p[i][0], p[i][1]);
    if (!rc)
        free(p);
    return rc;
}

static int candidate_pairs(dp_sweep *s, const run_doc *rd, pair_list *out, dp_sweep_stats *stats)
{
    if (s->opts.all_pairs || every_pair_affordable(s, NULL))
        return every_pair(s, out);
    dp_fp_pair *fpp;
    size_t n_fpp;
    int rc = dp_fpindex_pairs(s->fpx, s->opts.max_docs, 1, &fpp, &n_fpp);
    if (rc)
        return rc;
    for (size_t p = 0; p < n_fpp && !rc; p++)
        if (comparable(s, fpp[p].a, fpp[p].b))
            rc = pair_push(out, fpp[p].a, fpp[p].b);
    free(fpp);
    if (!rc) /* (near-)copies, whatever max_docs says */
        rc = dup_pairs(s, rd, out);
    if (!rc && s->dim) {
        float *X;
        uint8_t *is_ref;
        if ((rc = doc_matrix(s, 0, &X, &is_ref)))
            return rc;
        double t0 = now_seconds();
        rc = near_pairs(s, X, s->n_docs, is_ref, 0, out);
        stats->seconds_allpairs = now_seconds() - t0;
        stats->allpairs_flops = 2.0 * (double)s->n_docs * (double)s->n_docs * (double)s->dim;
        free(X), free(is_ref);
    }
    if (!rc) {
        pairs_unique(out);
        size_t n = 0; /* near pairs of one group */
        for (size_t p = 0; p < out->n; p++)
            if (comparable(s, out->v[p][0], out->v[p][1]))
                memcpy(out->v[n++], out->v[p], sizeof out->v[p]);
        out->n = n;
    }
    if (!rc && every_pair_affordable(s, out)) {
        out->n = 0;
        rc = every_pair(s, out);
    }
    return rc;
}

/* The sentence of each word [n_words], from the sentences' partition of the words. */
static void word_sentences(const dp_sweep_doc *d, uint32_t *out)
{
    for (size_t i = 0; i < d->n_sents; i++)
        for (size_t w = d->sents[i].tok_begin; w < d->sents[i].tok_begin + d->sents[i].words; w++)
            out[w] = (uint32_t)i;
}

/* The first rare fingerprint of r at or after position p (n_rare when none). */
static size_t rare_from(const run_doc *r, size_t p)
{
    size_t lo = 0, hi = r->n_rare;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->rare[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The offsets [*lo, *hi) into a run of len words starting at word `at` of r's document
 * from its first rare fingerprint to the end of its last one (k words), widened (an
 * empty span has *lo >= *hi). Only fingerprints at least a winnowing window from the
 * run's ends count: nearer, the text around a run (which differs between documents)
 * decides which k-grams are fingerprints, so a k-gram of common text can be one in few
 * documents. */
static void rare_span(const run_doc *r, size_t at, size_t len, size_t k, size_t *lo, size_t *hi)
{
    size_t w = WINNOW_EXTRA + 1;
    if (len < k + 2 * (w - 1) + 1)
        return;
    size_t f = rare_from(r, at + w - 1), l = rare_from(r, at + len - k - (w - 1) + 1);
    if (f < l) {
        *lo = r->rare[f] - at < *lo ? r->rare[f] - at : *lo;
        *hi = r->rare[l - 1] - at + k > *hi ? r->rare[l - 1] - at + k : *hi;
    }
}

/* Words of d that are evidence for itself (not its own template, quotation or references). */
static size_t own_words(const dp_sweep_doc *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_words; i++)
        n += !dp_skip_get(d->skip, i);
    return n;
}

/*
 * Copies that common text must not hide. Words of a verbatim run that two documents share
 * are evidence, though they are in passages of more than max_docs documents, between the
 * run's first and last fingerprint found in at most max_docs documents (the run there is
 * rarer than its pieces: sentences common one by one, copied in one order), and all the
 * shared runs are when they cover at least DUP_SHARE of both documents (near-duplicates:
 * copies of one text more than max_docs times, or of a document made of common text). A
 * common paragraph shared beside the documents' own text is neither: it stays out, and in
 * each document's size. Common text between own text copied in one order is copied too
 * (sweep/bridge.h: an edited copy). With opts.whole_runs (near-duplicates) a run holding such
 * a fingerprint counts whole: a partial copy's run of sentences often starts or ends with
 * sentences found in more than max_docs documents, which then stayed out of its share (at
 * 50,000 documents, most of the partial copies --dedup missed). *pa, *pb: the pair's skip
 * marks, or NULL (the run's).
 */
#define DUP_SHARE 0.8

static int pair_skips(const dp_sweep *s, const dp_sweep_doc *a, const run_doc *ra, const dp_sweep_doc *b,
                      const run_doc *rb, uint8_t **pa, uint8_t **pb)
{
    *pa = *pb = NULL;
    if (!ra->n_common && !rb->n_common)
        return DOPPEL_OK;
    dp_run *runs = NULL;
    size_t n_runs, k = s->opts.k;
    /* the documents' own marks, a byte a word */
    uint8_t *oa = malloc(a->n_words), *ob = malloc(b->n_words);
    int rc = oa && ob ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    if (!rc) {
        dp_skip_unpack(a->skip, a->n_words, oa), dp_skip_unpack(b->skip, b->n_words, ob);
        rc = dp_find_runs(a->words, a->n_words, oa, b->words, b->n_words, ob, s->opts.k, &runs, &n_runs);
    }
    if (rc) {
        free(oa), free(ob);
        return rc;
    }
    uint8_t *ca = calloc(a->n_words, 1), *cb = calloc(b->n_words, 1); /* covered by a run */
    *pa = malloc(a->n_words), *pb = malloc(b->n_words);
    if (!ca || !cb || !*pa || !*pb) {
        free(ca), free(cb), free(*pa), free(*pb), free(runs), free(oa), free(ob);
        *pa = *pb = NULL;
        return DOPPEL_ERR_NOMEM;
    }
    size_t cov_a = 0, cov_b = 0;
    for (size_t r = 0; r < n_runs; r++)
        for (size_t i = 0; i < runs[r].len; i++) {
            cov_a += !ca[runs[r].a_tok + i], ca[runs[r].a_tok + i] = 1;
            cov_b += !cb[runs[r].b_tok + i], cb[runs[r].b_tok + i] = 1;
        }
    int dup = (double)cov_a >= DUP_SHARE * (double)own_words(a) && (double)cov_b >= DUP_SHARE * (double)own_words(b);
    dp_skip_unpack(ra->skip, a->n_words, *pa), dp_skip_unpack(rb->skip, b->n_words, *pb);
    int changed = 0;
    for (size_t r = 0; r < n_runs; r++) {
        const dp_run *x = &runs[r];
        size_t lo = dup ? 0 : x->len, hi = dup ? x->len : 0;
        rare_span(ra, x->a_tok, x->len, k, &lo, &hi);
        rare_span(rb, x->b_tok, x->len, k, &lo, &hi);
        if (s->opts.whole_runs && lo < hi)
            lo = 0, hi = x->len;
        for (size_t i = lo; i < hi; i++) {
            changed |= (*pa)[x->a_tok + i] | (*pb)[x->b_tok + i];
            (*pa)[x->a_tok + i] = (*pb)[x->b_tok + i] = 0;
        }
    }
    bool bridged = false;
    rc = dup ? DOPPEL_OK : dp_bridge_common(runs, n_runs, oa, ob, *pa, *pb, k, &bridged);
    changed |= bridged;
    free(ca), free(cb), free(runs), free(oa), free(ob);
    if (rc) {
        free(*pa), free(*pb);
        *pa = *pb = NULL;
        return rc;
    }
    if (!changed) {
        free(*pa), free(*pb);
        *pa = *pb = NULL;
    }
    return DOPPEL_OK;
}

/* The sentences of d as a pair sees them, with its skip marks skip (excluded: mostly skipped). */
static void run_sentences(const dp_sweep_doc *d, const uint8_t *skip, dp_sent_info *out)
{
    for (size_t i = 0; i < d->n_sents; i++) {
        uint8_t ex = d->sents[i].excluded || mostly_skipped(&d->sents[i], skip, false);
        out[i] = d->sents[i], out[i].excluded = ex, out[i].common = ex && !d->sents[i].excluded;
    }
}

static int align(dp_sweep *s, const dp_sweep_doc *a, const run_doc *ra, const dp_sweep_doc *b, const run_doc *rb,
                 dp_pair_passages *pp)
{
    dp_run *runs;
    size_t n_runs;
    uint8_t *pa, *pb;
    /* runs of -k words are evidence, shorter ones down to a phrase only extend passages */
    uint32_t k = s->opts.k < DP_PHRASE_WORDS ? s->opts.k : DP_PHRASE_WORDS;
    int rc = pair_skips(s, a, ra, b, rb, &pa, &pb);
    if (!rc && !pa) { /* the run's marks, a byte a word */
        if ((pa = malloc(a->n_words)) && (pb = malloc(b->n_words)))
            dp_skip_unpack(ra->skip, a->n_words, pa), dp_skip_unpack(rb->skip, b->n_words, pb);
        else
            rc = DOPPEL_ERR_NOMEM;
    }
    if (!rc)
        rc = dp_find_runs(a->words, a->n_words, pa, b->words, b->n_words, pb, k, &runs, &n_runs);
    if (rc) {
        free(pa), free(pb);
        return rc;
    }
    /* sims [na][nb], then the GEMM's scratch [(na + nb) * dim], then near_a [na][2], near_b [nb][2] */
    size_t n_sims = a->n_sents * b->n_sents, n_scratch = (a->n_sents + b->n_sents) * s->dim;
    float *sims = s->dim ? malloc((n_sims + n_scratch + 2 * (a->n_sents + b->n_sents)) * sizeof *sims) : NULL;
    float *near_a = sims ? sims + n_sims + n_scratch : NULL, *near_b = near_a ? near_a + 2 * a->n_sents : NULL;
    uint32_t *a_sent = malloc(a->n_words * sizeof *a_sent), *b_sent = malloc(b->n_words * sizeof *b_sent);
    dp_sent_info *a_si = malloc(a->n_sents * sizeof *a_si), *b_si = malloc(b->n_sents * sizeof *b_si);
    if ((s->dim && !sims) || !a_sent || !b_sent || !a_si || !b_si) {
        free(sims), free(a_sent), free(b_sent), free(a_si), free(b_si), free(runs), free(pa), free(pb);
        return DOPPEL_ERR_NOMEM;
    }
    /* the sentences as this pair sees them */
    run_sentences(a, pa, a_si);
    run_sentences(b, pb, b_si);
    free(pa), free(pb);
    if (s->dim) {
        const int8_t *qa, *qb;
        int8_t *own_a = NULL, *own_b = NULL;
        if (!(rc = dp_sweep_doc_vectors(s, a, &qa, &own_a)) && !(rc = dp_sweep_doc_vectors(s, b, &qb, &own_b))) {
            sentence_sims(a, qa, b, qb, s->dim, sims + n_sims, sims);
            neighbour_sims(a, qa, s->dim, near_a);
            neighbour_sims(b, qb, s->dim, near_b);
        }
        free(own_a), free(own_b);
        if (rc) {
            free(sims), free(runs), free(a_sent), free(b_sent), free(a_si), free(b_si);
            return rc;
        }
    }
    word_sentences(a, a_sent);
    word_sentences(b, b_sent);
    rc = dp_align_pair(a_si, a->n_sents, b_si, b->n_sents, sims, near_a, near_b, runs, n_runs, a_sent, a->n_words, b_sent,
                       b->n_words, &s->popts, pp);
    free(sims), free(runs), free(a_sent), free(b_sent), free(a_si), free(b_si);
    return rc;
}

/* Hands an aligned pair on when it is reported (and frees its passages); swap: reported
 * as (b, a) (a query aligns as the sweep would, then is shown as side a). */
static int report(const dp_sweep *s, dp_pair_passages pp, const dp_sweep_doc *a, const dp_sweep_doc *b, uint32_t ia,
                  uint32_t ib, int swap, dp_sweep_pair_fn on_pair, void *ctx, dp_sweep_stats *stats)
{
    int rc = DOPPEL_OK;
    stats->pairs_compared++;
    int bin = (int)(pp.score * DP_SWEEP_SCORE_BINS); /* fixed bins: the whole distribution, kept cheaply */
    stats->score_bins[bin < 0 ? 0 : bin >= DP_SWEEP_SCORE_BINS ? DP_SWEEP_SCORE_BINS - 1 : bin]++;
    float threshold = s->opts.threshold >= 0.0f ? s->opts.threshold
                      : s->dim                 ? DP_SWEEP_THRESHOLD_MODEL
                                               : DP_SWEEP_THRESHOLD_LEXICAL;
    if (threshold <= 0.0f || (pp.n > 0 && pp.score >= threshold)) {
        dp_pair_result r = {a->id, b->id, pp.score, pp.a_coverage, pp.b_coverage, pp.v, pp.n};
        if (swap) {
            r = (dp_pair_result){b->id, a->id, pp.score, pp.b_coverage, pp.a_coverage, pp.v, pp.n};
            for (size_t i = 0; i < pp.n; i++) {
                dp_passage *x = &pp.v[i];
                *x = (dp_passage){x->b_start, x->b_end, x->a_start, x->a_end, x->score, x->kind};
            }
            uint32_t t = ia;
            ia = ib, ib = t;
        }
        stats->pairs_reported++;
        rc = on_pair(ctx, &r, ia, ib);
    }
    dp_pair_passages_free(&pp);
    return rc;
}

static int align_report(dp_sweep *s, const dp_sweep_doc *a, const run_doc *ra, const dp_sweep_doc *b,
                        const run_doc *rb, uint32_t ia, uint32_t ib, int swap, dp_sweep_pair_fn on_pair, void *ctx,
                        dp_sweep_stats *stats)
{
    dp_pair_passages pp;
    int rc = align(s, a, ra, b, rb, &pp);
    return rc ? rc : report(s, pp, a, b, ia, ib, swap, on_pair, ctx, stats);
}

/* Candidate pair p oriented as aligned: the reference, when there is one, is side b. */
static void oriented(const dp_sweep *s, const uint32_t pair[2], uint32_t *ia, uint32_t *ib)
{
    int flip = s->docs[pair[0]].is_ref;
    *ia = pair[flip], *ib = pair[!flip];
}

/* Pairs [lo, hi) of a chunk aligned by one worker into out[lo - first ..]. */
typedef struct align_job {
    dp_sweep *s;
    const run_doc *rd;
    uint32_t (*pairs)[2]; /* read only */
    size_t lo, hi, first;
    dp_pair_passages *out;
    int rc;
} align_job;

static void *align_worker(void *arg)
{
    align_job *j = arg;
    for (size_t p = j->lo; p < j->hi && !j->rc; p++) {
        uint32_t ia, ib;
        oriented(j->s, j->pairs[p], &ia, &ib);
        j->rc = align(j->s, &j->s->docs[ia], &j->rd[ia], &j->s->docs[ib], &j->rd[ib], &j->out[p - j->first]);
        if (j->rc)
            j->hi = p; /* out[p] holds nothing */
    }
    return NULL;
}

/* Pairs are aligned in chunks, each cut between the workers, and reported in candidate
 * order once the chunk is done: the output never depends on the number of threads. */
#define ALIGN_CHUNK 256

static int align_all(dp_sweep *s, const run_doc *rd, const pair_list *cands, dp_sweep_pair_fn on_pair,
                     dp_sweep_progress_fn progress, void *ctx, dp_sweep_stats *stats)
{
    size_t workers = workers_of(s);
    dp_pair_passages *out = calloc(ALIGN_CHUNK, sizeof *out);
    if (!out)
        return DOPPEL_ERR_NOMEM;
    int rc = DOPPEL_OK;
    for (size_t c0 = 0; c0 < cands->n && !rc; c0 += ALIGN_CHUNK) {
        size_t c1 = cands->n - c0 < ALIGN_CHUNK ? cands->n : c0 + ALIGN_CHUNK;
        align_job jobs[DP_SWEEP_MAX_THREADS];
        for (size_t w = 0; w < workers; w++)
            jobs[w] = (align_job){s, rd, cands->v, c0 + (c1 - c0) * w / workers, c0 + (c1 - c0) * (w + 1) / workers,
                                  c0, out, DOPPEL_OK};
        dp_workers_run(jobs, sizeof *jobs, workers, align_worker);
        for (size_t w = 0; w < workers; w++) {
            rc = rc ? rc : jobs[w].rc;
            for (size_t p = jobs[w].lo; p < jobs[w].hi; p++) {
                uint32_t ia, ib;
                oriented(s, cands->v[p], &ia, &ib);
                /* after an error the rest is only freed */
                if (rc)
                    dp_pair_passages_free(&out[p - c0]);
                else
                    rc = report(s, out[p - c0], &s->docs[ia], &s->docs[ib], ia, ib, 0, on_pair, ctx, stats);
                if (progress && !rc)
                    progress(ctx, p + 1, cands->n);
                if (s->stop && !rc && s->stop(ctx))
                    rc = DOPPEL_ERR_INTERRUPTED;
            }
        }
    }
    free(out);
    return rc;
}

/* Every document's run marks (*rd, n_docs of them, to free with run_docs_free). */
/* Documents [lo, hi) of a run's marks, made by one worker (each depends only on its
 * document and the read-only fingerprint counts, so any split gives the same marks). */
typedef struct marks_job {
    const dp_sweep *s;
    const uint8_t *need; /* NULL: every document */
    run_doc *rd;
    size_t lo, hi;
    int rc;
} marks_job;

static void *marks_worker(void *arg)
{
    marks_job *j = arg;
    for (size_t i = j->lo; i < j->hi && !j->rc; i++)
        if (!j->need || j->need[i])
            j->rc = run_doc_make(j->s, &j->s->docs[i], NULL, 0, j->s->on_common != NULL, &j->rd[i]);
    return NULL;
}

/* need[n_docs]: the documents whose marks are made (the others' are left empty), or NULL: all. */
static int run_docs(dp_sweep *s, const uint8_t *need, run_doc **rd)
{
    *rd = calloc(s->n_docs ? s->n_docs : 1, sizeof **rd);
    if (!*rd)
        return DOPPEL_ERR_NOMEM;
    int rc = s->count_hash ? DOPPEL_OK : fpx_build(s);
    size_t workers = workers_of(s);
    marks_job jobs[DP_SWEEP_MAX_THREADS];
    for (size_t w = 0; w < workers && !rc; w++)
        jobs[w] = (marks_job){s, need, *rd, s->n_docs * w / workers, s->n_docs * (w + 1) / workers, DOPPEL_OK};
    if (!rc)
        dp_workers_run(jobs, sizeof *jobs, workers, marks_worker);
    for (size_t w = 0; w < workers && !rc; w++)
        rc = jobs[w].rc;
    return rc;
}

static void run_docs_free(dp_sweep *s, run_doc *rd)
{
    for (size_t i = 0; i < s->n_docs; i++)
        run_doc_free(&rd[i]);
    free(rd);
}

typedef struct common_count_ctx {
    dp_sweep_common_fn fn;
    void *ctx;
    size_t *count;
} common_count_ctx;

static int count_common(void *ctx, const dp_common_passage *c)
{
    common_count_ctx *cc = ctx;
    (*cc->count)++;
    return cc->fn(cc->ctx, c);
}

/* The common passages of fps[n] to fn, counted in *count. */
static int common_to(const dp_sweep *s, dp_common_fp *fps, size_t n, const dp_sweep_doc *docs, dp_sweep_common_fn fn,
                     void *ctx, size_t *count)
{
    common_count_ctx cc = {fn, ctx, count};
    return dp_common_passages(fps, n, s->opts.k, WINNOW_EXTRA + 1, docs, count_common, &cc);
}

/* The boilerplate fingerprints of documents [0, n) (their run marks rd), numbered from first. */
static int common_fps(const run_doc *rd, size_t n, uint32_t first, dp_common_fp **out, size_t *n_out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += rd[i].n_common;
    dp_common_fp *all = malloc((m ? m : 1) * sizeof *all);
    if (!all)
        return DOPPEL_ERR_NOMEM;
    m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t f = 0; f < rd[i].n_common; f++)
            all[m++] = (dp_common_fp){rd[i].common[f].hash, first + (uint32_t)i, rd[i].common[f].pos};
    *out = all, *n_out = m;
    return DOPPEL_OK;
}

int dp_sweep_report_common(const dp_sweep *s, dp_common_fp *fps, size_t n, const dp_sweep_doc *docs, size_t *count)
{
    return s->on_common ? common_to(s, fps, n, docs, s->on_common, s->common_ctx, count) : DOPPEL_OK;
}

/* Hands the run's common passages to s->on_common. */
static int report_common(const dp_sweep *s, const run_doc *rd, size_t *count)
{
    dp_common_fp *all;
    size_t n;
    int rc = common_fps(rd, s->n_docs, 0, &all, &n);
    if (!rc)
        rc = dp_sweep_report_common(s, all, n, s->docs, count);
    free(all);
    return rc;
}

int dp_sweep_common_fps(dp_sweep *s, size_t n, uint32_t first, dp_common_fp **out, size_t *n_out)
{
    run_doc *rd = calloc(n ? n : 1, sizeof *rd);
    if (!rd)
        return DOPPEL_ERR_NOMEM;
    int rc = s->count_hash ? DOPPEL_OK : fpx_build(s);
    for (size_t i = 0; i < n && !rc; i++)
        rc = run_doc_make(s, &s->docs[i], NULL, 0, 1, &rd[i]);
    if (!rc)
        rc = common_fps(rd, n, first, out, n_out);
    for (size_t i = 0; i < n; i++)
        run_doc_free(&rd[i]);
    free(rd);
    return rc;
}

int dp_sweep_common(dp_sweep *s, dp_sweep_common_fn fn, void *ctx, size_t *count)
{
    dp_common_fp *fps;
    size_t n;
    int rc = dp_sweep_common_fps(s, s->n_docs, 0, &fps, &n);
    if (rc)
        return rc;
    rc = common_to(s, fps, n, s->docs, fn, ctx, count);
    free(fps);
    return rc;
}

int dp_sweep_run(dp_sweep *s, dp_sweep_pair_fn on_pair, dp_sweep_progress_fn progress, void *ctx,
                 dp_sweep_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->documents = s->n_docs;
    pair_list cands = {0};
    run_doc *rd;
    double t0 = now_seconds();
    int rc = run_docs(s, NULL, &rd);
    if (!rc && s->count_hash)
        rc = fpx_build(s); /* candidates from this sweep's own documents */
    double t1 = now_seconds();
    if (!rc)
        rc = candidate_pairs(s, rd, &cands, stats);
    double t2 = now_seconds();
    if (!rc)
        rc = align_all(s, rd, &cands, on_pair, progress, ctx, stats);
    if (!rc && s->on_common)
        rc = report_common(s, rd, &stats->common_passages);
    stats->seconds_fingerprints = t1 - t0;
    stats->seconds_candidates = t2 - t1;
    stats->seconds_align = now_seconds() - t2;
    run_docs_free(s, rd);
    free(cands.v);
    return rc;
}

int dp_sweep_run_pairs(dp_sweep *s, const uint32_t (*pairs)[2], size_t n, dp_sweep_pair_fn on_pair,
                       dp_sweep_progress_fn progress, void *ctx, dp_sweep_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->documents = s->n_docs;
    pair_list cands = {malloc((n ? n : 1) * sizeof *cands.v), n, n};
    run_doc *rd;
    if (!cands.v)
        return DOPPEL_ERR_NOMEM;
    memcpy(cands.v, pairs, n * sizeof *cands.v);
    /* marks for the documents of the pairs only (a cascade's model pass aligns a few) */
    uint8_t *need = calloc(s->n_docs ? s->n_docs : 1, 1);
    if (!need) {
        free(cands.v);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t p = 0; p < n; p++)
        need[pairs[p][0]] = need[pairs[p][1]] = 1;
    double t0 = now_seconds();
    int rc = run_docs(s, need, &rd);
    free(need);
    double t1 = now_seconds();
    if (!rc)
        rc = align_all(s, rd, &cands, on_pair, progress, ctx, stats);
    stats->seconds_fingerprints = t1 - t0;
    stats->seconds_align = now_seconds() - t1;
    run_docs_free(s, rd);
    free(cands.v);
    return rc;
}

int dp_sweep_doc_hashes(const dp_sweep *s, const dp_sweep_doc *d, uint64_t **out, size_t *n_out)
{
    dp_fingerprint *fp;
    size_t n, u = 0;
    int rc = doc_fingerprints(s, d, &fp, &n);
    if (rc)
        return rc;
    uint64_t *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        free(fp);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = fp[i].hash;
    free(fp);
    if (n)
        qsort(v, n, sizeof *v, cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || v[u - 1] != v[i])
            v[u++] = v[i];
    *out = v, *n_out = u;
    return DOPPEL_OK;
}

/* The documents a query q (sorted unique fingerprint hashes qk) is aligned with, increasing. */
static int query_candidates(dp_sweep *s, const dp_sweep_doc *q, const uint64_t *qk, size_t n_qk, pair_list *out)
{
    uint32_t qn = (uint32_t)s->n_docs; /* the query's number, as if added last */
    int rc = DOPPEL_OK;
    if (s->opts.all_pairs || s->n_docs + 1 <= s->opts.all_pairs_limit) {
        for (uint32_t d = 0; d < s->n_docs && !rc; d++)
            rc = pair_push(out, d, qn);
        return rc;
    }
    for (size_t i = 0; i < n_qk && !rc; i++) {
        size_t n;
        const uint32_t *holders = dp_fpindex_holders(s->fpx, qk[i], &n);
        if (n == 0 || n + 1 > s->opts.max_docs || dp_fpindex_count(s->fpx, qk[i]) == DP_FP_TEMPLATE)
            continue;
        for (size_t e = 0; e < n && !rc; e++)
            rc = pair_push(out, holders[e], qn);
    }
    if (!rc && s->dim) {
        float *X;
        uint8_t *is_ref;
        if ((rc = doc_matrix(s, 1, &X, &is_ref)))
            return rc;
        memcpy(X + s->n_docs * s->dim, q->dvec, s->dim * sizeof *X);
        rc = near_pairs(s, X, s->n_docs + 1, is_ref, 1, out);
        free(X), free(is_ref);
    }
    if (!rc) {
        pairs_unique(out);
        size_t n = 0; /* near pairs of one group */
        for (size_t p = 0; p < out->n; p++)
            if (comparable(s, out->v[p][0], out->v[p][1]))
                memcpy(out->v[n++], out->v[p], sizeof out->v[p]);
        out->n = n;
    }
    return rc;
}

/*
 * The query's common passages (text it shares with more than max_docs documents), to
 * fn: its boilerplate fingerprints and, of each indexed document holding one of
 * them, its fingerprints of those hashes (not its other boilerplate); the query numbered
 * last, after the indexed documents.
 */
static int query_common(const dp_sweep *s, const dp_sweep_doc *q, const run_doc *rq, dp_sweep_common_fn fn,
                        void *ctx, size_t *count)
{
    if (!fn || !rq->n_common)
        return DOPPEL_OK;
    size_t n_h = 0, m = 0;
    uint64_t *h = malloc(rq->n_common * sizeof *h);
    uint8_t *holds = calloc(s->n_docs ? s->n_docs : 1, 1);
    dp_sweep_doc *docs = malloc((s->n_docs + 1) * sizeof *docs);
    if (!h || !holds || !docs) {
        free(h), free(holds), free(docs);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t f = 0; f < rq->n_common; f++)
        h[f] = rq->common[f].hash;
    qsort(h, rq->n_common, sizeof *h, cmp_u64);
    for (size_t f = 0; f < rq->n_common; f++)
        if (n_h == 0 || h[n_h - 1] != h[f])
            h[n_h++] = h[f];
    for (size_t f = 0; f < n_h; f++) {
        size_t n;
        const uint32_t *d = dp_fpindex_holders(s->fpx, h[f], &n);
        for (size_t e = 0; e < n; e++)
            if (d[e] < s->n_docs)
                holds[d[e]] = 1;
    }
    dp_common_fp *fps = NULL;
    size_t cap_fps = 0;
    int rc = DOPPEL_OK;
    for (uint32_t d = 0; d <= s->n_docs && !rc; d++) {
        dp_fingerprint *fp = rq->common;
        size_t n = rq->n_common;
        if (d < s->n_docs && (!holds[d] || (rc = doc_fingerprints(s, &s->docs[d], &fp, &n))))
            continue;
        if (DP_GROW(fps, cap_fps, m + n + 1, 64))
            rc = DOPPEL_ERR_NOMEM;
        for (size_t f = 0; f < n && !rc; f++)
            if (bsearch(&fp[f].hash, h, n_h, sizeof *h, cmp_u64))
                fps[m++] = (dp_common_fp){fp[f].hash, d, fp[f].pos};
        if (d < s->n_docs)
            free(fp);
    }
    if (!rc) {
        if (s->n_docs)
            memcpy(docs, s->docs, s->n_docs * sizeof *docs);
        docs[s->n_docs] = *q;
        rc = common_to(s, fps, m, docs, fn, ctx, count);
    }
    free(h), free(holds), free(docs), free(fps);
    return rc;
}

int dp_sweep_query(dp_sweep *s, const char *id, const char *bytes, size_t len, dp_sweep_pair_fn on_pair,
                   dp_sweep_common_fn on_common, void *ctx, dp_sweep_stats *stats, doppel_diag *diag)
{
    memset(stats, 0, sizeof *stats);
    stats->documents = s->n_docs;
    if (s->n_docs >= UINT32_MAX)
        return DOPPEL_ERR_TOO_LARGE;
    dp_sweep_doc q;
    int rc = make_doc(s, id, bytes, len, 0, &q, 0, diag);
    if (rc)
        return rc;
    uint64_t *qk = NULL;
    size_t n_qk = 0;
    pair_list cands = {0};
    run_doc rq = {0};
    if (!(rc = fpx_build(s)) && !(rc = dp_sweep_doc_hashes(s, &q, &qk, &n_qk)))
        rc = run_doc_make(s, &q, qk, n_qk, 1, &rq);
    if (!rc)
        rc = query_candidates(s, &q, qk, n_qk, &cands);
    for (size_t p = 0; p < cands.n && !rc; p++) {
        uint32_t d = cands.v[p][0];
        run_doc rd = {0};
        /* aligned as a sweep would (the query numbered last, a reference on side b) */
        if (!(rc = run_doc_make(s, &s->docs[d], qk, n_qk, 0, &rd)))
            rc = s->docs[d].is_ref
                     ? align_report(s, &q, &rq, &s->docs[d], &rd, UINT32_MAX, d, 0, on_pair, ctx, stats)
                     : align_report(s, &s->docs[d], &rd, &q, &rq, d, UINT32_MAX, 1, on_pair, ctx, stats);
        run_doc_free(&rd);
    }
    if (!rc)
        rc = query_common(s, &q, &rq, on_common, ctx, &stats->common_passages);
    run_doc_free(&rq);
    free(qk), free(cands.v);
    dp_sweep_doc_free(&q);
    return rc;
}
