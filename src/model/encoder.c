/*
 * How determinism is kept: the network runs through dp_net_infer, whose products are the
 * fixed-order GEMM of gemm.h, so every operation on a text's rows depends on that text
 * alone (packed sequences: no padding enters a state). Batching is then free to follow
 * speed: texts are sorted by token count and cut into runs of similar length, and a text
 * gets the same bits whatever else is encoded with it and on any number of threads
 * (tests/model/test_encoder.c). The parallelism is across batches, one worker per thread.
 */
#include "model/encoder.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "model/batch.h"
#include "model/net.h"
#include "text/decode.h"
#include "text/hashvocab.h"
#include "text/tokenize.h"

/* Texts per forward pass: large enough for the GEMMs to reuse each weight panel many
 * times (bench/README.md), small enough that two workers get work on modest calls. */
#define DP_ENCODER_BATCH 64

/* A workspace for one forward pass at a time; kept in the encoder's pool between calls. */
typedef struct slot {
    struct slot *next;
    dp_net_ws *ws;
    int *tok_off;  /* [T+1] */
    uint32_t *ids; /* batch ids */
    float *out;    /* [B][out_dim] */
    int seq_len[DP_ENCODER_BATCH];
    size_t cap_off, cap_ids;
} slot;

struct dp_encoder {
    const dp_model *m;
    dp_net_packed pw; /* m's weights for dp_net_infer */
    dp_precision precision; /* fp32 or int8 (resolved) */
    dp_tokenizer *tk;
    dp_hashvocab hv;
    int threads;
    pthread_mutex_t lock; /* guards pool */
    slot *pool;
};

/* The ids of the texts one worker tokenized, as CSR over its tokens. */
typedef struct part {
    dp_tokens toks;
    int *tok_off; /* [ntok+1] */
    uint32_t *ids;
    size_t ntok, cap_off, cap_ids;
} part;

typedef struct job {
    size_t start, count; /* a run of order[] (texts of similar length) */
} job;

typedef struct call {
    dp_encoder *e;
    const char *const *texts; /* either texts and lens ... */
    const size_t *lens;
    const dp_tokens *toks; /* ... or tokens: text i is toks[first_tok[i] .. + count_tok[i]) */
    const size_t *first_tok, *count_tok;
    size_t n;
    float *out;
    int threads;  /* at most this many workers (the encoder's threads or fewer) */
    int nworkers;
    part *parts;      /* [nworkers] */
    int *ntok;        /* [n] tokens kept per text */
    size_t *first;    /* [n] first token of text i in its part */
    int *owner;       /* [n] part of text i */
    size_t *order;    /* [n] texts by (token count, index) */
    job *jobs;
    size_t njobs, next_job;
    pthread_mutex_t lock; /* guards next_job and rc */
    int rc;
    doppel_diag diag;
} call;

typedef struct worker {
    call *c;
    int w;
} worker;

