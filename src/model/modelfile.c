#include "model/modelfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "core/diag.h"
#include "core/readfile.h"

/* ---- little-endian fields ---- */

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p) { return get_u32(p) | (uint64_t)get_u32(p + 4) << 32; }

static void put_f32(uint8_t *p, float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    put_u32(p, u);
}

static float get_f32(const uint8_t *p)
{
    uint32_t u = get_u32(p);
    float x;
    memcpy(&x, &u, 4);
    return x;
}

/* ---- the tensors a configuration has ---- */

#define MAX_SPECS (5 + 8 * DP_MAX_LAYERS)

typedef struct tensor_spec {
    char name[DP_MODELFILE_NAME_MAX];
    uint32_t ndim, shape[2];
    dp_dtype dtype;
    float *data; /* in the model; NULL for "embed.scale", which has no fp32 home */
} tensor_spec;

static void spec(tensor_spec *t, const char *name, float *data, dp_dtype dtype, uint32_t d0, uint32_t d1)
{
    snprintf(t->name, sizeof t->name, "%s", name);
    t->ndim = d1 ? 2 : 1;
    t->shape[0] = d0;
    t->shape[1] = d1 ? d1 : 1;
    t->dtype = dtype;
    t->data = data;
}

/* The file's tensors for config c and params p (p's views may be NULL), in block order. */
static size_t tensor_specs(tensor_spec *t, const dp_model_params *p, const dp_model_config *c, dp_dtype embed)
{
    static const char *const dir[2] = {"fwd", "bwd"};
    uint32_t H3 = 3 * c->hidden;
    size_t n = 0;
    spec(&t[n++], "embed", p->embed, embed, c->buckets, c->embed_dim);
    if (embed == DP_DTYPE_INT8)
        spec(&t[n++], "embed.scale", NULL, DP_DTYPE_FP32, c->buckets, 0);
    for (uint32_t l = 0; l < c->layers; l++) {
        uint32_t in = l == 0 ? c->embed_dim : 2 * c->hidden;
        for (int d = 0; d < 2; d++) {
            const dp_gru_params *g = &p->gru[l][d];
            char name[DP_MODELFILE_NAME_MAX];
            snprintf(name, sizeof name, "gru.l%u.%s.w_ih", l, dir[d]);
            spec(&t[n++], name, g->w_ih, DP_DTYPE_FP32, H3, in);
            snprintf(name, sizeof name, "gru.l%u.%s.w_hh", l, dir[d]);
            spec(&t[n++], name, g->w_hh, DP_DTYPE_FP32, H3, c->hidden);
            snprintf(name, sizeof name, "gru.l%u.%s.b_ih", l, dir[d]);
            spec(&t[n++], name, g->b_ih, DP_DTYPE_FP32, H3, 0);
            snprintf(name, sizeof name, "gru.l%u.%s.b_hh", l, dir[d]);
            spec(&t[n++], name, g->b_hh, DP_DTYPE_FP32, H3, 0);
        }
    }
    spec(&t[n++], "proj.w", p->proj_w, DP_DTYPE_FP32, c->out_dim, (uint32_t)dp_model_pool_dim(c));
    spec(&t[n++], "proj.b", p->proj_b, DP_DTYPE_FP32, c->out_dim, 0);
    if (c->pooling == DP_POOL_ATTNMAX)
        spec(&t[n++], "pool.attn", p->attn, DP_DTYPE_FP32, c->embed_dim, 0);
    return n;
}

static uint64_t spec_elems(const tensor_spec *t) { return (uint64_t)t->shape[0] * t->shape[1]; }

static uint64_t align64(uint64_t x) { return (x + 63) & ~(uint64_t)63; }

/* Where the writer puts things: the table right after the header, the metadata right
 * after the table, each tensor at the next 64-byte boundary. The reader accepts no other
 * placement, so a file it reads is the file the writer makes of what it read. */
static uint64_t meta_offset(size_t nt) { return DP_MODELFILE_HEADER_SIZE + nt * DP_MODELFILE_ENTRY_SIZE; }

