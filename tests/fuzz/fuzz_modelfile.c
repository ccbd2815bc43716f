/*
 * Target (c): the model-file reader over any bytes. Byte 0 is a mode: with bit 0 set
 * the harness first makes the file-size field (byte 88) and the trailing CRC-32C agree
 * with the data, so mutations reach the tensor table and the tensors instead of
 * stopping at the checksum. The rest is the file image.
 * Checked: an error leaves no model; a model read is consistent (its config passes the
 * config check and fills the block), writing it back gives the image it came from byte
 * for byte (the reader accepts only what the writer makes), and reading that again gives
 * the same configuration and, for fp32 and fp16 tables, the same weights bit for bit. The
 * read that keeps an int8 table int8 (as encoders read) gives the same verdict.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "model/modelfile.h"

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The writer gives back the image it was read from, byte for byte, except that an int8
 * table is quantized again from its dequantized values (its scales may move by an ulp):
 * there only the bytes outside "embed" and "embed.scale" (tensors 0 and 1) are compared. */
static void check_same_image(const uint8_t *img, size_t img_len, const uint8_t *buf, size_t len, dp_dtype dtype)
{
    FUZZ_CHECK(img_len == len);
    if (dtype != DP_DTYPE_INT8) {
        FUZZ_CHECK(memcmp(img, buf, len) == 0);
        return;
    }
    const uint8_t *t = buf + DP_MODELFILE_HEADER_SIZE;
    uint64_t from = le64(t + 48), to = le64(t + DP_MODELFILE_ENTRY_SIZE + 48) + le64(t + DP_MODELFILE_ENTRY_SIZE + 56);
    FUZZ_CHECK(from <= to && to <= len - 4);
    FUZZ_CHECK(memcmp(img, buf, from) == 0 && memcmp(img + to, buf + to, len - 4 - to) == 0);
}

static void check_round_trip(const dp_model *m, const dp_model_file_info *info, const uint8_t *buf, size_t len)
{
    void *img;
    size_t img_len;
    FUZZ_CHECK(dp_model_save_buffer(m, info->embed_dtype, info->metadata, &img, &img_len, NULL) == DOPPEL_OK);
    check_same_image(img, img_len, buf, len, info->embed_dtype);
    dp_model *back;
    dp_model_file_info info2;
    FUZZ_CHECK(dp_model_read(&back, &info2, img, img_len, NULL) == DOPPEL_OK);
    FUZZ_CHECK(memcmp(&back->cfg, &m->cfg, sizeof m->cfg) == 0 && back->nparams == m->nparams);
    FUZZ_CHECK(info2.embed_dtype == info->embed_dtype && strcmp(info2.metadata, info->metadata) == 0);
    if (info->embed_dtype != DP_DTYPE_INT8)
        FUZZ_CHECK(memcmp(back->block, m->block, m->nparams * sizeof *m->block) == 0);
    dp_model_file_info_free(&info2);
    dp_model_free(back);
    free(img);
}

/* The int8-keeping read accepts and rejects exactly what the fp32 read does (rc, and the
 * byte of an error); a model it accepts holds q8 iff the table is int8. */
static void check_keep_int8(uint8_t *buf, size_t len, int rc, const doppel_diag *d, dp_dtype dtype)
{
    dp_model *k = (dp_model *)buf; /* must be overwritten */
    doppel_diag dk;
    FUZZ_CHECK(dp_model_read_flags(&k, NULL, buf, len, DP_MODEL_KEEP_INT8, &dk) == rc);
    if (rc)
        FUZZ_CHECK(k == NULL && dk.byte == d->byte);
    else
        FUZZ_CHECK((k->q8.q != NULL) == (dtype == DP_DTYPE_INT8) && (k->p.embed == NULL) == (k->q8.q != NULL));
    dp_model_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t len;
    uint8_t *buf = fuzz_file_image(data, size, DP_MODELFILE_HEADER_SIZE, 88, &len);
    dp_model *m = (dp_model *)buf; /* must be overwritten */
    dp_model_file_info info;
    doppel_diag d;
    int rc = dp_model_read(&m, &info, buf, len, &d);
    if (rc == DOPPEL_OK) {
        FUZZ_CHECK(dp_model_config_check(&m->cfg, NULL) == DOPPEL_OK);
        FUZZ_CHECK(m->nparams == dp_model_param_count(&m->cfg));
        FUZZ_CHECK(info.metadata && info.file_size == len);
        check_round_trip(m, &info, buf, len);
        check_keep_int8(buf, len, rc, &d, info.embed_dtype);
        dp_model_file_info_free(&info);
        dp_model_free(m);
    } else {
        FUZZ_CHECK(m == NULL && d.code == rc && rc > DOPPEL_OK && rc < DOPPEL_ERR_COUNT_);
        FUZZ_CHECK(d.byte == UINT64_MAX || d.byte <= len);
        if (rc != DOPPEL_ERR_NOMEM) /* the int8 read needs less memory */
            check_keep_int8(buf, len, rc, &d, DP_DTYPE_FP32);
    }
    free(buf);
    return 0;
}
