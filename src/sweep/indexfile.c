#include "sweep/indexfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "core/diag.h"
#include "core/grow.h"
#include "core/readfile.h"
#include "sweep/skipbits.h"

enum { FLAG_MODEL = 1, FLAG_QUOTES = 2, FLAG_REFERENCES = 4 };
/* bytes per word (hash, skip, sentence) and per sentence record */
#define WORD_BYTES 5u
#define SENT_BYTES 25u

/* ---- writing ---------------------------------------------------------- */

typedef struct wbuf {
    uint8_t *p;
    size_t n, cap;
    int failed;
} wbuf;

static uint8_t *wb_room(wbuf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (n > SIZE_MAX - b->n || DP_GROW(b->p, b->cap, b->n + n, 4096)) {
        b->failed = 1;
        return NULL;
    }
    uint8_t *at = b->p + b->n;
    b->n += n;
    return at;
}

static void wb_le(wbuf *b, uint64_t v, size_t n)
{
    uint8_t *p = wb_room(b, n);
    for (size_t i = 0; p && i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void wb_f32(wbuf *b, float x)
{
    uint32_t bits;
    memcpy(&bits, &x, 4);
    wb_le(b, bits, 4);
}

static void wb_str(wbuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    wb_le(b, n, 4);
    uint8_t *p = n ? wb_room(b, n) : NULL;
    if (p)
        memcpy(p, s, n);
}

static void write_doc(wbuf *b, const dp_sweep_doc *d, size_t dim)
{
    wb_str(b, d->id);
    wb_le(b, (uint64_t)(d->is_ref != 0), 1);
    wb_le(b, (d->has_sum ? 1u : 0u) | (d->extracted ? 2u : 0u), 1);
    wb_le(b, d->has_sum ? d->text_crc : 0, 4);
    wb_le(b, d->has_sum ? d->text_len : 0, 8);
    wb_str(b, d->source);
    wb_le(b, d->n_words, 8);
    wb_le(b, d->n_sents, 8);
    for (size_t w = 0; w < d->n_words; w++)
        wb_le(b, d->words[w], 4);
    for (size_t w = 0; w < d->n_words; w++) /* a byte a word in the file */
        wb_le(b, (uint64_t)dp_skip_get(d->skip, w), 1);
    for (size_t i = 0; i < d->n_sents; i++) {
        const dp_sent_info *si = &d->sents[i];
        wb_le(b, si->start, 8);
        wb_le(b, si->end, 8);
        wb_le(b, si->words, 4);
        wb_le(b, si->tok_begin, 4);
        wb_le(b, si->excluded, 1);
    }
    if (!dim)
        return;
    for (size_t i = 0; i < d->n_sents; i++)
        wb_f32(b, d->sscale[i]);
    for (size_t i = 0; i < d->n_sents * dim; i++)
        wb_le(b, (uint8_t)d->sq[i], 1);
    for (size_t k = 0; k < dim; k++)
        wb_f32(b, d->dvec[k]);
}

int dp_index_write_buffer(const dp_index *ix, uint8_t **buf, size_t *len)
{
    const dp_sweep *sw = dp_index_sweep_const(ix);
    const dp_sweep_opts *o = dp_sweep_get_opts(sw);
    uint32_t model_id;
    int has_model = dp_index_has_model(ix, &model_id);
    size_t dim = dp_sweep_dim(sw), nt = dp_sweep_template_count(sw), nd = dp_sweep_count(sw);
    for (size_t i = 0; i < nd; i++)
        if (dp_sweep_doc_at(sw, i)->sq_spilled)
            return DOPPEL_ERR_INVALID; /* a sweep's spilled vectors are not an index's to save */
    wbuf b = {0};
    wb_room(&b, 8);
    if (!b.failed)
        memcpy(b.p, DP_INDEXFILE_MAGIC, 8);
    wb_le(&b, DP_INDEXFILE_VERSION, 4);
    wb_le(&b, DP_INDEXFILE_HEADER_SIZE, 4);
    wb_le(&b, (has_model ? FLAG_MODEL : 0) | (o->ignore_quotes ? FLAG_QUOTES : 0) |
                  (o->ignore_references ? FLAG_REFERENCES : 0), 4);
    wb_le(&b, o->k, 4);
    wb_le(&b, dim, 4);
    wb_le(&b, model_id, 4);
    wb_f32(&b, o->template_sim);
    wb_le(&b, nt, 4);
    wb_le(&b, nd, 8);
    wb_le(&b, dp_index_skipped_count(ix), 8);
    wb_le(&b, 0, 8); /* file size, filled in below */
    for (size_t i = 0; i < nt; i++)
        write_doc(&b, dp_sweep_template_at(sw, i), dim);
    for (size_t i = 0; i < nd; i++)
        write_doc(&b, dp_sweep_doc_at(sw, i), dim);
    for (size_t i = 0; i < dp_index_skipped_count(ix); i++) {
        const char *id, *reason;
        dp_index_skipped_at(ix, i, &id, &reason);
        wb_str(&b, id);
        wb_str(&b, reason);
    }
    size_t total = b.n + 4;
    uint8_t *size_at = b.failed ? NULL : b.p + 56;
    for (size_t i = 0; size_at && i < 8; i++)
        size_at[i] = (uint8_t)((uint64_t)total >> (8 * i));
    uint32_t crc = b.failed ? 0 : dp_crc32c(0, b.p, b.n);
    wb_le(&b, crc, 4);
    if (b.failed) {
        free(b.p);
        return DOPPEL_ERR_NOMEM;
    }
    *buf = b.p, *len = b.n;
    return DOPPEL_OK;
}

int dp_index_save(const dp_index *ix, const char *path, doppel_diag *diag)
{
    uint8_t *buf;
    size_t len;
    int rc = dp_index_write_buffer(ix, &buf, &len);
    if (rc)
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    rc = dp_atomic_write(path, buf, len, diag);
    free(buf);
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct rbuf {
    const uint8_t *p;
    size_t len, off;
} rbuf;

static uint64_t le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static float le_f32(const uint8_t *p)
{
    uint32_t bits = (uint32_t)le(p, 4);
    float x;
    memcpy(&x, &bits, 4);
    return x;
}

/* The next n bytes, or NULL when fewer are left. */
static const uint8_t *take(rbuf *r, size_t n)
{
    if (n > r->len - r->off)
        return NULL;
    const uint8_t *at = r->p + r->off;
    r->off += n;
    return at;
}

static int corrupt(doppel_diag *diag, const rbuf *r, const char *what)
{
    return dp_diag_set(diag, DOPPEL_ERR_CORRUPT, r->off, DP_NO_POS, "corrupt index: %s", what);
}

/* A u32-length string of at most max bytes without NUL, malloc'd (NULL for length 0). */
static int read_str(rbuf *r, size_t max, char **out, doppel_diag *diag)
{
    *out = NULL;
    const uint8_t *p = take(r, 4);
    if (!p)
        return corrupt(diag, r, "string length past the end");
    size_t n = (size_t)le(p, 4);
    if (n > max)
        return corrupt(diag, r, "string too long");
    const uint8_t *s = take(r, n);
    if (!s)
        return corrupt(diag, r, "string past the end");
    if (n == 0)
        return DOPPEL_OK;
    if (memchr(s, 0, n))
        return corrupt(diag, r, "NUL in a string");
    *out = malloc(n + 1);
    if (!*out)
        return DOPPEL_ERR_NOMEM;
    memcpy(*out, s, n);
    (*out)[n] = '\0';
    return DOPPEL_OK;
}

/* Words and sentences: the sentences partition the words in order, as prepared. */
static int read_words(rbuf *r, dp_sweep_doc *d, doppel_diag *diag)
{
    const uint8_t *p = take(r, 16);
    if (!p)
        return corrupt(diag, r, "document record past the end");
    uint64_t nw = le(p, 8), ns = le(p + 8, 8);
    size_t left = r->len - r->off;
    if (nw == 0 || ns == 0 || ns > nw || nw > left / WORD_BYTES || nw > UINT32_MAX ||
        ns > (left - nw * WORD_BYTES) / SENT_BYTES)
        return corrupt(diag, r, "word or sentence count out of range");
    d->n_words = (size_t)nw, d->n_sents = (size_t)ns;
    d->words = malloc(d->n_words * sizeof *d->words);
    d->skip = calloc(dp_skip_bytes(d->n_words), 1);
    d->sents = malloc(d->n_sents * sizeof *d->sents);
    if (!d->words || !d->skip || !d->sents)
        return DOPPEL_ERR_NOMEM;
    const uint8_t *wh = take(r, d->n_words * 4), *sk = take(r, d->n_words);
    if (!wh || !sk) /* the counts were checked against what is left; this keeps it local */
        return corrupt(diag, r, "word records truncated");
    for (size_t w = 0; w < d->n_words; w++) {
        d->words[w] = (uint32_t)le(wh + 4 * w, 4);
        if (sk[w])
            dp_skip_set(d->skip, w);
        if (sk[w] > 1)
            return corrupt(diag, r, "skip mark not 0 or 1");
    }
    size_t next_word = 0;
    for (size_t i = 0; i < d->n_sents; i++) {
        const uint8_t *s = take(r, SENT_BYTES);
        if (!s)
            return corrupt(diag, r, "sentence records truncated");
        dp_sent_info *si = &d->sents[i];
        *si = (dp_sent_info){le(s, 8), le(s + 8, 8), (uint32_t)le(s + 16, 4), (uint32_t)le(s + 20, 4), s[24], 0};
        if (si->start > si->end || (i && si->start < d->sents[i - 1].start) || si->excluded > 1 ||
            si->tok_begin != next_word || si->words == 0 || si->words > d->n_words - next_word)
            return corrupt(diag, r, "sentence out of order or out of range");
        next_word += si->words;
    }
    if (next_word != d->n_words)
        return corrupt(diag, r, "words outside every sentence");
    return DOPPEL_OK;
}

static int read_vectors(rbuf *r, dp_sweep_doc *d, size_t dim, doppel_diag *diag)
{
    if (d->n_sents > (r->len - r->off) / (4 + dim))
        return corrupt(diag, r, "sentence vectors past the end");
    const uint8_t *sc = take(r, d->n_sents * 4), *sv = take(r, d->n_sents * dim), *dv = take(r, dim * 4);
    if (!dv)
        return corrupt(diag, r, "document vector past the end");
    d->sscale = malloc(d->n_sents * sizeof *d->sscale);
    d->sq = malloc(d->n_sents * dim);
    d->dvec = malloc(dim * sizeof *d->dvec);
    if (!d->sscale || !d->sq || !d->dvec)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < d->n_sents; i++)
        if (!isfinite(d->sscale[i] = le_f32(sc + 4 * i)) || d->sscale[i] < 0.0f)
            return corrupt(diag, r, "sentence vector scale not finite or negative");
    memcpy(d->sq, sv, d->n_sents * dim);
    for (size_t k = 0; k < dim; k++)
        if (!isfinite(d->dvec[k] = le_f32(dv + 4 * k)))
            return corrupt(diag, r, "document vector not finite");
    return DOPPEL_OK;
}

/* Version 3's checksum and source of the text. */
static int read_source(rbuf *r, dp_sweep_doc *d, int is_template, doppel_diag *diag)
{
    const uint8_t *p = take(r, 13);
    if (!p || p[0] > 3 || (!(p[0] & 1) && (le(p + 1, 4) | le(p + 5, 8)) != 0))
        return corrupt(diag, r, "bad text checksum record");
    d->has_sum = p[0] & 1;
    d->extracted = (p[0] & 2) != 0;
    d->text_crc = (uint32_t)le(p + 1, 4);
    d->text_len = le(p + 5, 8);
    int rc = read_str(r, DP_INDEXFILE_MAX_ID, &d->source, diag);
    if (!rc && is_template && d->source)
        rc = corrupt(diag, r, "template with a source");
    return rc;
}

static int read_doc(rbuf *r, dp_sweep_doc *d, int is_template, uint32_t version, size_t dim, doppel_diag *diag)
{
    memset(d, 0, sizeof *d);
    int rc = read_str(r, DP_INDEXFILE_MAX_ID, &d->id, diag);
    if (rc)
        return rc;
    if (is_template != (d->id == NULL))
        return corrupt(diag, r, is_template ? "template with an id" : "document without an id");
    const uint8_t *ref = take(r, 1);
    if (!ref || *ref > 1 || (is_template && *ref))
        return corrupt(diag, r, "bad reference flag");
    d->is_ref = *ref;
    if (version >= 3 && (rc = read_source(r, d, is_template, diag)))
        return rc;
    if ((rc = read_words(r, d, diag)))
        return rc;
    return dim ? read_vectors(r, d, dim, diag) : DOPPEL_OK;
}

static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* Ids are unique: one sort instead of a search per document. */
int dp_index_check_unique(const dp_index *ix, doppel_diag *diag)
{
    const dp_sweep *sw = dp_index_sweep_const(ix);
    size_t nd = dp_sweep_count(sw), ns = dp_index_skipped_count(ix), n = nd + ns;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < nd; i++)
        ids[i] = dp_sweep_doc_at(sw, i)->id;
    for (size_t i = 0; i < ns; i++) {
        const char *reason;
        dp_index_skipped_at(ix, i, &ids[nd + i], &reason);
    }
    if (n)
        qsort(ids, n, sizeof *ids, cmp_str);
    int rc = DOPPEL_OK;
    for (size_t i = 1; i < n && !rc; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            rc = dp_diag_set(diag, DOPPEL_ERR_CORRUPT, DP_NO_POS, DP_NO_POS, "corrupt index: id '%s' twice", ids[i]);
    free(ids);
    return rc;
}

static int read_header(const uint8_t *p, size_t len, dp_index_info *info, doppel_diag *diag)
{
    if (len < 8 || memcmp(p, DP_INDEXFILE_MAGIC, 8) != 0)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_MAGIC, 0, DP_NO_POS, "not a doppel index file");
    if (len < 12)
        return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS, "index header cut short");
    info->version = (uint32_t)le(p + 8, 4);
    if (info->version < DP_INDEXFILE_OLDEST || info->version > DP_INDEXFILE_VERSION)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_VERSION, 8, DP_NO_POS,
                           "index format version %u (this doppel reads %u to %u): %s", info->version,
                           DP_INDEXFILE_OLDEST, DP_INDEXFILE_VERSION, info->version < DP_INDEXFILE_OLDEST
                               ? "rebuild it from the documents with 'doppel index create' and 'doppel index add'"
                               : "it was written by a newer doppel");
    if (len < DP_INDEXFILE_HEADER_SIZE)
        return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS, "index header cut short");
    uint32_t flags = (uint32_t)le(p + 16, 4);
    info->has_model = flags & FLAG_MODEL;
    info->k = (uint32_t)le(p + 20, 4);
    info->dim = (uint32_t)le(p + 24, 4);
    info->model_id = (uint32_t)le(p + 28, 4);
    info->templates = le(p + 36, 4);
    info->documents = le(p + 40, 8);
    info->skipped = le(p + 48, 8);
    if (le(p + 12, 4) != DP_INDEXFILE_HEADER_SIZE || flags > 7 || info->k < 1 || info->k > 64 ||
        (info->has_model != 0) != (info->dim != 0) || info->dim > (1u << 16) ||
        (!info->has_model && info->model_id != 0))
        return dp_diag_set(diag, DOPPEL_ERR_CORRUPT, 12, DP_NO_POS, "corrupt index header");
    return DOPPEL_OK;
}