/* off/size of each tensor; returns the end of the last one. */
static uint64_t tensor_offsets(const tensor_spec *t, size_t nt, uint64_t meta_len, uint64_t *off, uint64_t *size)
{
    uint64_t end = meta_offset(nt) + meta_len;
    for (size_t i = 0; i < nt; i++) {
        off[i] = align64(end);
        size[i] = spec_elems(&t[i]) * dp_dtype_size(t[i].dtype);
        end = off[i] + size[i];
    }
    return end;
}

/* ---- writing ---- */

int dp_model_save_buffer(const dp_model *m, dp_dtype embed_dtype, const char *metadata, void **buf,
                         size_t *len, doppel_diag *diag)
{
    *buf = NULL;
    *len = 0;
    const dp_model_config *c = &m->cfg;
    if (m->q8.q)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "the model was read for inference (int8 embedding kept); read it without "
                           "DP_MODEL_KEEP_INT8 to save it");
    if (!dp_dtype_name(embed_dtype))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "unknown dtype %d", (int)embed_dtype);
    if (!metadata)
        metadata = "";
    size_t meta_len = strlen(metadata);
    if (meta_len > DP_MODELFILE_MAX_METADATA)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "metadata of %zu bytes exceeds the limit of %u", meta_len, DP_MODELFILE_MAX_METADATA);
    for (size_t i = 0; i < m->nparams; i++)
        if (!isfinite(m->block[i]))
            return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                               "parameter %zu is not finite; refusing to save", i);
    size_t nembed = (size_t)c->buckets * c->embed_dim;
    if (embed_dtype == DP_DTYPE_FP16 && !dp_fp16_fits(m->p.embed, nembed))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "an embedding value is beyond the fp16 range (65504); save as fp32 or int8");

    tensor_spec t[MAX_SPECS];
    size_t nt = tensor_specs(t, &m->p, c, embed_dtype);
    uint64_t table = DP_MODELFILE_HEADER_SIZE, meta = meta_offset(nt);
    uint64_t off[MAX_SPECS], size[MAX_SPECS], end = tensor_offsets(t, nt, meta_len, off, size);
    uint64_t file_size = end + 4;
    uint8_t *b = calloc(1, (size_t)file_size);
    if (!b)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);

    memcpy(b, DP_MODELFILE_MAGIC, 8);
    put_u32(b + 8, DP_MODELFILE_VERSION);
    put_u32(b + 12, DP_MODELFILE_HEADER_SIZE);
    const uint32_t dims[] = {c->embed_dim, c->hidden, c->layers, c->out_dim, c->buckets, c->pooling};
    for (int i = 0; i < 6; i++)
        put_u32(b + 16 + 4 * i, dims[i]);
    put_u64(b + 40, c->hash_seed);
    put_u32(b + 48, c->minn);
    put_u32(b + 52, c->maxn);
    put_u32(b + 56, c->strip_accents);
    put_u32(b + 60, (uint32_t)nt);
    put_u64(b + 64, table);
    put_u64(b + 72, meta);
    put_u64(b + 80, meta_len);
    put_u64(b + 88, file_size);
    memcpy(b + meta, metadata, meta_len);

    int8_t *q = NULL;
    float *scale = NULL;
    if (embed_dtype == DP_DTYPE_INT8) {
        q = malloc(nembed ? nembed : 1);
        scale = malloc((size_t)c->buckets * sizeof *scale);
        if (!q || !scale) {
            free(q), free(scale), free(b);
            return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
        }
        dp_int8_quantize(q, scale, m->p.embed, c->buckets, c->embed_dim);
    }
    for (size_t i = 0; i < nt; i++) {
        uint8_t *e = b + table + i * DP_MODELFILE_ENTRY_SIZE;
        memcpy(e, t[i].name, strlen(t[i].name));
        put_u32(e + 32, t[i].dtype);
        put_u32(e + 36, t[i].ndim);
        put_u32(e + 40, t[i].shape[0]);
        put_u32(e + 44, t[i].shape[1]);
        put_u64(e + 48, off[i]);
        put_u64(e + 56, size[i]);

        uint8_t *d = b + off[i];
        size_t n = (size_t)spec_elems(&t[i]);
        const float *src = t[i].data ? t[i].data : scale;
        if (t[i].dtype == DP_DTYPE_INT8)
            memcpy(d, q, n);
        else if (t[i].dtype == DP_DTYPE_FP16)
            for (size_t k = 0; k < n; k++) {
                uint16_t h = dp_fp16_from_f32(src[k]);
                d[2 * k] = (uint8_t)h, d[2 * k + 1] = (uint8_t)(h >> 8);
            }
        else
            for (size_t k = 0; k < n; k++)
                put_f32(d + 4 * k, src[k]);
    }
    free(q);
    free(scale);
    put_u32(b + end, dp_crc32c(0, b, (size_t)end));
    *buf = b;
    *len = (size_t)file_size;
    return DOPPEL_OK;
}

