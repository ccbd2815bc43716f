/* The model file: CRC-32C, fp16/int8 conversion, round trips, golden header bytes, and
 * hostile input (truncation, flipped bytes, wrong magic/version, oversize dims, NaN). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/checksum.h"
#include "core/diag.h"
#include "core/rng.h"
#include "model/modelfile.h"
#include "model/modelpath.h"
#include "model/quant.h"

/* ---- helpers ---- */

static dp_model *tiny_model(uint32_t buckets, uint32_t embed, uint32_t hidden, uint32_t layers, uint32_t out,
                            uint32_t pooling, uint64_t seed)
{
    dp_model_config c;
    dp_model_config_default(&c);
    c.buckets = buckets, c.embed_dim = embed, c.hidden = hidden, c.layers = layers, c.out_dim = out;
    c.pooling = pooling;
    dp_model *m;
    assert_int_equal(dp_model_alloc(&m, &c, NULL), DOPPEL_OK);
    dp_model_init_random(m, seed);
    return m;
}

static uint8_t *save(const dp_model *m, dp_dtype t, const char *meta, size_t *len)
{
    void *buf;
    doppel_diag d;
    assert_int_equal(dp_model_save_buffer(m, t, meta, &buf, len, &d), DOPPEL_OK);
    return buf;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p) { return get_u32(p) | (uint64_t)get_u32(p + 4) << 32; }

/* Re-seals a tampered image so only the tampering, not the checksum, is what fails. */
static void reseal(uint8_t *b, size_t len) { put_u32(b + len - 4, dp_crc32c(0, b, len - 4)); }

static int load_rc(const uint8_t *b, size_t len, doppel_diag *d)
{
    dp_model *m = NULL;
    dp_diag_clear(d);
    int rc = dp_model_load_buffer(&m, b, len, d);
    assert_true(rc != DOPPEL_OK || m != NULL);
    dp_model_free(m);
    return rc;
}

/* Offset of the named tensor's data, from the table. */
static uint64_t tensor_offset(const uint8_t *b, const char *name)
{
    uint32_t n = get_u32(b + 60);
    uint64_t table = get_u64(b + 64);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = b + table + 64 * i;
        if (strcmp((const char *)e, name) == 0)
            return get_u64(e + 48);
    }
    fail_msg("no tensor %s", name);
    return 0;
}

/* ---- CRC-32C ---- */

static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (c & 1 ? 0x82f63b78u : 0);
    }
    return ~c;
}

static void test_crc32c(void **state)
{
    (void)state;
    assert_int_equal(dp_crc32c(0, "123456789", 9), 0xe3069283u); /* the catalogued check value */
    assert_int_equal(dp_crc32c(0, "", 0), 0);
    uint8_t buf[1000];
    dp_rng r;
    dp_rng_seed(&r, 7);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)dp_rng_next(&r);
    assert_int_equal(dp_crc32c(0, buf, sizeof buf), crc_bitwise(buf, sizeof buf));
    assert_int_equal(dp_crc32c(dp_crc32c(0, buf, 333), buf + 333, 667), dp_crc32c(0, buf, sizeof buf));
}

/* ---- fp16 and int8 ---- */