static void fail(call *c, int rc, const doppel_diag *d)
{
    pthread_mutex_lock(&c->lock);
    if (!c->rc) {
        c->rc = rc;
        if (d)
            c->diag = *d;
        else
            dp_diag_set(&c->diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    }
    pthread_mutex_unlock(&c->lock);
}

/* Appends the bucket ids of tokens [first, first + count) of toks (at most
 * DP_ENCODER_MAX_TOKENS of them) to p. */
static int token_ids(const dp_encoder *e, part *p, const dp_tokens *toks, size_t first, size_t count, int *ntok)
{
    size_t n = count < DP_ENCODER_MAX_TOKENS ? count : DP_ENCODER_MAX_TOKENS;
    if (dp_grow((void **)&p->tok_off, &p->cap_off, p->ntok + n + 1, sizeof(int)) ||
        dp_grow((void **)&p->ids, &p->cap_ids, (size_t)p->tok_off[p->ntok] + n * DP_HASHVOCAB_MAX_IDS,
                sizeof(uint32_t)))
        return DOPPEL_ERR_NOMEM;
    for (size_t i = first; i < first + n; i++) {
        size_t at = (size_t)p->tok_off[p->ntok];
        size_t k = dp_hashvocab_ids(&e->hv, dp_token_norm(toks, i), toks->v[i].norm_len, p->ids + at);
        p->tok_off[++p->ntok] = (int)(at + k);
    }
    *ntok = (int)n;
    return DOPPEL_OK;
}

/* Appends the bucket ids of text (at most DP_ENCODER_MAX_TOKENS tokens) to p. */
static int text_ids(const dp_encoder *e, part *p, const char *text, size_t len, int *ntok)
{
    dp_text t;
    int rc = dp_text_decode(&t, text, len, DP_ENC_UTF8, NULL);
    if (rc)
        return rc;
    dp_tokens_clear(&p->toks);
    rc = dp_tokenize(e->tk, &t, 0, t.len, &p->toks);
    dp_text_free(&t);
    return rc ? rc : token_ids(e, p, &p->toks, 0, p->toks.n, ntok);
}

static void *tokenize_worker(void *arg)
{
    worker *wk = arg;
    call *c = wk->c;
    part *p = &c->parts[wk->w];
    if (dp_grow((void **)&p->tok_off, &p->cap_off, 1, sizeof(int))) {
        fail(c, DOPPEL_ERR_NOMEM, NULL);
        return NULL;
    }
    p->tok_off[0] = 0;
    size_t lo = c->n * (size_t)wk->w / (size_t)c->nworkers, hi = c->n * (size_t)(wk->w + 1) / (size_t)c->nworkers;
    for (size_t i = lo; i < hi; i++) {
        c->owner[i] = wk->w;
        c->first[i] = p->ntok;
        int rc = c->toks ? token_ids(c->e, p, c->toks, c->first_tok[i], c->count_tok[i], &c->ntok[i])
                         : text_ids(c->e, p, c->texts[i], c->lens[i], &c->ntok[i]);
        if (rc) {
            doppel_diag d;
            dp_diag_set(&d, rc, DP_NO_POS, i + 1, "text %zu: %s", i + 1, doppel_strerror(rc));
            fail(c, rc, &d);
        }
    }
    return NULL;
}

static slot *slot_take(dp_encoder *e)
{
    pthread_mutex_lock(&e->lock);
    slot *s = e->pool;
    if (s)
        e->pool = s->next;
    pthread_mutex_unlock(&e->lock);
    if (s)
        return s;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->out = malloc((size_t)DP_ENCODER_BATCH * e->m->cfg.out_dim * sizeof(float));
    if (!s->out || dp_net_ws_create(&s->ws, &e->m->cfg)) {
        free(s->out);
        free(s);
        return NULL;
    }
    return s;
}

static void slot_give(dp_encoder *e, slot *s)
{
    pthread_mutex_lock(&e->lock);
    s->next = e->pool;
    e->pool = s;
    pthread_mutex_unlock(&e->lock);
}

static void slot_free(slot *s)
{
    dp_net_ws_free(s->ws);
    free(s->tok_off);
    free(s->ids);
    free(s->out);
    free(s);
}

/* One forward pass over the texts of j. */
static int run_job(call *c, slot *s, const job *j)
{
    size_t B = j->count, nid = 0, T = 0;
    for (size_t r = 0; r < B; r++) {
        size_t i = c->order[j->start + r];
        const part *p = &c->parts[c->owner[i]];
        nid += (size_t)(p->tok_off[c->first[i] + (size_t)c->ntok[i]] - p->tok_off[c->first[i]]);
        s->seq_len[r] = c->ntok[i];
        T += (size_t)c->ntok[i];
    }
    if (dp_grow((void **)&s->tok_off, &s->cap_off, T + 1, sizeof(int)) ||
        dp_grow((void **)&s->ids, &s->cap_ids, nid ? nid : 1, sizeof(uint32_t)))
        return DOPPEL_ERR_NOMEM;
    size_t t = 0;
    s->tok_off[0] = 0;
    for (size_t r = 0; r < B; r++) {
        size_t i = c->order[j->start + r];
        const part *p = &c->parts[c->owner[i]];
        for (int k = 0; k < c->ntok[i]; k++, t++) {
            int a = p->tok_off[c->first[i] + (size_t)k], b = p->tok_off[c->first[i] + (size_t)k + 1];
            memcpy(s->ids + s->tok_off[t], p->ids + a, (size_t)(b - a) * sizeof(uint32_t));
            s->tok_off[t + 1] = s->tok_off[t] + (b - a);
        }
    }
    dp_batch batch = {.B = (int)B, .seq_len = s->seq_len, .tok_off = s->tok_off, .ids = s->ids};
    int rc = dp_net_infer(c->e->m, &c->e->pw, s->ws, &batch, s->out);
    if (rc)
        return rc;
    size_t od = c->e->m->cfg.out_dim;
    for (size_t r = 0; r < B; r++)
        memcpy(c->out + c->order[j->start + r] * od, s->out + r * od, od * sizeof(float));
    return DOPPEL_OK;
}

static void *forward_worker(void *arg)
{
    worker *wk = arg;
    call *c = wk->c;
    slot *s = slot_take(c->e);
    if (!s) {
        fail(c, DOPPEL_ERR_NOMEM, NULL);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&c->lock);
        size_t j = c->rc ? c->njobs : c->next_job++;
        pthread_mutex_unlock(&c->lock);
        if (j >= c->njobs)
            break;
        int rc = run_job(c, s, &c->jobs[j]);
        if (rc)
            fail(c, rc, NULL);
    }
    slot_give(c->e, s);
    return NULL;
}