int dp_model_save(const dp_model *m, const char *path, dp_dtype embed_dtype, const char *metadata,
                  doppel_diag *diag)
{
    void *buf;
    size_t len;
    int rc = dp_model_save_buffer(m, embed_dtype, metadata, &buf, &len, diag);
    if (rc)
        return rc;
    dp_atomic_file af;
    rc = dp_atomic_open(&af, path, diag);
    if (rc == DOPPEL_OK) {
        if (fwrite(buf, 1, len, af.f) != len) {
            dp_atomic_abort(&af);
            rc = dp_diag_errno(diag, EIO, "cannot write model");
        } else {
            rc = dp_atomic_commit(&af, diag);
        }
    }
    free(buf);
    return rc;
}

/* ---- reading ---- */

typedef struct file_entry {
    char name[DP_MODELFILE_NAME_MAX];
    uint32_t dtype, ndim, shape[2];
    uint64_t off, size;
    const uint8_t *at; /* where the entry sits, for diag offsets */
} file_entry;

/* Does [off, off+size) lie inside [lo, hi)? Written so nothing can overflow. */
static int in_range(uint64_t off, uint64_t size, uint64_t lo, uint64_t hi)
{
    return off >= lo && off <= hi && size <= hi - off;
}

#define CORRUPT(pos, ...) dp_diag_set(diag, DOPPEL_ERR_CORRUPT, (uint64_t)(pos), DP_NO_POS, __VA_ARGS__)

static int read_header(dp_model_config *c, uint64_t *file_size, const uint8_t *b, size_t len, doppel_diag *diag)
{
    if (len < 8 || memcmp(b, DP_MODELFILE_MAGIC, 8) != 0) {
        if (len < 8 && memcmp(b, DP_MODELFILE_MAGIC, len) == 0)
            return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS,
                               "file ends at byte %zu, inside the magic number", len);
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_MAGIC, 0, DP_NO_POS,
                           "not a doppel model file (no \"DOPPELM\" magic number)");
    }
    if (len < 12)
        return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS,
                           "file ends at byte %zu, before its format version", len);
    uint32_t version = get_u32(b + 8);
    if (version != DP_MODELFILE_VERSION)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_VERSION, 8, DP_NO_POS,
                           "model file format version %u; this build of doppel reads version %u (%s)", version,
                           DP_MODELFILE_VERSION,
                           version < DP_MODELFILE_VERSION ? "train it again with this doppel's 'doppel train'"
                                                          : "it was written by a newer doppel");
    if (len < DP_MODELFILE_HEADER_SIZE)
        return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS,
                           "file ends at byte %zu, inside the %u-byte header", len, DP_MODELFILE_HEADER_SIZE);
    if (get_u32(b + 12) != DP_MODELFILE_HEADER_SIZE)
        return CORRUPT(12, "header size %u, expected %u", get_u32(b + 12), DP_MODELFILE_HEADER_SIZE);
    *file_size = get_u64(b + 88);
    if (*file_size > len)
        return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS,
                           "file ends at byte %zu but its header says it has %llu bytes", len,
                           (unsigned long long)*file_size);
    if (*file_size < len)
        return CORRUPT(*file_size, "%zu unexpected bytes after the end of the model", len - (size_t)*file_size);
    if (*file_size < DP_MODELFILE_HEADER_SIZE + 4)
        return CORRUPT(88, "file size field %llu is too small", (unsigned long long)*file_size);
    uint32_t stored = get_u32(b + len - 4), computed = dp_crc32c(0, b, len - 4);
    if (stored != computed)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_CHECKSUM, len - 4, DP_NO_POS,
                           "checksum mismatch (stored CRC-32C %08x, content gives %08x): the file is corrupt",
                           stored, computed);
    memset(c, 0, sizeof *c);
    c->embed_dim = get_u32(b + 16);
    c->hidden = get_u32(b + 20);
    c->layers = get_u32(b + 24);
    c->out_dim = get_u32(b + 28);
    c->buckets = get_u32(b + 32);
    c->pooling = get_u32(b + 36);
    c->hash_seed = get_u64(b + 40);
    c->minn = get_u32(b + 48);
    c->maxn = get_u32(b + 52);
    c->strip_accents = get_u32(b + 56);
    doppel_diag why;
    if (dp_model_config_check(c, &why) != DOPPEL_OK)
        return CORRUPT(16, "header: %s", why.message);
    return DOPPEL_OK;
}