static void test_fp16(void **state)
{
    (void)state;
    for (uint32_t h = 0; h < 0x10000u; h++) {
        float x = dp_f32_from_fp16((uint16_t)h);
        if (isnan(x))
            assert_true((h & 0x7c00u) == 0x7c00u && (h & 0x3ffu));
        else
            assert_int_equal(dp_fp16_from_f32(x), h); /* every half survives a trip through fp32 */
    }
    assert_true(dp_f32_from_fp16(0x3c00) == 1.0f);
    assert_true(dp_f32_from_fp16(0x7bff) == 65504.0f);
    assert_true(dp_f32_from_fp16(0x0001) == 0x1p-24f);
    assert_int_equal(dp_fp16_from_f32(65519.0f), 0x7bff); /* below the halfway point to 65536 */
    assert_int_equal(dp_fp16_from_f32(65520.0f), 0x7c00); /* rounds to infinity */
    assert_int_equal(dp_fp16_from_f32(1.0f + 0x1p-11f), 0x3c00); /* tie to even */
    assert_int_equal(dp_fp16_from_f32(1.0f + 3 * 0x1p-11f), 0x3c02);
    assert_int_equal(dp_fp16_from_f32(0x1p-25f), 0x0000);
    assert_int_equal(dp_fp16_from_f32(0x1.8p-25f), 0x0001);
#ifdef __FLT16_MAX__
    /* the compiler's own conversion is an independent reference */
    dp_rng r;
    dp_rng_seed(&r, 11);
    for (int i = 0; i < 200000; i++) {
        uint32_t u = (uint32_t)dp_rng_next(&r);
        float x;
        memcpy(&x, &u, 4);
        if (isnan(x))
            continue;
        __extension__ _Float16 ref = (__extension__(_Float16) x);
        uint16_t rb;
        memcpy(&rb, &ref, 2);
        assert_int_equal(dp_fp16_from_f32(x), rb);
    }
#endif
}

static void test_int8(void **state)
{
    (void)state;
    enum { R = 5, C = 7 };
    float x[R * C], y[R * C], s[R];
    int8_t q[R * C];
    dp_rng r;
    dp_rng_seed(&r, 3);
    for (int i = 0; i < R * C; i++)
        x[i] = (float)dp_rng_normal(&r) * (float)(1 + i / C);
    for (int c = 0; c < C; c++)
        x[2 * C + c] = 0.0f; /* an all-zero row */
    dp_int8_quantize(q, s, x, R, C);
    dp_int8_dequantize(y, q, s, R, C);
    assert_true(s[2] == 0.0f);
    for (int i = 0; i < R * C; i++) {
        float m = 0;
        for (int c = 0; c < C; c++)
            m = fmaxf(m, fabsf(x[(i / C) * C + c]));
        assert_true(fabsf(x[i] - y[i]) <= m / 127.0f * 0.5f * 1.0001f);
        assert_true(q[i] >= -127 && q[i] <= 127);
    }
}

/* Worked by hand: max |x| maps to ±127, x / max * 127 rounded half away from zero (the
 * values are dyadic, so x / max * 127 is exact and the ties are ties). The one int8 rule
 * of model tables, the int8 GEMM's weights and the sweep's sentence vectors. */
static void test_int8_known(void **state)
{
    (void)state;
    const float x[2][6] = {{1.0f, 0.5f, -0.5f, 0.25f, -0.0078125f, 0.0f}, {-2.0f, 1.0f, 0.75f, -0.0625f, 0.0f, 2.0f}};
    const int8_t want[2][6] = {{127, 64, -64, 32, -1, 0}, {-127, 64, 48, -4, 0, 127}};
    int8_t q[2][6];
    float s[2];
    dp_int8_quantize(&q[0][0], s, &x[0][0], 2, 6);
    assert_memory_equal(q, want, sizeof want);
    assert_true(s[0] == 1.0f / 127.0f && s[1] == 2.0f / 127.0f);
    /* the activations' vectorized form (x * (127 / max), ties to even) agrees here, the
     * tie 63.5 included (64 is even) */
    int16_t a[6];
    assert_true(dp_int8_quantize_fast(a, x[1], 6) == 2.0f / 127.0f);
    for (int i = 0; i < 6; i++)
        assert_int_equal(a[i], want[1][i]);
}

/* ---- round trips ---- */

