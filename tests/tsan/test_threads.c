/*
 * Several threads at once on one tokenizer and one encoder (both documented as
 * shareable) must give exactly what one thread gives: the same tokens, the same
 * vectors bit for bit. Threads with an index each, all on one model (built from scratch
 * or loaded from one file), must each report exactly what one thread alone does; and
 * threads querying and sweeping one shared index (documented as safe for the calls that
 * read it) likewise, starting before anything the index builds on first use exists. Files
 * read on several threads through format extraction must come out as read one by one. Run
 * under ThreadSanitizer by tests/tsan/run.sh; in the normal suite it still checks
 * the results.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "doppel.h"
#include "io/reader.h"
#include "model/encoder.h"
#include "model/model.h"
#include "model/modelfile.h"
#include "random_model.h"
#include "sweep/sweep.h"

#define NTHREADS 4
#define ROUNDS 3

static const char *const texts[] = {
    "The quick brown fox jumps over the lazy dog. It was not amused!",
    "Caf\xc3\xa9 na\xc3\xafve \xef\xac\x81nance, don\xe2\x80\x99t \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82",
    "broken \x80\xc0\xaf bytes \xed\xa0\x80 and a NUL \0 inside",
    "Mr. Smith paid 1,000.50 dollars on Jan. 5. \"Why?\" she asked.",
    "",
    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb 1\xef\xb8\x8f\xe2\x83\xa3 \xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2",
};
#define NTEXTS (sizeof texts / sizeof *texts)
static size_t lens[NTEXTS];

/* ---- tokenizer ---- */

typedef struct tok_summary {
    size_t n_tokens, n_sentences;
    uint64_t hash; /* FNV-1a over every token's spans and normal form and every sentence */
} tok_summary;

static void mix(uint64_t *h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ ((const uint8_t *)p)[i]) * 1099511628211u;
}

static tok_summary summarise(const doppel_tokenizer *tk, size_t i)
{
    doppel_doc *doc;
    tok_summary s = {0, 0, 14695981039346656037u};
    if (doppel_doc_create(&doc, tk, texts[i], lens[i], DOPPEL_ENC_AUTO, NULL) != DOPPEL_OK)
        return s;
    const doppel_token *t;
    const doppel_sentence *se;
    s.n_tokens = doppel_doc_tokens(doc, &t);
    s.n_sentences = doppel_doc_sentences(doc, &se);
    for (size_t k = 0; k < s.n_tokens; k++) {
        mix(&s.hash, &t[k].start, sizeof t[k].start);
        mix(&s.hash, &t[k].end, sizeof t[k].end);
        mix(&s.hash, t[k].norm, t[k].norm_len);
    }
    for (size_t k = 0; k < s.n_sentences; k++) {
        mix(&s.hash, &se[k].start, sizeof se[k].start);
        mix(&s.hash, &se[k].tok_end, sizeof se[k].tok_end);
    }
    doppel_doc_free(doc);
    return s;
}

typedef struct tok_job {
    const doppel_tokenizer *tk;
    const tok_summary *want;
    int mismatches;
} tok_job;

static void *tok_worker(void *arg)
{
    tok_job *j = arg;
    for (int r = 0; r < ROUNDS; r++)
        for (size_t i = 0; i < NTEXTS; i++) {
            tok_summary got = summarise(j->tk, i);
            j->mismatches += memcmp(&got, &j->want[i], sizeof got) != 0;
        }
    return NULL;
}