static int read_table(file_entry *e, uint32_t *count, const uint8_t *b, uint64_t data_end, doppel_diag *diag)
{
    *count = get_u32(b + 60);
    uint64_t table = get_u64(b + 64);
    if (*count > DP_MODELFILE_MAX_TENSORS)
        return CORRUPT(60, "%u tensors, more than the limit of %u", *count, DP_MODELFILE_MAX_TENSORS);
    if (!in_range(table, (uint64_t)*count * DP_MODELFILE_ENTRY_SIZE, DP_MODELFILE_HEADER_SIZE, data_end))
        return CORRUPT(64, "tensor table at byte %llu lies outside the file", (unsigned long long)table);
    for (uint32_t i = 0; i < *count; i++) {
        const uint8_t *p = b + table + (uint64_t)i * DP_MODELFILE_ENTRY_SIZE;
        uint64_t pos = (uint64_t)(p - b);
        if (!memchr(p, 0, DP_MODELFILE_NAME_MAX))
            return CORRUPT(pos, "tensor %u has an unterminated name", i);
        memcpy(e[i].name, p, DP_MODELFILE_NAME_MAX);
        e[i].dtype = get_u32(p + 32);
        e[i].ndim = get_u32(p + 36);
        e[i].shape[0] = get_u32(p + 40);
        e[i].shape[1] = get_u32(p + 44);
        e[i].off = get_u64(p + 48);
        e[i].size = get_u64(p + 56);
        e[i].at = p;
        if (!in_range(e[i].off, e[i].size, DP_MODELFILE_HEADER_SIZE, data_end))
            return CORRUPT(pos, "tensor '%s' (%llu bytes at byte %llu) lies outside the file", e[i].name,
                           (unsigned long long)e[i].size, (unsigned long long)e[i].off);
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(e[j].name, e[i].name) == 0)
                return CORRUPT(pos, "tensor '%s' appears twice", e[i].name);
    }
    return DOPPEL_OK;
}

static const file_entry *find_entry(const file_entry *e, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(e[i].name, name) == 0)
            return &e[i];
    return NULL;
}