static void test_roundtrip_fp32(void **state)
{
    (void)state;
    dp_model *m = tiny_model(300, 12, 6, 2, 10, DP_POOL_MEANMAX, 5);
    m->cfg.strip_accents = 1;
    m->cfg.hash_seed = 0xfedcba9876543210ull;
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_FP32, "trained by test; UTF-8 é", &len);
    dp_model *l;
    dp_model_file_info info;
    doppel_diag d;
    assert_int_equal(dp_model_read(&l, &info, b, len, &d), DOPPEL_OK);
    assert_memory_equal(&l->cfg, &m->cfg, sizeof m->cfg);
    assert_int_equal(l->nparams, m->nparams);
    assert_memory_equal(l->block, m->block, m->nparams * sizeof(float));
    assert_string_equal(info.metadata, "trained by test; UTF-8 é");
    assert_int_equal(info.embed_dtype, DP_DTYPE_FP32);
    assert_int_equal(info.version, 1);
    assert_int_equal(info.file_size, len);
    dp_model_file_info_free(&info);
    dp_model_free(l);

    /* and through a file, written atomically */
    char path[] = "/tmp/doppel-test-modelfile-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(dp_model_save(m, path, DP_DTYPE_FP32, NULL, &d), DOPPEL_OK);
    assert_int_equal(dp_model_load(&l, path, &d), DOPPEL_OK);
    assert_memory_equal(l->block, m->block, m->nparams * sizeof(float));
    dp_model_free(l);
    unlink(path);
    free(b);
    dp_model_free(m);
}

static void test_roundtrip_fp16_int8(void **state)
{
    (void)state;
    dp_model *m = tiny_model(400, 16, 5, 1, 8, DP_POOL_ATTNMAX, 9);
    for (size_t i = 0; i < 16; i++) /* "pool.attn", after proj.b */
        m->p.attn[i] = (float)i - 7.5f;
    size_t nembed = 400 * 16, len;
    for (int t = DP_DTYPE_FP16; t <= DP_DTYPE_INT8; t++) {
        uint8_t *b = save(m, (dp_dtype)t, "", &len);
        dp_model *l;
        dp_model_file_info info;
        assert_int_equal(dp_model_read(&l, &info, b, len, NULL), DOPPEL_OK);
        assert_int_equal(info.embed_dtype, t);
        for (size_t i = 0; i < nembed; i++) {
            float x = m->p.embed[i], y = l->p.embed[i];
            if (t == DP_DTYPE_FP16) {
                assert_true(fabsf(x - y) <= fabsf(x) * 0x1p-11f + 0x1p-25f);
            } else {
                float mx = 0;
                for (size_t c = 0; c < 16; c++)
                    mx = fmaxf(mx, fabsf(m->p.embed[(i / 16) * 16 + c]));
                assert_true(fabsf(x - y) <= mx / 127.0f * 0.5f * 1.0001f);
            }
        }
        /* everything but the embedding stays bit-exact */
        assert_memory_equal(l->block + nembed, m->block + nembed, (m->nparams - nembed) * sizeof(float));
        dp_model_file_info_free(&info);
        dp_model_free(l);
        free(b);
    }
    dp_model_free(m);
}

static void test_save_rejects(void **state)
{
    (void)state;
    dp_model *m = tiny_model(10, 4, 2, 1, 3, DP_POOL_MEAN, 1);
    void *buf;
    size_t len;
    doppel_diag d;
    m->p.embed[3] = 70000.0f;
    assert_int_equal(dp_model_save_buffer(m, DP_DTYPE_FP16, NULL, &buf, &len, &d), DOPPEL_ERR_INVALID);
    m->p.proj_b[0] = NAN;
    assert_int_equal(dp_model_save_buffer(m, DP_DTYPE_FP32, NULL, &buf, &len, &d), DOPPEL_ERR_INVALID);
    dp_model_free(m);
}

/* ---- golden bytes ---- */