static void test_tokenizer_shared(void **state)
{
    (void)state;
    doppel_tokenizer *tk;
    assert_int_equal(doppel_tokenizer_create(&tk, 0, NULL), DOPPEL_OK);
    tok_summary want[NTEXTS];
    for (size_t i = 0; i < NTEXTS; i++)
        want[i] = summarise(tk, i);
    assert_true(want[0].n_tokens == 15 && want[0].n_sentences == 2); /* the summary is not empty */

    pthread_t th[NTHREADS];
    tok_job jobs[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        jobs[k] = (tok_job){tk, want, 0};
        assert_int_equal(pthread_create(&th[k], NULL, tok_worker, &jobs[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        pthread_join(th[k], NULL);
        assert_int_equal(jobs[k].mismatches, 0);
    }
    doppel_tokenizer_free(tk);
}

/* ---- encoder ---- */

/* A small random model (through a file: the public API loads models from files). */
static doppel_model *tiny_model(void)
{
    char dir[] = "/tmp/doppel-tsan.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.dpm", dir);
    dp_model *m = random_model_layers(16, 12, 8, 4096, 2, 11);
    /* int8: the public loader keeps the table int8, the form many readers share */
    assert_int_equal(dp_model_save(m, path, DP_DTYPE_INT8, NULL, NULL), DOPPEL_OK);
    dp_model_free(m);
    doppel_model *model;
    assert_int_equal(doppel_model_load(&model, path, NULL), DOPPEL_OK);
    unlink(path);
    rmdir(dir);
    return model;
}

typedef struct enc_job {
    doppel_encoder *enc;
    const float *want; /* [NTEXTS][dim] */
    size_t dim;
    int offset;        /* each thread starts at another text, so calls differ in content */
    int failures;
} enc_job;

static void *enc_worker(void *arg)
{
    enc_job *j = arg;
    float *out = malloc(NTEXTS * j->dim * sizeof *out);
    const char *t[NTEXTS];
    size_t l[NTEXTS], idx[NTEXTS];
    for (int r = 0; r < ROUNDS && out; r++) {
        size_t n = 1 + (size_t)(j->offset + r) % NTEXTS; /* 1..NTEXTS texts per call */
        for (size_t k = 0; k < n; k++) {
            idx[k] = ((size_t)j->offset + k) % NTEXTS;
            t[k] = texts[idx[k]], l[k] = lens[idx[k]];
        }
        if (doppel_encoder_encode(j->enc, t, l, n, out, NULL) != DOPPEL_OK) {
            j->failures++;
            continue;
        }
        for (size_t k = 0; k < n; k++)
            j->failures += memcmp(out + k * j->dim, j->want + idx[k] * j->dim, j->dim * sizeof *out) != 0;
    }
    j->failures += out == NULL;
    free(out);
    return NULL;
}

static void test_encoder_shared(void **state)
{
    (void)state;
    doppel_model *model = tiny_model();
    size_t dim = doppel_model_out_dim(model);
    assert_int_equal(dim, 8);

    /* reference: one thread, one text per call */
    doppel_encoder *single;
    assert_int_equal(doppel_encoder_create(&single, model, 1, NULL), DOPPEL_OK);
    float want[NTEXTS * 8];
    for (size_t i = 0; i < NTEXTS; i++)
        assert_int_equal(doppel_encoder_encode(single, &texts[i], &lens[i], 1, want + i * dim, NULL), DOPPEL_OK);
    doppel_encoder_free(single);
    double norm = 0;
    for (size_t d = 0; d < dim; d++)
        norm += (double)want[d] * want[d];
    assert_float_equal(norm, 1.0, 1e-5); /* unit vectors: the reference is real output */

    doppel_encoder *shared;
    assert_int_equal(doppel_encoder_create(&shared, model, 2, NULL), DOPPEL_OK);
    pthread_t th[NTHREADS];
    enc_job jobs[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        jobs[k] = (enc_job){shared, want, dim, k, 0};
        assert_int_equal(pthread_create(&th[k], NULL, enc_worker, &jobs[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        pthread_join(th[k], NULL);
        assert_int_equal(jobs[k].failures, 0);
    }
    doppel_encoder_free(shared);
    doppel_model_free(model);
}

/* ---- index ---- */

static const char *const docs[] = {
    "The committee met on Tuesday to discuss the budget for the coming year. After a long debate it "
    "agreed to fund the new library wing, and the mayor thanked everyone.",
    "After a long debate the committee agreed to fund the new library wing. The committee met on "
    "Tuesday to discuss the budget for the coming year, said the mayor.",
    "Rivers carry sediment to the sea, where it settles in wide deltas. Farmers have long prized "
    "the rich soil of these plains for their harvests.",
    "Farmers have long prized the rich soil of delta plains. Rivers carry sediment to the sea and "
    "it settles there, year after year, in wide deltas.",
    "An entirely unrelated note about chess openings: the Sicilian defence remains popular.",
};
#define NDOCS (sizeof docs / sizeof *docs)
static const char query_text[] =
    "Rivers carry sediment to the sea, where it settles in wide deltas. The committee met on "
    "Tuesday to discuss the budget for the coming year.";

/* FNV-1a over every pair (ids, scores, passages) and skipped entry of a report. */
static uint64_t report_hash(doppel_report *r, size_t *n_pairs)
{
    uint64_t h = 14695981039346656037u;
    const doppel_pair *p;
    *n_pairs = 0;
    while ((p = doppel_report_next(r))) {
        mix(&h, p->a, strlen(p->a) + 1);
        mix(&h, p->b, strlen(p->b) + 1);
        mix(&h, &p->score, sizeof p->score);
        mix(&h, &p->a_coverage, sizeof p->a_coverage);
        mix(&h, &p->b_coverage, sizeof p->b_coverage);
        for (size_t k = 0; k < p->n_passages; k++)
            mix(&h, &p->passages[k], sizeof p->passages[k]);
        (*n_pairs)++;
    }
    const doppel_skipped *sk;
    while ((sk = doppel_report_next_skipped(r)))
        mix(&h, sk->id, strlen(sk->id) + 1);
    doppel_report_free(r);
    return h;
}

typedef struct ix_result {
    uint64_t query, sweep;
    size_t query_pairs, sweep_pairs;
} ix_result;

/* An index of docs (built, or loaded from path), queried and swept. */
static int index_run(const doppel_model *model, const char *path, ix_result *out)
{
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    o.threshold = 0.0f; /* every compared pair */
    if (path) {
        if (doppel_index_load(&ix, path, model, 2, &o, NULL) != DOPPEL_OK)
            return -1;
    } else {
        if (doppel_index_create(&ix, model, 2, &o, NULL) != DOPPEL_OK)
            return -1;
        char id[16];
        for (size_t i = 0; i < NDOCS; i++) {
            snprintf(id, sizeof id, "doc%zu", i);
            if (doppel_index_add(ix, id, docs[i], strlen(docs[i]), 0, NULL) != DOPPEL_OK)
                return -1;
        }
        if (doppel_index_add_skipped(ix, "blob.bin", "binary", NULL) != DOPPEL_OK)
            return -1;
    }
    doppel_report *r;
    int rc = doppel_index_query(ix, "query", query_text, sizeof query_text - 1, &r, NULL);
    if (rc == DOPPEL_OK) {
        out->query = report_hash(r, &out->query_pairs);
        rc = doppel_index_sweep(ix, &r, NULL);
    }
    if (rc == DOPPEL_OK)
        out->sweep = report_hash(r, &out->sweep_pairs);
    doppel_index_free(ix);
    return rc;
}

typedef struct ix_job {
    const doppel_model *model;
    const char *path; /* NULL: build */
    const ix_result *want;
    int failures;
} ix_job;

static void *ix_worker(void *arg)
{
    ix_job *j = arg;
    for (int r = 0; r < ROUNDS; r++) {
        ix_result got;
        j->failures += index_run(j->model, j->path, &got) != DOPPEL_OK || memcmp(&got, j->want, sizeof got) != 0;
    }
    return NULL;
}

static void test_indexes_in_threads(void **state)
{
    (void)state;
    doppel_model *model = tiny_model();
    char dir[] = "/tmp/doppel-tsan.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/i.dpx", dir);

    /* reference: one thread; the saved index reports the same as the built one */
    ix_result want, loaded;
    memset(&want, 0, sizeof want), memset(&loaded, 0, sizeof loaded);
    assert_int_equal(index_run(model, NULL, &want), DOPPEL_OK);
    assert_true(want.query_pairs == NDOCS && want.sweep_pairs == NDOCS * (NDOCS - 1) / 2); /* threshold 0 */
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    assert_int_equal(doppel_index_create(&ix, model, 1, &o, NULL), DOPPEL_OK);
    char id[16];
    for (size_t i = 0; i < NDOCS; i++) {
        snprintf(id, sizeof id, "doc%zu", i);
        assert_int_equal(doppel_index_add(ix, id, docs[i], strlen(docs[i]), 0, NULL), DOPPEL_OK);
    }
    assert_int_equal(doppel_index_add_skipped(ix, "blob.bin", "binary", NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_save(ix, path, NULL), DOPPEL_OK);
    doppel_index_free(ix);
    assert_int_equal(index_run(model, path, &loaded), DOPPEL_OK);
    assert_memory_equal(&loaded, &want, sizeof want);

    /* half the threads build their own index, half load the file; all on one model */
    pthread_t th[NTHREADS];
    ix_job jobs[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        jobs[k] = (ix_job){model, k % 2 ? path : NULL, &want, 0};
        assert_int_equal(pthread_create(&th[k], NULL, ix_worker, &jobs[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        pthread_join(th[k], NULL);
        assert_int_equal(jobs[k].failures, 0);
    }
    unlink(path);
    rmdir(dir);
    doppel_model_free(model);
}

typedef struct shared_job {
    doppel_index *ix;
    const ix_result *want;
    int sweep; /* this thread sweeps too */
    int failures;
} shared_job;

static void *shared_worker(void *arg)
{
    shared_job *j = arg;
    for (int r = 0; r < ROUNDS; r++) {
        doppel_report *rep;
        size_t n = 0;
        j->failures += doppel_index_query(j->ix, "query", query_text, sizeof query_text - 1, &rep, NULL) != DOPPEL_OK ||
                       report_hash(rep, &n) != j->want->query || n != j->want->query_pairs;
        if (j->sweep) {
            n = 0;
            j->failures += doppel_index_sweep(j->ix, &rep, NULL) != DOPPEL_OK || report_hash(rep, &n) != j->want->sweep ||
                           n != j->want->sweep_pairs;
        }
        size_t dim = doppel_index_dim(j->ix);
        float v[64];
        j->failures += dim > 64 || doppel_index_doc_vector(j->ix, "doc1", v, dim, NULL) != DOPPEL_OK;
    }
    return NULL;
}

static void test_one_index_many_threads(void **state)
{
    (void)state;
    doppel_model *model = tiny_model();
    ix_result want;
    memset(&want, 0, sizeof want);
    assert_int_equal(index_run(model, NULL, &want), DOPPEL_OK);
    doppel_index *ix;
    doppel_index_opts o;
    doppel_index_opts_default(&o);
    o.threshold = 0.0f;
    assert_int_equal(doppel_index_create(&ix, model, 2, &o, NULL), DOPPEL_OK);
    char id[16];
    for (size_t i = 0; i < NDOCS; i++) {
        snprintf(id, sizeof id, "doc%zu", i);
        assert_int_equal(doppel_index_add(ix, id, docs[i], strlen(docs[i]), 0, NULL), DOPPEL_OK);
    }
    assert_int_equal(doppel_index_add_skipped(ix, "blob.bin", "binary", NULL), DOPPEL_OK);
    /* no query or sweep yet: the first ones race to build the fingerprint index */
    pthread_t th[NTHREADS];
    shared_job jobs[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        jobs[k] = (shared_job){ix, &want, k % 2, 0};
        assert_int_equal(pthread_create(&th[k], NULL, shared_worker, &jobs[k]), 0);
    }
    for (int k = 0; k < NTHREADS; k++) {
        pthread_join(th[k], NULL);
        assert_int_equal(jobs[k].failures, 0);
    }
    doppel_index_free(ix);
    doppel_model_free(model);
}

/* ---- a sweep's documents prepared on its workers ---- */

/* A sweep of docs (and a text without words, refused) on `threads` workers, added one
 * by one (together 0) or together (1), or together without vectors, which are then
 * made for every document at once (2: a cascade's meaning pass); an FNV-1a hash of every
 * kept document's words and vectors. */
static uint64_t sweep_docs_hash(const dp_model *m, int threads, int together)
{
    dp_encoder *enc;
    dp_sweep *sw;
    dp_sweep_opts o;
    dp_sweep_opts_default(&o);
    o.threads = (uint32_t)threads;
    assert_int_equal(dp_encoder_create(&enc, m, threads, NULL), DOPPEL_OK);
    assert_int_equal(dp_sweep_create(&sw, enc, together == 2 ? 0 : m->cfg.out_dim, &o), DOPPEL_OK);
    dp_sweep_add_item items[2 * NDOCS + 1];
    char ids[2 * NDOCS + 1][24];
    for (size_t i = 0; i <= 2 * NDOCS; i++) {
        snprintf(ids[i], sizeof ids[i], "doc%zu", i);
        const char *t = i == NDOCS ? "-- ... --" : docs[i % NDOCS]; /* each text twice: the cache's case */
        items[i] = (dp_sweep_add_item){.id = ids[i], .bytes = t, .len = strlen(t)};
    }
    if (together) {
        assert_int_equal(dp_sweep_add_many(sw, items, 2 * NDOCS + 1), DOPPEL_OK);
    } else {
        for (size_t i = 0; i <= 2 * NDOCS; i++)
            items[i].rc = dp_sweep_add(sw, items[i].id, items[i].bytes, items[i].len, 0, &items[i].diag);
    }
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i <= 2 * NDOCS; i++)
        assert_int_equal(items[i].rc, i == NDOCS ? DOPPEL_ERR_EMPTY : DOPPEL_OK);
    assert_int_equal(dp_sweep_count(sw), 2 * NDOCS);
    if (together == 2) {
        dp_sweep_add_item again[2 * NDOCS];
        for (size_t i = 0; i < 2 * NDOCS; i++)
            again[i] = (dp_sweep_add_item){.bytes = items[i < NDOCS ? i : i + 1].bytes,
                                           .len = items[i < NDOCS ? i : i + 1].len, .index = i};
        assert_int_equal(dp_sweep_encode_many(sw, again, 1), DOPPEL_ERR_INVALID); /* no encoder yet */
        assert_int_equal(dp_sweep_attach_encoder(sw, enc, m->cfg.out_dim), DOPPEL_OK);
        again[1].bytes = "other words"; /* not the text it was added with */
        again[1].len = strlen(again[1].bytes);
        assert_int_equal(dp_sweep_encode_many(sw, again + 1, 1), DOPPEL_OK);
        assert_int_equal(again[1].rc, DOPPEL_ERR_INVALID);
        again[1].bytes = items[1].bytes, again[1].len = items[1].len;
        assert_int_equal(dp_sweep_encode_many(sw, again, 2 * NDOCS), DOPPEL_OK);
        for (size_t i = 0; i < 2 * NDOCS; i++)
            assert_int_equal(again[i].rc, DOPPEL_OK);
        assert_int_equal(dp_sweep_encode_many(sw, again, 1), DOPPEL_ERR_INVALID); /* it has them */
    }
    for (size_t i = 0; i < dp_sweep_count(sw); i++) {
        const dp_sweep_doc *d = dp_sweep_doc_at(sw, i);
        assert_string_equal(d->id, ids[i < NDOCS ? i : i + 1]);
        mix(&h, d->words, d->n_words * sizeof *d->words);
        mix(&h, d->sq, d->n_sents * m->cfg.out_dim);
        mix(&h, d->sscale, d->n_sents * sizeof *d->sscale);
        mix(&h, d->dvec, m->cfg.out_dim * sizeof *d->dvec);
    }
    dp_sweep_free(sw);
    dp_encoder_free(enc);
    return h;
}

static void test_sweep_add_many(void **state)
{
    (void)state;
    doppel_model *model = tiny_model();
    const dp_model *m = dp_model_of(model);
    uint64_t want = sweep_docs_hash(m, 1, 0);
    assert_true(want == sweep_docs_hash(m, 1, 1));
    assert_true(want == sweep_docs_hash(m, 2, 1));
    assert_true(want == sweep_docs_hash(m, NTHREADS, 1));
    for (int t = 1; t <= NTHREADS; t++)
        assert_true(want == sweep_docs_hash(m, t, 2));
    doppel_model_free(model);
}

/* ---- reading files on several threads ---- */

#define NFILES 24

/* Everything a sweep takes of a folder of HTML, text and bad files read in blocks of 8
 * (the blocks' files read on `threads` threads, through format extraction, whose
 * records are shared): ids, kinds, bytes, reasons and the HTML files' maps, hashed;
 * threads 0: one at a time through dp_corpus_next. */
static uint64_t read_folder_hash(const char *dir, size_t threads)
{
    dp_io_reader *r;
    assert_int_equal(dp_io_reader_create(&r, NULL), DOPPEL_OK);
    dp_corpus_opts co = {.read = dp_io_reader_read, .read_ctx = r};
    dp_corpus *c;
    assert_int_equal(dp_corpus_create(&c, &co), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_path(c, dir, NULL), DOPPEL_OK);
    uint64_t h = 14695981039346656037u;
    dp_corpus_item it[8] = {0};
    dp_docsrc src[8];
    size_t mapped = 0;
    for (bool end = false; !end;) {
        size_t n = 0;
        for (; n < (threads ? 8 : 1); n++) {
            assert_int_equal((threads ? dp_corpus_next_unread : dp_corpus_next)(c, &it[n], NULL), DOPPEL_OK);
            if ((end = it[n].kind == DP_CORPUS_END))
                break;
        }
        assert_int_equal(dp_corpus_load_many(c, it, n, threads, NULL), DOPPEL_OK);
        assert_int_equal(dp_io_reader_take_many(r, it, n, src), DOPPEL_OK);
        for (size_t i = 0; i < n; i++) {
            mix(&h, &it[i].kind, sizeof it[i].kind);
            mix(&h, it[i].id, strlen(it[i].id));
            mix(&h, it[i].bytes ? it[i].bytes : "", it[i].len);
            mix(&h, it[i].reason ? it[i].reason : "", it[i].reason ? strlen(it[i].reason) : 0);
            mix(&h, src[i].segs, src[i].n_segs * sizeof *src[i].segs);
            mix(&h, &src[i].extracted, sizeof src[i].extracted);
            mapped += it[i].kind == DP_CORPUS_DOC && src[i].segs;
            dp_docsrc_free(&src[i]);
        }
    }
    assert_int_equal(mapped, NFILES / 2); /* every HTML file's map was taken */
    for (size_t i = 0; i < 8; i++)
        dp_corpus_item_clear(&it[i]);
    dp_corpus_free(c);
    dp_io_reader_free(r);
    return h;
}

static void test_read_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/doppel-tsan-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    for (int i = 0; i < NFILES; i++) {
        snprintf(path, sizeof path, "%s/f%02d.%s", dir, i, i % 2 ? "txt" : "html");
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        if (i % 2 && i % 7 != 1) /* the others empty: skipped */
            fprintf(f, "plain text %d of a file.\n", i);
        else if (i % 2 == 0)
            fprintf(f, "<html><head><title>t</title><script>x()</script></head><body><p>Essay %d, "
                       "<b>bold</b> &amp; text.</p><p>Second paragraph.</p></body></html>\n", i);
        fclose(f);
    }
    uint64_t want = read_folder_hash(dir, 0);
    for (size_t t = 1; t <= NTHREADS; t++)
        assert_true(read_folder_hash(dir, t) == want);
    for (int i = 0; i < NFILES; i++) {
        snprintf(path, sizeof path, "%s/f%02d.%s", dir, i, i % 2 ? "txt" : "html");
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    lens[0] = strlen(texts[0]), lens[1] = strlen(texts[1]);
    lens[2] = strlen(texts[2]) + 1 + strlen(texts[2] + strlen(texts[2]) + 1); /* through the NUL */
    for (size_t i = 3; i < NTEXTS; i++)
        lens[i] = strlen(texts[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenizer_shared),
        cmocka_unit_test(test_encoder_shared),
        cmocka_unit_test(test_indexes_in_threads),
        cmocka_unit_test(test_one_index_many_threads),
        cmocka_unit_test(test_sweep_add_many),
        cmocka_unit_test(test_read_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
