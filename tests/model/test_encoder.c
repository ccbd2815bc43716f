/* The encoder: determinism across threads and batch composition, agreement with the
 * network on hand-built batches, truncation, concurrent callers, int8 vs fp32, and an int8
 * table kept as int8 giving the same bits as dequantized. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "model/encoder.h"
#include "model/modelfile.h"
#include "random_model.h"
#include "model/net.h"
#include "text/decode.h"
#include "text/hashvocab.h"
#include "text/sentences.h"
#include "text/tokenize.h"

/* Sentences are made from this committed word list by a seeded generator. */
static const char *const words[] = {
    "the", "a", "river", "crossed", "old", "bridge", "under", "grey", "sky", "and", "children", "ran",
    "towards", "market", "where", "merchants", "sold", "bread", "fish", "wine", "café", "naïve", "über",
    "straße", "déjà", "vu", "quickly", "slowly", "never", "always", "because", "although", "whose",
    "paper", "argues", "that", "results", "were", "copied", "from", "another", "source", "without",
    "citation", "42", "3.14", "1,000", "don't", "l'homme", "Zürich", "東京", ",", ".", ";", "!", "?",
};
#define NWORDS (sizeof words / sizeof words[0])
#define NSENT 300

typedef struct corpus {
    char *text[NSENT];
    size_t len[NSENT];
} corpus;

static void make_corpus(corpus *c, uint64_t seed)
{
    dp_rng r;
    dp_rng_seed(&r, seed);
    for (int i = 0; i < NSENT; i++) {
        size_t nw = (size_t)dp_rng_below(&r, 45), cap = 16 * nw + 1;
        c->text[i] = malloc(cap);
        size_t n = 0;
        for (size_t k = 0; k < nw; k++)
            n += (size_t)snprintf(c->text[i] + n, cap - n, "%s%s", k ? " " : "", words[dp_rng_below(&r, NWORDS)]);
        c->text[i][n] = '\0';
        c->len[i] = n;
    }
}

static void free_corpus(corpus *c)
{
    for (int i = 0; i < NSENT; i++)
        free(c->text[i]);
}

static dp_model *model(dp_dtype roundtrip)
{
    dp_model *m = random_model_layers(32, 24, 40, 4096, 2, 77);
    if (roundtrip != DP_DTYPE_FP32) { /* through a file of that dtype */
        size_t len;
        void *buf = model_image(m, roundtrip, &len);
        assert_int_equal(dp_model_load_buffer(&m, buf, len, NULL), DOPPEL_OK);
        free(buf);
    }
    return m;
}

static float *encode_all(dp_encoder *e, const corpus *c, size_t from, size_t n, size_t od)
{
    float *out = malloc(n * od * sizeof(float));
    assert_int_equal(dp_encoder_encode(e, (const char *const *)c->text + from, c->len + from, n, out, NULL),
                     DOPPEL_OK);
    return out;
}

