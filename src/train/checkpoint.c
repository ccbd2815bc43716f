#include "train/checkpoint.h"

#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "model/modelfile.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "checkpoints store float arrays as they are in memory: little-endian hosts only"
#endif

#define MAGIC "DPCKPT3"
/* older layouts: 1 had no curriculum (and prose copies fixed for the run), 2 no total steps */
static const char *const older[] = {"DPCKPT1", "DPCKPT2"};
#define N_SAMPLER_U64 (4 + 4 * DP_DATA_MAX_SOURCES)

/* The sampler state as a flat list of u64 (rng, then pass, then pos). */
static void sampler_pack(uint64_t *u, const dp_sampler_state *s)
{
    memcpy(u, s->rng.s, 4 * sizeof *u);
    memcpy(u + 4, s->pass, sizeof s->pass);
    memcpy(u + 4 + 2 * DP_DATA_MAX_SOURCES, s->pos, sizeof s->pos);
}

static void sampler_unpack(dp_sampler_state *s, const uint64_t *u)
{
    memcpy(s->rng.s, u, 4 * sizeof *u);
    memcpy(s->pass, u + 4, sizeof s->pass);
    memcpy(s->pos, u + 4 + 2 * DP_DATA_MAX_SOURCES, sizeof s->pos);
}

typedef struct writer {
    FILE *f;
    uint32_t crc;
    int ok;
} writer;

static void put(writer *w, const void *p, size_t n)
{
    w->crc = dp_crc32c(w->crc, p, n);
    if (n && fwrite(p, 1, n, w->f) != n)
        w->ok = 0;
}

static void put_u64(writer *w, uint64_t v) { put(w, &v, sizeof v); }

int dp_ckpt_write(const char *path, const dp_ckpt_view *v, doppel_diag *diag)
{
    void *img;
    size_t img_len;
    int rc = dp_model_save_buffer(v->model, DP_DTYPE_FP32, NULL, &img, &img_len, diag);
    if (rc)
        return rc;
    dp_atomic_file af;
    dp_atomic_remove_stale(path);
    rc = dp_atomic_open(&af, path, diag);
    if (rc) {
        free(img);
        return rc;
    }
    writer w = {af.f, 0, 1};
    uint64_t su[N_SAMPLER_U64];
    sampler_pack(su, v->sampler);
    put(&w, MAGIC, 8);
    put_u64(&w, v->step);
    put_u64(&w, v->seed);
    put_u64(&w, v->batch);
    put(&w, &v->curriculum, sizeof v->curriculum);
    put_u64(&w, v->steps);
    put(&w, su, sizeof su);
    put_u64(&w, v->opt->t);
    put_u64(&w, img_len);
    put(&w, img, img_len);
    put_u64(&w, v->opt->n);
    put(&w, v->opt->m, v->opt->n * sizeof(float));
    put(&w, v->opt->v, v->opt->n * sizeof(float));
    uint32_t crc = w.crc;
    put(&w, &crc, sizeof crc);
    free(img);
    if (!w.ok) {
        dp_atomic_abort(&af);
        return dp_diag_set(diag, DOPPEL_ERR_IO, DP_NO_POS, DP_NO_POS, "writing the checkpoint failed");
    }
    return dp_atomic_commit(&af, diag);
}

static int same_shape(const dp_model_config *a, const dp_model_config *b)
{
    return a->embed_dim == b->embed_dim && a->hidden == b->hidden && a->layers == b->layers &&
           a->out_dim == b->out_dim && a->buckets == b->buckets && a->pooling == b->pooling &&
           a->hash_seed == b->hash_seed && a->minn == b->minn && a->maxn == b->maxn &&
           a->strip_accents == b->strip_accents;
}

typedef struct reader {
    const unsigned char *p, *end;
} reader;

static int take(reader *r, void *dst, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return 0;
    if (dst)
        memcpy(dst, r->p, n);
    r->p += n;
    return 1;
}

int dp_ckpt_read(const char *path, dp_ckpt_view *v, doppel_diag *diag)
{
    char *data;
    size_t len;
    int rc = dp_read_file(path, (size_t)1 << 36, &data, &len, diag);
    if (rc)
        return rc;
    reader r = {(const unsigned char *)data, (const unsigned char *)data + len};
    char magic[8];
    uint64_t step, steps, seed, batch, t, img_len, n, su[N_SAMPLER_U64];
    double curriculum;
    uint32_t crc;
    dp_model *m = NULL;
    for (size_t k = 0; k < sizeof older / sizeof *older; k++)
        if (len >= 8 && memcmp(data, older[k], 8) == 0) {
            rc = dp_diag_set(diag, DOPPEL_ERR_MODEL_VERSION, 0, DP_NO_POS,
                             "training checkpoint of an older doppel (%s), which cannot be resumed exactly; "
                             "start the run again",
                             older[k]);
            goto out;
        }
    if (!take(&r, magic, 8) || memcmp(magic, MAGIC, 8) != 0) {
        rc = dp_diag_set(diag, DOPPEL_ERR_MODEL_MAGIC, 0, DP_NO_POS, "not a doppel training checkpoint");
        goto out;
    }
    if (len < 12 || (memcpy(&crc, data + len - 4, 4), crc != dp_crc32c(0, data, len - 4))) {
        rc = dp_diag_set(diag, DOPPEL_ERR_MODEL_CHECKSUM, DP_NO_POS, DP_NO_POS, "checkpoint checksum mismatch");
        goto out;
    }
    r.end -= 4;
    const unsigned char *img;
    if (!take(&r, &step, 8) || !take(&r, &seed, 8) || !take(&r, &batch, 8) || !take(&r, &curriculum, 8) ||
        !take(&r, &steps, 8) || !take(&r, su, sizeof su) ||
        !take(&r, &t, 8) || !take(&r, &img_len, 8) || img_len > (size_t)(r.end - r.p) ||
        (img = r.p, !take(&r, NULL, img_len)) || !take(&r, &n, 8) || n != v->opt->n ||
        (size_t)(r.end - r.p) != 2 * n * sizeof(float)) {
        rc = dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, (uint64_t)(r.p - (const unsigned char *)data), DP_NO_POS,
                         "checkpoint sizes are inconsistent");
        goto out;
    }
    if ((rc = dp_model_read(&m, NULL, img, img_len, diag)))
        goto out;
    if (seed != v->seed || batch != v->batch || curriculum != v->curriculum || !same_shape(&m->cfg, &v->model->cfg)) {
        rc = dp_diag_set(diag, DOPPEL_ERR_MODEL_MISMATCH, DP_NO_POS, DP_NO_POS,
                         "checkpoint of a different run (seed %llu, batch %llu, curriculum %g, or model shape differ)",
                         (unsigned long long)seed, (unsigned long long)batch, curriculum);
        goto out;
    }
    memcpy(v->model->block, m->block, m->nparams * sizeof(float));
    take(&r, v->opt->m, n * sizeof(float));
    take(&r, v->opt->v, n * sizeof(float));
    v->opt->t = t;
    v->steps = steps;
    sampler_unpack(v->sampler, su);
    v->step = step;
out:
    dp_model_free(m);
    free(data);
    return rc;
}