static void test_golden_header(void **state)
{
    (void)state;
    dp_model *m = tiny_model(3, 2, 1, 1, 1, DP_POOL_MEAN, 1);
    m->cfg.hash_seed = 0x0807060504030201ull;
    m->cfg.minn = 2, m->cfg.maxn = 4;
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_FP32, "m", &len);
    /* 11 tensors; table at 96, metadata at 96 + 11*64 = 800; data from 832, each tensor
     * 64-aligned: proj.b (4 bytes) ends at 1476, then the CRC: 1480 bytes. */
    static const uint8_t want[96] = {
        'D', 'O', 'P', 'P', 'E', 'L', 'M', 0, 1, 0, 0, 0, 96, 0, 0, 0, /* magic, version, header size */
        2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,                 /* embed, hidden, layers, out */
        3, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,                 /* buckets, pooling, seed */
        2, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0,                /* minn, maxn, accents, count */
        96, 0, 0, 0, 0, 0, 0, 0, 0x20, 3, 0, 0, 0, 0, 0, 0,             /* table, metadata offsets */
        1, 0, 0, 0, 0, 0, 0, 0, 0xc8, 5, 0, 0, 0, 0, 0, 0,              /* metadata size, file size */
    };
    assert_int_equal(len, 1480);
    assert_memory_equal(b, want, 96);
    static const uint8_t entry0[64] = {
        'e', 'm', 'b', 'e', 'd', [32] = 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0,
        0x40, 3, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0,
    };
    assert_memory_equal(b + 96, entry0, 64);
    assert_string_equal((const char *)b + 96 + 64 * 10, "proj.b");
    assert_int_equal(b[800], 'm');
    float e0;
    memcpy(&e0, b + 832, 4); /* little-endian host: the first embedding value verbatim */
    assert_true(e0 == m->p.embed[0]);
    assert_int_equal(get_u32(b + 1476), crc_bitwise(b, 1476));
    free(b);
    dp_model_free(m);
}

/* ---- hostile input ---- */

static void test_truncated(void **state)
{
    (void)state;
    dp_model *m = tiny_model(200, 8, 4, 1, 6, DP_POOL_MEANMAX, 2);
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_INT8, "meta", &len);
    doppel_diag d;
    for (size_t k = 0; k < 16; k++) {
        size_t cut = len * k / 16;
        uint8_t *c = malloc(cut ? cut : 1); /* exact size, so ASan sees any overread */
        memcpy(c, b, cut);
        int rc = load_rc(c, cut, &d);
        assert_true(rc == DOPPEL_ERR_TRUNCATED || rc == DOPPEL_ERR_MODEL_CHECKSUM);
        if (rc == DOPPEL_ERR_TRUNCATED)
            assert_int_equal(d.byte, cut);
        free(c);
    }
    assert_int_equal(load_rc(b, len - 1, &d), DOPPEL_ERR_TRUNCATED);
    assert_int_equal(d.byte, len - 1);
    free(b);
    dp_model_free(m);
}

static void test_flipped_bytes(void **state)
{
    (void)state;
    dp_model *m = tiny_model(50, 8, 4, 2, 6, DP_POOL_MEAN, 4);
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_INT8, "metadata text", &len);
    doppel_diag d;
    const size_t at[] = {
        16, 36, 44, 56, 60, 70,                      /* header fields */
        96 + 3, 96 + 40, 96 + 64 * 5 + 50,           /* tensor table */
        (size_t)get_u64(b + 72) + 2,                 /* metadata */
        (size_t)tensor_offset(b, "embed") + 17,      /* each kind of data */
        (size_t)tensor_offset(b, "embed.scale") + 1, (size_t)tensor_offset(b, "gru.l1.bwd.w_hh") + 3,
        (size_t)tensor_offset(b, "proj.b") + 2, len - 1, /* the checksum itself */
    };
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        b[at[i]] ^= 0x10;
        assert_int_equal(load_rc(b, len, &d), DOPPEL_ERR_MODEL_CHECKSUM);
        b[at[i]] ^= 0x10;
    }
    assert_int_equal(load_rc(b, len, &d), DOPPEL_OK);
    free(b);
    dp_model_free(m);
}