static int check_model(const dp_index_info *info, const dp_model *model, doppel_diag *diag)
{
    if (!info->has_model && model)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_MISMATCH, DP_NO_POS, DP_NO_POS,
                           "the index was built without a model (lexical only); use it without one");
    if (info->has_model && !model)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_MISMATCH, DP_NO_POS, DP_NO_POS,
                           "the index was built with a model (identity %08x); give that model", info->model_id);
    if (model && (dp_model_identity(model) != info->model_id || model->cfg.out_dim != info->dim))
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_MISMATCH, DP_NO_POS, DP_NO_POS,
                           "the index was built with a different model (identity %08x, this model %08x)",
                           info->model_id, dp_model_identity(model));
    return DOPPEL_OK;
}

int dp_index_read(dp_index **out, const void *buf, size_t len, const dp_model *model, unsigned flags, int threads,
                  const dp_sweep_opts *opts, doppel_diag *diag)
{
    *out = NULL;
    const uint8_t *p = buf;
    dp_index_info info;
    int rc = read_header(p, len, &info, diag);
    if (rc)
        return rc;
    uint64_t size = le(p + 56, 8);
    if (size > len)
        return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS,
                           "index cut short: %zu of %llu bytes", len, (unsigned long long)size);
    if (size != len || len < DP_INDEXFILE_HEADER_SIZE + 4)
        return dp_diag_set(diag, DOPPEL_ERR_CORRUPT, 56, DP_NO_POS, "index size field says %llu bytes, file has %zu",
                           (unsigned long long)size, len);
    if (dp_crc32c(0, p, len - 4) != (uint32_t)le(p + len - 4, 4))
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_CHECKSUM, len - 4, DP_NO_POS, "index checksum mismatch");
    int unencoded = info.has_model && !model && (flags & DP_INDEX_MODEL_OPTIONAL);
    if (!unencoded && (rc = check_model(&info, model, diag)))
        return rc;
    uint32_t hflags = (uint32_t)le(p + 16, 4);
    dp_sweep_opts o = *opts;
    o.k = info.k;
    o.template_sim = le_f32(p + 32);
    o.ignore_quotes = (hflags & FLAG_QUOTES) != 0;
    o.ignore_references = (hflags & FLAG_REFERENCES) != 0;
    if (!isfinite(o.template_sim))
        return dp_diag_set(diag, DOPPEL_ERR_CORRUPT, 32, DP_NO_POS, "corrupt index header");
    dp_index *ix;
    rc = unencoded ? dp_index_create_unencoded(&ix, info.model_id, info.dim, &o)
                   : dp_index_create(&ix, model, threads, &o, diag);
    if (rc)
        return unencoded ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : rc;
    rbuf r = {p, len - 4, DP_INDEXFILE_HEADER_SIZE};
    dp_sweep *sw = dp_index_sweep(ix);
    uint64_t n_docs = info.templates + info.documents;
    /* every record takes at least 21 bytes: a bound before looping on counts */
    uint64_t most = (r.len - r.off) / 8;
    if (info.documents > most || info.skipped > most || n_docs + info.skipped > most)
        rc = corrupt(diag, &r, "more records than bytes");
    for (uint64_t i = 0; i < n_docs && !rc; i++) {
        dp_sweep_doc d;
        int is_template = i < info.templates;
        rc = read_doc(&r, &d, is_template, info.version, info.dim, diag);
        if (!rc && (rc = dp_sweep_insert(sw, &d, is_template)))
            rc = corrupt(diag, &r, "document does not fit the index");
        dp_sweep_doc_free(&d);
    }
    for (uint64_t i = 0; i < info.skipped && !rc; i++) {
        char *id = NULL, *reason = NULL;
        size_t before = dp_index_skipped_count(ix);
        if (!(rc = read_str(&r, DP_INDEXFILE_MAX_ID, &id, diag)) && !(rc = read_str(&r, DP_INDEXFILE_MAX_ID, &reason, diag)))
            rc = id ? dp_index_skip(ix, id, reason ? reason : "") : corrupt(diag, &r, "skipped entry without an id");
        /* dp_index_skip keeps the first of two equal ids; the writer never writes two */
        if (!rc && dp_index_skipped_count(ix) == before)
            rc = dp_diag_set(diag, DOPPEL_ERR_CORRUPT, r.off, DP_NO_POS, "corrupt index: skipped id '%s' twice", id);
        free(id), free(reason);
    }
    if (!rc && r.off != r.len)
        rc = corrupt(diag, &r, "bytes after the last record");
    if (!rc)
        rc = dp_index_check_unique(ix, diag);
    if (rc) {
        dp_index_free(ix);
        return rc;
    }
    *out = ix;
    return DOPPEL_OK;
}

/* dp_index_read's arguments but the bytes (dp_read_parsed's ctx). */
typedef struct index_read {
    dp_index **out;
    const dp_model *model;
    unsigned flags;
    int threads;
    const dp_sweep_opts *opts;
} index_read;

static int parse_index(void *ctx, const char *bytes, size_t len, doppel_diag *diag)
{
    const index_read *r = ctx;
    return dp_index_read(r->out, bytes, len, r->model, r->flags, r->threads, r->opts, diag);
}

int dp_index_load(dp_index **out, const char *path, const dp_model *model, unsigned flags, int threads,
                  const dp_sweep_opts *opts, doppel_diag *diag)
{
    *out = NULL;
    return dp_read_parsed(path, DP_INDEXFILE_MAX_BYTES, parse_index, &(index_read){out, model, flags, threads, opts},
                          diag);
}

int dp_index_peek(const char *path, dp_index_info *info, doppel_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return dp_diag_errno(diag, errno, "open");
    uint8_t head[DP_INDEXFILE_HEADER_SIZE];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return read_header(head, n, info, diag);
}