/* Runs fn on workers 0..nw-1: the caller is worker 0. */
static int run_workers(call *c, int nw, void *(*fn)(void *))
{
    pthread_t tid[DP_ENCODER_MAX_THREADS];
    worker args[DP_ENCODER_MAX_THREADS];
    int started = 1, rc = DOPPEL_OK;
    for (int w = 0; w < nw; w++)
        args[w] = (worker){c, w};
    for (; started < nw; started++)
        if (pthread_create(&tid[started], NULL, fn, &args[started]) != 0) {
            rc = DOPPEL_ERR_THREAD;
            break;
        }
    if (rc)
        fail(c, rc, NULL); /* stops the others early; they still join */
    else
        fn(&args[0]);
    for (int w = 1; w < started; w++)
        pthread_join(tid[w], NULL);
    return c->rc;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Texts ordered by (token count, index), cut into consecutive jobs of equal size, at most
 * a batch each and at least one job per worker when there are enough texts. */
static int plan_jobs(call *c)
{
    uint64_t *key = malloc(c->n * sizeof *key);
    c->jobs = malloc(c->n * sizeof *c->jobs);
    if (!key || !c->jobs) {
        free(key);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < c->n; i++)
        key[i] = (uint64_t)c->ntok[i] << 32 | i;
    qsort(key, c->n, sizeof *key, cmp_u64);
    for (size_t i = 0; i < c->n; i++)
        c->order[i] = (size_t)(key[i] & 0xffffffffu);
    free(key);
    size_t per = (c->n + (size_t)c->nworkers - 1) / (size_t)c->nworkers;
    if (per > DP_ENCODER_BATCH)
        per = DP_ENCODER_BATCH;
    for (size_t i = 0; i < c->n; i += per)
        c->jobs[c->njobs++] = (job){i, c->n - i < per ? c->n - i : per};
    return DOPPEL_OK;
}

/* Tokens (or texts) to ids on the workers, then the forward passes on the workers. */
static int encode(call c, doppel_diag *diag)
{
    size_t n = c.n;
    c.nworkers = (size_t)c.threads < n ? c.threads : (int)n;
    c.parts = calloc((size_t)c.nworkers, sizeof *c.parts);
    c.ntok = malloc(n * sizeof *c.ntok);
    c.first = malloc(n * sizeof *c.first);
    c.owner = malloc(n * sizeof *c.owner);
    c.order = malloc(n * sizeof *c.order);
    int rc = DOPPEL_OK;
    if (pthread_mutex_init(&c.lock, NULL) != 0) {
        rc = DOPPEL_ERR_THREAD;
    } else {
        if (!c.parts || !c.ntok || !c.first || !c.owner || !c.order)
            rc = DOPPEL_ERR_NOMEM;
        if (!rc)
            rc = run_workers(&c, c.nworkers, tokenize_worker);
        if (!rc)
            rc = plan_jobs(&c);
        if (!rc) {
            int nw = (size_t)c.nworkers < c.njobs ? c.nworkers : (int)c.njobs;
            rc = run_workers(&c, nw, forward_worker);
        }
        pthread_mutex_destroy(&c.lock);
    }
    if (rc) {
        if (c.rc && diag)
            *diag = c.diag;
        else
            dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    }
    for (int w = 0; c.parts && w < c.nworkers; w++) {
        dp_tokens_free(&c.parts[w].toks);
        free(c.parts[w].tok_off);
        free(c.parts[w].ids);
    }
    free(c.parts), free(c.ntok), free(c.first), free(c.owner), free(c.order), free(c.jobs);
    return rc;
}

int dp_encoder_encode(dp_encoder *e, const char *const *texts, const size_t *lens, size_t n, float *out,
                      doppel_diag *diag)
{
    if (n == 0)
        return DOPPEL_OK;
    if (!texts || !lens || !out || n > UINT32_MAX)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "bad arguments to encode");
    return encode((call){.e = e, .texts = texts, .lens = lens, .n = n, .out = out, .threads = e->threads}, diag);
}