/* Matches each expected tensor to its entry (same dtype, shape, byte size); no extras. */
static int match_tensors(const file_entry **found, const tensor_spec *t, size_t nt, const file_entry *e,
                         uint32_t ne, const uint8_t *b, doppel_diag *diag)
{
    for (size_t i = 0; i < nt; i++) {
        const file_entry *f = found[i] = find_entry(e, ne, t[i].name);
        if (!f)
            return CORRUPT(DP_NO_POS, "tensor '%s' is missing", t[i].name);
        uint64_t pos = (uint64_t)(f->at - b);
        if (f->dtype != (uint32_t)t[i].dtype)
            return CORRUPT(pos, "tensor '%s' has dtype %u, expected %s", f->name, f->dtype,
                           dp_dtype_name(t[i].dtype));
        if (f->ndim != t[i].ndim || f->shape[0] != t[i].shape[0] || f->shape[1] != t[i].shape[1])
            return CORRUPT(pos, "tensor '%s' has shape %ux%u (ndim %u); the header's sizes give %ux%u", f->name,
                           f->shape[0], f->shape[1], f->ndim, t[i].shape[0], t[i].shape[1]);
        if (f->size != spec_elems(&t[i]) * dp_dtype_size(t[i].dtype))
            return CORRUPT(pos, "tensor '%s' has %llu bytes, its shape needs %llu", f->name,
                           (unsigned long long)f->size,
                           (unsigned long long)(spec_elems(&t[i]) * dp_dtype_size(t[i].dtype)));
    }
    if (ne != nt)
        for (uint32_t j = 0; j < ne; j++) {
            size_t i = 0;
            while (i < nt && strcmp(t[i].name, e[j].name) != 0)
                i++;
            if (i == nt)
                return CORRUPT((uint64_t)(e[j].at - b), "unknown tensor '%s'", e[j].name);
        }
    return DOPPEL_OK;
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* The entries (already matched to t by name, dtype and shape) sit where the writer puts
 * them, in its order, with zero name padding and zero gaps. */
static int check_layout(const tensor_spec *t, size_t nt, const file_entry *e, const uint8_t *b, uint64_t data_end,
                        doppel_diag *diag)
{
    uint64_t meta = get_u64(b + 72), meta_len = get_u64(b + 80);
    if (get_u64(b + 64) != DP_MODELFILE_HEADER_SIZE)
        return CORRUPT(64, "tensor table at byte %llu, not right after the header (%u)",
                       (unsigned long long)get_u64(b + 64), DP_MODELFILE_HEADER_SIZE);
    if (meta != meta_offset(nt))
        return CORRUPT(72, "metadata at byte %llu, not right after the tensor table (%llu)", (unsigned long long)meta,
                       (unsigned long long)meta_offset(nt));
    uint64_t off[MAX_SPECS], size[MAX_SPECS];
    if (tensor_offsets(t, nt, meta_len, off, size) != data_end)
        return CORRUPT(88, "file size %llu, its tensors end at byte %llu", (unsigned long long)(data_end + 4),
                       (unsigned long long)tensor_offsets(t, nt, meta_len, off, size));
    uint64_t prev_end = meta + meta_len;
    for (size_t i = 0; i < nt; i++) {
        uint64_t pos = (uint64_t)(e[i].at - b);
        size_t name_len = strlen(e[i].name);
        if (strcmp(e[i].name, t[i].name) != 0)
            return CORRUPT(pos, "tensor %zu is '%s', the writer puts '%s' there", i, e[i].name, t[i].name);
        if (!all_zero(e[i].at + name_len, DP_MODELFILE_NAME_MAX - name_len))
            return CORRUPT(pos + name_len, "tensor '%s': bytes after its name are not zero", e[i].name);
        if (e[i].off != off[i])
            return CORRUPT(pos + 48, "tensor '%s' at byte %llu, the writer puts it at %llu", e[i].name,
                           (unsigned long long)e[i].off, (unsigned long long)off[i]);
        if (!all_zero(b + prev_end, (size_t)(off[i] - prev_end)))
            return CORRUPT(prev_end, "padding before tensor '%s' is not zero", e[i].name);
        prev_end = off[i] + size[i];
    }
    return DOPPEL_OK;
}

/* What dp_int8_quantize makes: no -128, and each row either all zero with scale 0 or
 * reaching ±127 (its largest value maps to 127). */
static int check_int8_rows(const int8_t *q, const float *scale, size_t rows, size_t cols, const file_entry *f,
                           doppel_diag *diag)
{
    for (size_t r = 0; r < rows; r++) {
        if (signbit(scale[r]))
            return CORRUPT(f->off + r * cols, "tensor '%s' row %zu has a negative scale", f->name, r);
        int top = 0;
        for (size_t k = r * cols; k < (r + 1) * cols; k++) {
            if (q[k] == -128)
                return CORRUPT(f->off + k, "tensor '%s' has -128 at index %zu (the writer uses -127..127)", f->name, k);
            top = abs(q[k]) > top ? abs(q[k]) : top;
        }
        if (top != 127 && !(top == 0 && scale[r] == 0.0f))
            return CORRUPT(f->off + r * cols, "tensor '%s' row %zu is not quantized as the writer does (largest |q| %d)",
                           f->name, r, top);
    }
    return DOPPEL_OK;
}

static int check_finite(const float *x, size_t n, const file_entry *f, size_t elem_size, doppel_diag *diag)
{
    for (size_t k = 0; k < n; k++)
        if (!isfinite(x[k]))
            return CORRUPT(f->off + k * elem_size, "tensor '%s' has a non-finite value at index %zu", f->name, k);
    return DOPPEL_OK;
}

/* Every value q [rows][cols] with scale [rows] stands for must be finite: a finite scale
 * times 127 can still overflow. */
static int check_int8(const int8_t *q, const float *scale, size_t rows, size_t cols, const file_entry *f,
                      doppel_diag *diag)
{
    for (size_t r = 0; r < rows; r++)
        for (size_t k = r * cols; k < (r + 1) * cols; k++)
            if (!isfinite(dp_int8_value(q[k], scale[r])))
                return CORRUPT(f->off + k, "tensor '%s' has a non-finite value at index %zu", f->name, k);
    return DOPPEL_OK;
}

/* Decodes one tensor into dst (fp32 or fp16 elements). */
static int decode(float *dst, const file_entry *f, const uint8_t *b, size_t n, doppel_diag *diag)
{
    const uint8_t *d = b + f->off;
    if (f->dtype == DP_DTYPE_FP16)
        for (size_t k = 0; k < n; k++)
            dst[k] = dp_f32_from_fp16((uint16_t)(d[2 * k] | d[2 * k + 1] << 8));
    else
        for (size_t k = 0; k < n; k++)
            dst[k] = get_f32(d + 4 * k);
    return check_finite(dst, n, f, dp_dtype_size(f->dtype), diag);
}

int dp_model_read_flags(dp_model **out, dp_model_file_info *info, const void *buf, size_t len, unsigned flags,
                        doppel_diag *diag)
{
    *out = NULL;
    if (info)
        memset(info, 0, sizeof *info);
    const uint8_t *b = buf;
    dp_model_config c;
    uint64_t file_size = 0;
    int rc = read_header(&c, &file_size, b, len, diag);
    if (rc)
        return rc;
    uint64_t data_end = file_size - 4;

    uint64_t meta = get_u64(b + 72), meta_len = get_u64(b + 80);
    if (meta_len > DP_MODELFILE_MAX_METADATA || !in_range(meta, meta_len, DP_MODELFILE_HEADER_SIZE, data_end))
        return CORRUPT(72, "metadata (%llu bytes at byte %llu) lies outside the file", (unsigned long long)meta_len,
                       (unsigned long long)meta);
    if (memchr(b + meta, 0, (size_t)meta_len))
        return CORRUPT(meta, "metadata contains a NUL byte");

    file_entry e[DP_MODELFILE_MAX_TENSORS];
    uint32_t ne;
    if ((rc = read_table(e, &ne, b, data_end, diag)))
        return rc;
    const file_entry *embed = find_entry(e, ne, "embed");
    if (!embed)
        return CORRUPT(DP_NO_POS, "tensor 'embed' is missing");
    if (!dp_dtype_name((dp_dtype)embed->dtype))
        return CORRUPT((uint64_t)(embed->at - b), "tensor 'embed' has unknown dtype %u", embed->dtype);
    dp_dtype embed_dtype = (dp_dtype)embed->dtype;

    /* Every size is now checked against the file; only then allocate. */
    dp_model_params none;
    dp_model_params_carve(&none, NULL, &c);
    tensor_spec t[MAX_SPECS];
    const file_entry *found[MAX_SPECS];
    size_t nt = tensor_specs(t, &none, &c, embed_dtype);
    if ((rc = match_tensors(found, t, nt, e, ne, b, diag)) || (rc = check_layout(t, nt, e, b, data_end, diag)))
        return rc;

    int keep_int8 = (flags & DP_MODEL_KEEP_INT8) && embed_dtype == DP_DTYPE_INT8;
    dp_model *m;
    if ((rc = keep_int8 ? dp_model_alloc_int8(&m, &c, diag) : dp_model_alloc(&m, &c, diag)))
        return rc;
    tensor_specs(t, &m->p, &c, embed_dtype);
    for (size_t i = 0; i < nt && rc == DOPPEL_OK; i++) {
        size_t n = (size_t)spec_elems(&t[i]);
        if (t[i].dtype == DP_DTYPE_INT8) {
            const file_entry *s = found[i + 1]; /* "embed.scale" follows "embed" */
            const int8_t *q = (const int8_t *)(b + found[i]->off);
            float *scale = keep_int8 ? m->q8.scale : malloc(c.buckets * sizeof *scale);
            if (!scale) {
                rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
                break;
            }
            rc = decode(scale, s, b, c.buckets, diag);
            if (rc == DOPPEL_OK)
                rc = check_int8_rows(q, scale, c.buckets, c.embed_dim, found[i], diag);
            if (rc == DOPPEL_OK && keep_int8) {
                rc = check_int8(q, scale, c.buckets, c.embed_dim, found[i], diag);
                if (rc == DOPPEL_OK)
                    memcpy(m->q8.q, q, n);
            } else if (rc == DOPPEL_OK) { /* the values themselves, checked once made */
                dp_int8_dequantize(t[i].data, q, scale, c.buckets, c.embed_dim);
                rc = check_finite(t[i].data, n, found[i], 1, diag);
            }
            if (!keep_int8)
                free(scale);
        } else if (t[i].data) {
            rc = decode(t[i].data, found[i], b, n, diag);
        }
    }
    if (rc == DOPPEL_OK && info) {
        info->metadata = malloc((size_t)meta_len + 1);
        if (!info->metadata) {
            rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
        } else {
            memcpy(info->metadata, b + meta, (size_t)meta_len);
            info->metadata[meta_len] = '\0';
            info->version = DP_MODELFILE_VERSION;
            info->embed_dtype = embed_dtype;
            info->file_size = file_size;
        }
    }
    if (rc) {
        dp_model_free(m);
        return rc;
    }
    *out = m;
    return DOPPEL_OK;
}

int dp_model_read(dp_model **out, dp_model_file_info *info, const void *buf, size_t len, doppel_diag *diag)
{
    return dp_model_read_flags(out, info, buf, len, 0, diag);
}

int dp_model_load_buffer(dp_model **out, const void *buf, size_t len, doppel_diag *diag)
{
    return dp_model_read(out, NULL, buf, len, diag);
}

/* dp_model_read_flags' arguments but the bytes (dp_read_parsed's ctx). */
typedef struct model_read {
    dp_model **out;
    dp_model_file_info *info;
    unsigned flags;
} model_read;

static int parse_model(void *ctx, const char *bytes, size_t len, doppel_diag *diag)
{
    const model_read *r = ctx;
    return dp_model_read_flags(r->out, r->info, bytes, len, r->flags, diag);
}

int dp_model_load_info(dp_model **out, dp_model_file_info *info, const char *path, unsigned flags,
                       doppel_diag *diag)
{
    *out = NULL;
    if (info)
        memset(info, 0, sizeof *info);
    return dp_read_parsed(path, DP_MODELFILE_MAX_BYTES, parse_model, &(model_read){out, info, flags}, diag);
}

int dp_model_load(dp_model **out, const char *path, doppel_diag *diag)
{
    return dp_model_load_info(out, NULL, path, 0, diag);
}

void dp_model_file_info_free(dp_model_file_info *info)
{
    if (!info)
        return;
    free(info->metadata);
    info->metadata = NULL;
}