static void test_magic_and_version(void **state)
{
    (void)state;
    dp_model *m = tiny_model(20, 4, 2, 1, 3, DP_POOL_MEAN, 1);
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_FP32, NULL, &len);
    doppel_diag d;
    b[0] = 'X';
    assert_int_equal(load_rc(b, len, &d), DOPPEL_ERR_MODEL_MAGIC);
    assert_int_equal(load_rc((const uint8_t *)"PK\3\4", 4, &d), DOPPEL_ERR_MODEL_MAGIC);
    b[0] = 'D';
    put_u32(b + 8, 2);
    reseal(b, len);
    assert_int_equal(load_rc(b, len, &d), DOPPEL_ERR_MODEL_VERSION);
    assert_non_null(strstr(d.message, "version 2"));
    assert_non_null(strstr(d.message, "reads version 1"));
    free(b);
    dp_model_free(m);
}

static void test_oversize_dims(void **state)
{
    (void)state;
    dp_model *m = tiny_model(20, 4, 2, 1, 3, DP_POOL_MEAN, 1);
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_FP32, NULL, &len);
    doppel_diag d;
    /* a table of 2^26 x 32 floats (8 GiB) passes the config check; the file cannot hold it */
    put_u32(b + 32, 1u << 26);
    put_u32(b + 16, 32);
    reseal(b, len);
    assert_int_equal(load_rc(b, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "'embed'"));
    put_u32(b + 16, 4096); /* beyond the config's limit */
    reseal(b, len);
    assert_int_equal(load_rc(b, len, &d), DOPPEL_ERR_CORRUPT);
    /* a tensor whose offset + size wraps around 2^64 */
    uint8_t *e = b + 96;
    put_u32(b + 16, 4), put_u32(b + 32, 20);
    for (int i = 0; i < 8; i++)
        e[48 + i] = 0xff;
    reseal(b, len);
    assert_int_equal(load_rc(b, len, &d), DOPPEL_ERR_CORRUPT);
    free(b);
    dp_model_free(m);
}

static void test_bad_tensors(void **state)
{
    (void)state;
    dp_model *m = tiny_model(20, 4, 2, 1, 3, DP_POOL_MEAN, 1);
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_FP32, NULL, &len);
    uint8_t *c = malloc(len);
    doppel_diag d;

    memcpy(c, b, len);
    float nan = NAN;
    memcpy(c + tensor_offset(c, "gru.l0.fwd.w_hh") + 8, &nan, 4);
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "'gru.l0.fwd.w_hh'"));
    assert_non_null(strstr(d.message, "index 2"));

    memcpy(c, b, len);
    c[96 + 64 * 3] = 'G'; /* rename a tensor: it goes missing */
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "missing"));

    memcpy(c, b, len);
    memcpy(c + 96 + 64 * 3, c + 96 + 64 * 2, 32); /* the same name twice */
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "twice"));

    memcpy(c, b, len);
    put_u32(c + 96 + 32, DP_DTYPE_FP16); /* embed says fp16 but has fp32 bytes */
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "'embed'"));

    /* random damage to the header and table, resealed: an error or a valid model, never a crash */
    dp_rng r;
    dp_rng_seed(&r, 99);
    for (int it = 0; it < 3000; it++) {
        memcpy(c, b, len);
        int n = 1 + (int)dp_rng_below(&r, 4);
        for (int k = 0; k < n; k++)
            c[12 + dp_rng_below(&r, 96 + 64 * 11 - 12)] = (uint8_t)dp_rng_next(&r);
        reseal(c, len);
        load_rc(c, len, &d);
    }
    free(c);
    free(b);
    dp_model_free(m);
}

/* The reader accepts only what the writer makes: the same tensors placed elsewhere, with
 * non-zero padding, in another order or quantized otherwise are refused. */