int dp_encoder_encode_tokens(dp_encoder *e, const dp_tokens *toks, const size_t *first, const size_t *count,
                             size_t n, float *out, doppel_diag *diag)
{
    return dp_encoder_encode_tokens_on(e, e->threads, toks, first, count, n, out, diag);
}

int dp_encoder_encode_tokens_on(dp_encoder *e, int threads, const dp_tokens *toks, const size_t *first,
                                const size_t *count, size_t n, float *out, doppel_diag *diag)
{
    if (threads < 1 || threads > e->threads)
        threads = e->threads;
    if (n == 0)
        return DOPPEL_OK;
    if (!toks || !first || !count || !out || n > UINT32_MAX)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "bad arguments to encode");
    for (size_t i = 0; i < n; i++)
        if (first[i] > toks->n || count[i] > toks->n - first[i])
            return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, i + 1, "text %zu: tokens out of range", i + 1);
    return encode((call){.e = e, .toks = toks, .first_tok = first, .count_tok = count, .n = n, .out = out,
                         .threads = threads},
                  diag);
}

dp_tokenizer_opts dp_encoder_tokenizer_opts(const dp_encoder *e)
{
    return (dp_tokenizer_opts){.strip_accents = (int)e->m->cfg.strip_accents};
}

int dp_encoder_text_ids(const dp_encoder *e, const char *text, size_t len, int *ntok, int **tok_off,
                        uint32_t **ids, doppel_diag *diag)
{
    part p = {0};
    *tok_off = NULL, *ids = NULL;
    int rc = dp_grow((void **)&p.tok_off, &p.cap_off, 1, sizeof(int));
    if (!rc) {
        p.tok_off[0] = 0;
        rc = text_ids(e, &p, text, len, ntok);
    }
    dp_tokens_free(&p.toks);
    if (rc) {
        free(p.tok_off), free(p.ids);
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    }
    *tok_off = p.tok_off, *ids = p.ids;
    return DOPPEL_OK;
}

int dp_encoder_create(dp_encoder **out, const dp_model *m, int threads, doppel_diag *diag)
{
    *out = NULL;
    if (threads < 1 || threads > DP_ENCODER_MAX_THREADS)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "threads %d not in 1..%d", threads,
                           DP_ENCODER_MAX_THREADS);
    dp_encoder *e = calloc(1, sizeof *e);
    if (!e)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    e->m = m;
    e->threads = threads;
    e->precision = DP_PRECISION_FP32;
    if (dp_net_pack(&e->pw, m)) {
        free(e);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    e->hv = (dp_hashvocab){.seed = m->cfg.hash_seed, .buckets = m->cfg.buckets, .minn = m->cfg.minn,
                           .maxn = m->cfg.maxn};
    dp_tokenizer_opts opts = dp_encoder_tokenizer_opts(e);
    int rc = dp_tokenizer_create(&e->tk, &opts, diag);
    if (rc) {
        dp_net_packed_release(&e->pw);
        free(e);
        return rc;
    }
    if (pthread_mutex_init(&e->lock, NULL) != 0) {
        dp_tokenizer_free(e->tk);
        dp_net_packed_release(&e->pw);
        free(e);
        return dp_diag_set(diag, DOPPEL_ERR_THREAD, DP_NO_POS, DP_NO_POS, NULL);
    }
    *out = e;
    return DOPPEL_OK;
}

int dp_encoder_set_precision(dp_encoder *e, dp_precision p, doppel_diag *diag)
{
    if (p != DP_PRECISION_AUTO && p != DP_PRECISION_FP32 && p != DP_PRECISION_INT8)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "precision %d: not auto, fp32 or int8",
                           (int)p);
    p = dp_precision_resolve(p);
    if (p == e->precision)
        return DOPPEL_OK;
    /* packed afresh: an int8 twin, once added, is what dp_gemm_nt runs */
    dp_net_packed pw;
    int rc = dp_net_pack(&pw, e->m);
    if (!rc && p == DP_PRECISION_INT8 && (rc = dp_net_pack_q8(&pw, e->m)))
        dp_net_packed_release(&pw);
    if (rc)
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    dp_net_packed_release(&e->pw);
    e->pw = pw;
    e->precision = p;
    return DOPPEL_OK;
}

dp_precision dp_encoder_precision(const dp_encoder *e) { return e->precision; }

void dp_encoder_free(dp_encoder *e)
{
    if (!e)
        return;
    while (e->pool) {
        slot *s = e->pool;
        e->pool = s->next;
        slot_free(s);
    }
    pthread_mutex_destroy(&e->lock);
    dp_tokenizer_free(e->tk);
    dp_net_packed_release(&e->pw);
    free(e);
}