static void test_determinism(void **state)
{
    (void)state;
    dp_model *m = model(DP_DTYPE_FP32);
    size_t od = m->cfg.out_dim;
    corpus c;
    make_corpus(&c, 1);
    dp_encoder *e1, *e2;
    assert_int_equal(dp_encoder_create(&e1, m, 1, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_create(&e2, m, 2, NULL), DOPPEL_OK);
    float *a = encode_all(e1, &c, 0, NSENT, od);
    float *b = encode_all(e2, &c, 0, NSENT, od);
    assert_memory_equal(a, b, NSENT * od * sizeof(float));
    for (size_t i = 0; i < NSENT; i++) { /* one at a time */
        float *v = encode_all(i % 2 ? e1 : e2, &c, i, 1, od);
        assert_memory_equal(v, a + i * od, od * sizeof(float));
        free(v);
    }
    for (size_t i = 0; i < NSENT; i += 7) { /* in chunks of 7 */
        size_t n = NSENT - i < 7 ? NSENT - i : 7;
        float *v = encode_all(e2, &c, i, n, od);
        assert_memory_equal(v, a + i * od, n * od * sizeof(float));
        free(v);
    }
    for (size_t i = 0; i < NSENT; i++) { /* unit vectors */
        double s = 0;
        for (size_t k = 0; k < od; k++)
            s += (double)a[i * od + k] * (double)a[i * od + k];
        assert_true(fabs(s - 1.0) < 1e-5);
    }
    free(a), free(b);
    dp_encoder_free(e1), dp_encoder_free(e2);
    free_corpus(&c);
    dp_model_free(m);
}

/* The ids of a text built straight from the text stage, without the encoder. */
static int hand_ids(const dp_model *m, const char *s, int *tok_off, uint32_t *ids)
{
    dp_tokenizer *tk;
    assert_int_equal(dp_tokenizer_create(&tk, &(dp_tokenizer_opts){.strip_accents = 0}, NULL), DOPPEL_OK);
    dp_text t;
    assert_int_equal(dp_text_decode(&t, s, strlen(s), DP_ENC_UTF8, NULL), DOPPEL_OK);
    dp_tokens toks = {0};
    assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
    dp_hashvocab hv = {m->cfg.hash_seed, m->cfg.buckets, m->cfg.minn, m->cfg.maxn};
    tok_off[0] = 0;
    for (size_t i = 0; i < toks.n; i++)
        tok_off[i + 1] =
            tok_off[i] + (int)dp_hashvocab_ids(&hv, dp_token_norm(&toks, i), toks.v[i].norm_len, ids + tok_off[i]);
    int n = (int)toks.n;
    dp_tokens_free(&toks);
    dp_text_free(&t);
    dp_tokenizer_free(tk);
    return n;
}

static void test_matches_net(void **state)
{
    (void)state;
    dp_model *m = model(DP_DTYPE_FP32);
    size_t od = m->cfg.out_dim;
    const char *s = "The naïve merchants sold déjà-vu bread, 3.14 loaves each!";
    static int tok_off[16 * 64 + 1];
    static uint32_t ids[16 * 64 * DP_HASHVOCAB_MAX_IDS];
    int L = hand_ids(m, s, tok_off, ids);
    assert_true(L > 5 && L < 64);
    /* sixteen copies, and the text alone */
    int per = tok_off[L], seq_len[16];
    for (int r = 0; r < 16; r++) {
        seq_len[r] = L;
        for (int k = 0; k < L; k++) {
            tok_off[r * L + k + 1] = r * per + tok_off[k + 1];
            memcpy(ids + r * per + tok_off[k], ids + tok_off[k], (size_t)(tok_off[k + 1] - tok_off[k]) * 4);
        }
    }
    float *ref = malloc(16 * od * sizeof(float)), *blas = malloc(16 * od * sizeof(float)), v[64], single[64];
    dp_net_ws *ws;
    dp_net_packed pw;
    assert_int_equal(dp_net_ws_create(&ws, &m->cfg), DOPPEL_OK);
    assert_int_equal(dp_net_pack(&pw, m), DOPPEL_OK);
    dp_batch b16 = {16, seq_len, tok_off, ids};
    assert_int_equal(dp_net_infer(m, &pw, ws, &b16, ref), DOPPEL_OK);
    assert_int_equal(dp_net_forward(m, ws, &b16, blas, 0), DOPPEL_OK);
    dp_batch b1 = {1, seq_len, tok_off, ids};
    assert_int_equal(dp_net_infer(m, &pw, ws, &b1, single), DOPPEL_OK);

    dp_encoder *e;
    assert_int_equal(dp_encoder_create(&e, m, 1, NULL), DOPPEL_OK);
    size_t len = strlen(s);
    assert_int_equal(dp_encoder_encode(e, &s, &len, 1, v, NULL), DOPPEL_OK);
    assert_memory_equal(v, single, od * sizeof(float));
    for (size_t r = 0; r < 16; r++) /* the fixed-order GEMM: every copy in the batch has the same bits */
        assert_memory_equal(ref + r * od, single, od * sizeof(float));
    for (size_t k = 0; k < 16 * od; k++) /* and agrees with the BLAS forward up to rounding */
        assert_true(fabsf(blas[k] - ref[k]) < 1e-5f);

    /* an empty text gives normalize(proj_b) */
    const char *empty = " \t ";
    size_t elen = 3;
    assert_int_equal(dp_encoder_encode(e, &empty, &elen, 1, v, NULL), DOPPEL_OK);
    double nb = 0;
    for (size_t k = 0; k < od; k++)
        nb += (double)m->p.proj_b[k] * (double)m->p.proj_b[k];
    for (size_t k = 0; k < od; k++)
        assert_true(fabs((double)v[k] - (double)m->p.proj_b[k] / sqrt(nb)) < 1e-6);
    free(ref), free(blas);
    dp_net_packed_release(&pw);
    dp_net_ws_free(ws);
    dp_encoder_free(e);
    dp_model_free(m);
}

static void test_truncation(void **state)
{
    (void)state;
    dp_model *m = model(DP_DTYPE_FP32);
    char longer[4096], cut[4096];
    size_t n = 0, ncut = 0;
    for (int i = 0; i < DP_ENCODER_MAX_TOKENS + 40; i++) {
        n += (size_t)snprintf(longer + n, sizeof longer - n, "%sw%d", i ? " " : "", i);
        if (i == DP_ENCODER_MAX_TOKENS - 1)
            ncut = n;
    }
    memcpy(cut, longer, ncut);
    cut[ncut] = '\0';
    const char *texts[2] = {longer, cut};
    size_t lens[2] = {n, ncut};
    float v[2 * 40];
    dp_encoder *e;
    assert_int_equal(dp_encoder_create(&e, m, 2, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_encode(e, texts, lens, 2, v, NULL), DOPPEL_OK);
    assert_memory_equal(v, v + 40, 40 * sizeof(float));
    int ntok, *off;
    uint32_t *ids;
    assert_int_equal(dp_encoder_text_ids(e, longer, n, &ntok, &off, &ids, NULL), DOPPEL_OK);
    assert_int_equal(ntok, DP_ENCODER_MAX_TOKENS);
    free(off), free(ids);
    dp_encoder_free(e);
    dp_model_free(m);
}

typedef struct caller {
    dp_encoder *e;
    const corpus *c;
    float *out;
} caller;

static void *call_encode(void *arg)
{
    caller *k = arg;
    for (int rep = 0; rep < 3; rep++)
        if (dp_encoder_encode(k->e, (const char *const *)k->c->text, k->c->len, NSENT, k->out, NULL))
            return arg;
    return NULL;
}

static void test_concurrent_callers(void **state)
{
    (void)state;
    dp_model *m = model(DP_DTYPE_FP32);
    size_t od = m->cfg.out_dim;
    corpus c;
    make_corpus(&c, 2);
    dp_encoder *e;
    assert_int_equal(dp_encoder_create(&e, m, 2, NULL), DOPPEL_OK);
    float *ref = encode_all(e, &c, 0, NSENT, od);
    caller k[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
        k[i] = (caller){e, &c, malloc(NSENT * od * sizeof(float))};
        assert_int_equal(pthread_create(&t[i], NULL, call_encode, &k[i]), 0);
    }
    for (int i = 0; i < 3; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        assert_null(ret);
        assert_memory_equal(k[i].out, ref, NSENT * od * sizeof(float));
        free(k[i].out);
    }
    free(ref);
    dp_encoder_free(e);
    free_corpus(&c);
    dp_model_free(m);
}

static void test_int8_close_to_fp32(void **state)
{
    (void)state;
    dp_model *m32 = model(DP_DTYPE_FP32), *m8 = model(DP_DTYPE_INT8), *m16 = model(DP_DTYPE_FP16);
    size_t od = m32->cfg.out_dim;
    corpus c;
    make_corpus(&c, 3);
    dp_encoder *e32, *e8, *e16;
    assert_int_equal(dp_encoder_create(&e32, m32, 2, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_create(&e8, m8, 2, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_create(&e16, m16, 2, NULL), DOPPEL_OK);
    float *a = encode_all(e32, &c, 0, NSENT, od), *b = encode_all(e8, &c, 0, NSENT, od);
    float *h = encode_all(e16, &c, 0, NSENT, od);
    double worst8 = 1, worst16 = 1;
    int differ = 0;
    for (size_t i = 0; i < NSENT; i++) {
        double d8 = 0, d16 = 0;
        for (size_t k = 0; k < od; k++) {
            d8 += (double)a[i * od + k] * (double)b[i * od + k];
            d16 += (double)a[i * od + k] * (double)h[i * od + k];
        }
        worst8 = fmin(worst8, d8), worst16 = fmin(worst16, d16);
        differ |= memcmp(a + i * od, b + i * od, od * sizeof(float)) != 0;
    }
    assert_true(differ); /* quantization did happen */
    assert_true(worst8 >= 0.995);
    assert_true(worst16 >= 0.9999);
    free(a), free(b), free(h);
    dp_encoder_free(e32), dp_encoder_free(e8), dp_encoder_free(e16);
    free_corpus(&c);
    dp_model_free(m32), dp_model_free(m8), dp_model_free(m16);
}

/* The int8 products (dp_encoder_set_precision): the same bits on 1 and 2 threads, alone or
 * in a call with others; close to fp32 but not equal to it; fp32 set back gives fp32's bits
 * again; auto is int8 exactly where a SIMD int8 kernel runs; an unknown value is refused. */
static void test_precision_int8(void **state)
{
    (void)state;
    dp_model *m = model(DP_DTYPE_FP32);
    size_t od = m->cfg.out_dim;
    corpus c;
    make_corpus(&c, 5);
    dp_encoder *ref, *e1, *e2;
    assert_int_equal(dp_encoder_create(&ref, m, 2, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_create(&e1, m, 1, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_create(&e2, m, 2, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_precision(e1), DP_PRECISION_FP32);
    assert_int_equal(dp_encoder_set_precision(e1, DP_PRECISION_INT8, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_set_precision(e2, DP_PRECISION_INT8, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_precision(e2), DP_PRECISION_INT8);
    float *a = encode_all(ref, &c, 0, NSENT, od), *b1 = encode_all(e1, &c, 0, NSENT, od);
    float *b2 = encode_all(e2, &c, 0, NSENT, od);
    assert_memory_equal(b1, b2, NSENT * od * sizeof(float));
    for (size_t i = 0; i < NSENT; i += 13) { /* alone */
        float *v = encode_all(e2, &c, i, 1, od);
        assert_memory_equal(v, b1 + i * od, od * sizeof(float));
        free(v);
    }
    double worst = 1;
    int differ = 0;
    for (size_t i = 0; i < NSENT; i++) {
        double d = 0;
        for (size_t k = 0; k < od; k++)
            d += (double)a[i * od + k] * (double)b1[i * od + k];
        worst = fmin(worst, d);
        differ |= memcmp(a + i * od, b1 + i * od, od * sizeof(float)) != 0;
    }
    assert_true(differ);
    assert_true(worst >= 0.999);
    assert_int_equal(dp_encoder_set_precision(e1, DP_PRECISION_FP32, NULL), DOPPEL_OK);
    float *f = encode_all(e1, &c, 0, NSENT, od);
    assert_memory_equal(f, a, NSENT * od * sizeof(float));
    assert_int_equal(dp_encoder_set_precision(e1, DP_PRECISION_AUTO, NULL), DOPPEL_OK);
    assert_int_equal(dp_encoder_precision(e1),
                     strcmp(dp_gemm_q8_kernel(), "portable") ? DP_PRECISION_INT8 : DP_PRECISION_FP32);
    doppel_diag d;
    assert_int_equal(dp_encoder_set_precision(e1, (dp_precision)7, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "precision 7"));
    assert_int_equal(dp_precision_parse("int8"), DP_PRECISION_INT8);
    assert_int_equal(dp_precision_parse("auto"), DP_PRECISION_AUTO);
    assert_int_equal(dp_precision_parse("fp16"), -1);
    free(a), free(b1), free(b2), free(f);
    dp_encoder_free(ref), dp_encoder_free(e1), dp_encoder_free(e2);
    free_corpus(&c);
    dp_model_free(m);
}

/* An int8 file read with DP_MODEL_KEEP_INT8 (as encoders are given it) encodes to the same
 * bits as read to fp32, and holds exactly the bytes its parts take. */
static void test_int8_kept_same_bits(void **state)
{
    (void)state;
    dp_model *m = model(DP_DTYPE_FP32);
    const dp_model_config cfg = m->cfg;
    size_t len;
    void *buf = model_image(m, DP_DTYPE_INT8, &len);
    dp_model *m32, *m8;
    assert_int_equal(dp_model_read(&m32, NULL, buf, len, NULL), DOPPEL_OK);
    assert_int_equal(dp_model_read_flags(&m8, NULL, buf, len, DP_MODEL_KEEP_INT8, NULL), DOPPEL_OK);
    free(buf);
    assert_null(m8->p.embed);
    assert_non_null(m8->q8.q);

    /* bytes: the fp32 GRU and projection counted from their shapes (model.h), plus the table */
    size_t B = cfg.buckets, E = cfg.embed_dim, H = cfg.hidden, O = cfg.out_dim, P = 4 * H; /* mean+max */
    size_t rest = 0;
    for (size_t l = 0; l < cfg.layers; l++)
        rest += 2 * (3 * H * (l ? 2 * H : E) + 3 * H * H + 3 * H + 3 * H);
    rest += O * P + O;
    assert_int_equal(dp_model_bytes(m8), B * E + 4 * B + 4 * rest);
    assert_int_equal(dp_model_bytes(m32), 4 * (B * E + rest));
    assert_int_equal(m8->nparams, rest);

    /* two corpora of 300 (empty texts, accents, CJK, punctuation, up to 44 words), on 1 and
     * 3 threads */
    size_t od = cfg.out_dim;
    for (int seed = 4; seed <= 5; seed++) {
        corpus c;
        make_corpus(&c, (uint64_t)seed);
        dp_encoder *e32, *e8;
        assert_int_equal(dp_encoder_create(&e32, m32, 1, NULL), DOPPEL_OK);
        assert_int_equal(dp_encoder_create(&e8, m8, seed == 4 ? 1 : 3, NULL), DOPPEL_OK);
        float *a = encode_all(e32, &c, 0, NSENT, od), *b = encode_all(e8, &c, 0, NSENT, od);
        assert_memory_equal(a, b, NSENT * od * sizeof(float));
        free(a), free(b);
        dp_encoder_free(e32), dp_encoder_free(e8);
        free_corpus(&c);
    }

    /* an inference model has no fp32 table to save */
    doppel_diag d;
    assert_int_equal(dp_model_save_buffer(m8, DP_DTYPE_INT8, NULL, &buf, &len, &d), DOPPEL_ERR_INVALID);
    assert_null(buf);
    dp_model_free(m32), dp_model_free(m8);
}

/* fp32 and fp16 files are read to fp32 with or without DP_MODEL_KEEP_INT8. */
/* Tokenized once: a sentence encoded from the document's tokens gets the bits it gets
 * from its own text, under both accent rules and on 1 and 2 threads. */
static void test_tokens_same_bits(void **state)
{
    (void)state;
    corpus c;
    make_corpus(&c, 9);
    size_t cap = 1, n = 0;
    for (int i = 0; i < NSENT; i++)
        cap += c.len[i] + 2;
    char *doc = malloc(cap);
    for (int i = 0; i < NSENT; i++) {
        memcpy(doc + n, c.text[i], c.len[i]);
        n += c.len[i];
        memcpy(doc + n, "\n\n", 2);
        n += 2;
    }
    for (int strip = 0; strip <= 1; strip++)
        for (int threads = 1; threads <= 2; threads++) {
            dp_model *m = model(DP_DTYPE_FP32);
            m->cfg.strip_accents = (uint32_t)strip;
            dp_encoder *e;
            assert_int_equal(dp_encoder_create(&e, m, threads, NULL), DOPPEL_OK);
            dp_tokenizer_opts to = dp_encoder_tokenizer_opts(e);
            assert_int_equal(to.strip_accents, strip);
            dp_tokenizer *tk;
            assert_int_equal(dp_tokenizer_create(&tk, &to, NULL), DOPPEL_OK);
            dp_text t;
            dp_tokens toks = {0};
            dp_sentences ss = {0};
            assert_int_equal(dp_text_decode(&t, doc, n, DP_ENC_UTF8, NULL), DOPPEL_OK);
            assert_int_equal(dp_tokenize(tk, &t, 0, t.len, &toks), DOPPEL_OK);
            assert_int_equal(dp_split_sentences(&t, &toks, &ss), DOPPEL_OK);
            assert_true(ss.n >= NSENT / 2);
            const char **texts = malloc(ss.n * sizeof *texts);
            size_t *lens = malloc(ss.n * sizeof *lens), *first = malloc(ss.n * sizeof *first),
                   *count = malloc(ss.n * sizeof *count);
            for (size_t i = 0; i < ss.n; i++) {
                texts[i] = t.utf8 + ss.v[i].dstart, lens[i] = ss.v[i].dend - ss.v[i].dstart;
                first[i] = ss.v[i].tok_begin, count[i] = ss.v[i].tok_end - ss.v[i].tok_begin;
            }
            size_t od = m->cfg.out_dim;
            float *a = malloc(ss.n * od * sizeof *a), *b = malloc(ss.n * od * sizeof *b);
            assert_int_equal(dp_encoder_encode(e, texts, lens, ss.n, a, NULL), DOPPEL_OK);
            assert_int_equal(dp_encoder_encode_tokens(e, &toks, first, count, ss.n, b, NULL), DOPPEL_OK);
            assert_memory_equal(a, b, ss.n * od * sizeof *a);
            count[0] = toks.n + 1; /* past the end: refused */
            assert_int_equal(dp_encoder_encode_tokens(e, &toks, first, count, 1, b, NULL), DOPPEL_ERR_INVALID);
            free(a), free(b), free(texts), free(lens), free(first), free(count);
            dp_sentences_free(&ss);
            dp_tokens_free(&toks);
            dp_text_free(&t);
            dp_tokenizer_free(tk);
            dp_encoder_free(e);
            dp_model_free(m);
        }
    free(doc);
    free_corpus(&c);
}

static void test_keep_int8_only_for_int8(void **state)
{
    (void)state;
    dp_model *m = model(DP_DTYPE_FP32);
    for (int t = 0; t < 2; t++) {
        void *buf;
        size_t len;
        assert_int_equal(dp_model_save_buffer(m, t ? DP_DTYPE_FP16 : DP_DTYPE_FP32, NULL, &buf, &len, NULL),
                         DOPPEL_OK);
        dp_model *a, *b;
        assert_int_equal(dp_model_read(&a, NULL, buf, len, NULL), DOPPEL_OK);
        assert_int_equal(dp_model_read_flags(&b, NULL, buf, len, DP_MODEL_KEEP_INT8, NULL), DOPPEL_OK);
        assert_null(b->q8.q);
        assert_int_equal(b->nparams, a->nparams);
        assert_memory_equal(a->block, b->block, a->nparams * sizeof(float));
        dp_model_free(a), dp_model_free(b);
        free(buf);
    }
    dp_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_determinism),        cmocka_unit_test(test_matches_net),
        cmocka_unit_test(test_truncation),         cmocka_unit_test(test_concurrent_callers),
        cmocka_unit_test(test_int8_close_to_fp32), cmocka_unit_test(test_int8_kept_same_bits),
        cmocka_unit_test(test_keep_int8_only_for_int8), cmocka_unit_test(test_tokens_same_bits),
        cmocka_unit_test(test_precision_int8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