static void test_writer_layout_only(void **state)
{
    (void)state;
    dp_model *m = tiny_model(20, 4, 2, 1, 3, DP_POOL_MEAN, 1);
    size_t len;
    uint8_t *b = save(m, DP_DTYPE_FP32, "ab", &len), *c = malloc(len);
    doppel_diag d;
    assert_int_equal(load_rc(b, len, &d), DOPPEL_OK);

    memcpy(c, b, len);
    c[tensor_offset(c, "embed") - 1] = 1; /* the gap before the first tensor */
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "padding before tensor 'embed'"));

    memcpy(c, b, len);
    c[96 + 64 + 20] = 'x'; /* after the NUL of the second tensor's name */
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "after its name"));

    memcpy(c, b, len); /* swap two table entries: every tensor still found by name */
    memcpy(c + 96 + 64, b + 96 + 128, 64);
    memcpy(c + 96 + 128, b + 96 + 64, 64);
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "the writer puts"));
    free(c);
    free(b);

    b = save(m, DP_DTYPE_INT8, NULL, &len);
    c = malloc(len);
    assert_int_equal(load_rc(b, len, &d), DOPPEL_OK);
    uint64_t q = tensor_offset(b, "embed");
    memcpy(c, b, len);
    for (int k = 0; k < 4; k++) /* row 0 halved: its largest value no longer maps to 127 */
        c[q + k] = (uint8_t)((int8_t)b[q + k] / 2);
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "row 0"));
    memcpy(c, b, len);
    c[q + 4] = 0x80; /* -128 in row 1 */
    reseal(c, len);
    assert_int_equal(load_rc(c, len, &d), DOPPEL_ERR_CORRUPT);
    assert_non_null(strstr(d.message, "-128"));
    free(c);
    free(b);
    dp_model_free(m);
}

/* ---- search order ---- */

static void test_modelpath(void **state)
{
    (void)state;
    char existing[] = "/tmp/doppel-test-modelpath-XXXXXX";
    int fd = mkstemp(existing);
    assert_true(fd >= 0);
    close(fd);
    const char *defaults[] = {"/nonexistent/doppel/a.dpm", existing};
    dp_model_path p;
    doppel_diag d;
    assert_int_equal(dp_model_path_find(&p, "opt.dpm", "env.dpm", defaults, 2, &d), DOPPEL_OK);
    assert_string_equal(p.path, "opt.dpm");
    assert_int_equal(dp_model_path_find(&p, NULL, "env.dpm", defaults, 2, &d), DOPPEL_OK);
    assert_string_equal(p.path, "env.dpm");
    assert_string_equal(p.source, "$DOPPEL_MODEL");
    assert_int_equal(dp_model_path_find(&p, "", "", defaults, 2, &d), DOPPEL_OK);
    assert_string_equal(p.path, existing);
    assert_int_equal(p.ntried, 2);
    assert_int_equal(dp_model_path_find(&p, NULL, NULL, defaults, 1, &d), DOPPEL_ERR_NOT_FOUND);
    assert_null(p.path);
    assert_int_equal(p.ntried, 1);
    assert_string_equal(p.tried[0], defaults[0]);
    /* the library knows only the installed place, not the source tree it was built in */
    const char *installed = doppel_model_default_path();
    assert_non_null(strstr(installed, "/doppel/default.dpm"));
    assert_null(strstr(installed, "corpora/models"));
    unlink(existing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c),          cmocka_unit_test(test_fp16),
        cmocka_unit_test(test_int8),            cmocka_unit_test(test_int8_known),
        cmocka_unit_test(test_roundtrip_fp32),
        cmocka_unit_test(test_roundtrip_fp16_int8), cmocka_unit_test(test_save_rejects),
        cmocka_unit_test(test_golden_header),   cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_flipped_bytes),   cmocka_unit_test(test_magic_and_version),
        cmocka_unit_test(test_oversize_dims),   cmocka_unit_test(test_bad_tensors), cmocka_unit_test(test_writer_layout_only),
        cmocka_unit_test(test_modelpath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
