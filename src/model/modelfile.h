/*
 * The model file (.dpm): everything needed to reproduce an embedding in one versioned,
 * little-endian, checksummed file.
 *
 * Layout, format version 1 (all integers little-endian, offsets from the file start):
 *   0    char[8]  magic "DOPPELM\0"
 *   8    u32      format version (1)
 *   12   u32      header size in bytes (96)
 *   16   u32      embed_dim        20  u32  hidden       24  u32  layers
 *   28   u32      out_dim          32  u32  buckets      36  u32  pooling (1 mean, 2 max, 3 meanmax)
 *   40   u64      hash_seed        48  u32  minn         52  u32  maxn
 *   56   u32      strip_accents    60  u32  tensor count (at most DP_MODELFILE_MAX_TENSORS)
 *   64   u64      tensor table offset
 *   72   u64      metadata offset  80  u64  metadata size (UTF-8 text, no NUL)
 *   88   u64      file size, including the checksum
 *   tensor table: count entries of 64 bytes
 *        char[32] name, NUL-padded   u32 dtype (0 fp32, 1 fp16, 2 int8)   u32 ndim (1 or 2)
 *        u32[2]   shape (unused = 1) u64 byte offset   u64 byte size
 *   metadata, then each tensor's data at a 64-byte aligned offset (zero padding)
 *   last 4 bytes: u32 CRC-32C (core/checksum.h) of every byte before it
 *
 * Tensors, by name: "embed" [buckets][embed_dim] (fp32, fp16, or int8 with "embed.scale"
 * [buckets] fp32 per-row scales), and fp32 "gru.l{L}.{fwd,bwd}.{w_ih,w_hh,b_ih,b_hh}",
 * "proj.w", "proj.b" (and "pool.attn" [embed_dim] for attnmax pooling), shaped as in
 * model/model.h.
 */
#ifndef DP_MODEL_MODELFILE_H
#define DP_MODEL_MODELFILE_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "model/model.h"
#include "model/quant.h"

#define DP_MODELFILE_MAGIC "DOPPELM"   /* 7 chars + NUL = the 8 magic bytes */
#define DP_MODELFILE_VERSION 1u
#define DP_MODELFILE_HEADER_SIZE 96u
#define DP_MODELFILE_ENTRY_SIZE 64u
#define DP_MODELFILE_NAME_MAX 32u
#define DP_MODELFILE_MAX_TENSORS 64u
#define DP_MODELFILE_MAX_METADATA (1u << 20)
/* Largest model file read (the biggest valid fp32 model is ~8.6 GB). */
#define DP_MODELFILE_MAX_BYTES ((size_t)1 << 34)

/* What a file says besides the weights. */
typedef struct dp_model_file_info {
    uint32_t version;
    dp_dtype embed_dtype; /* storage type of "embed" in the file */
    uint64_t file_size;
    char *metadata;       /* NUL-terminated copy (malloc'd; "" when empty) */
} dp_model_file_info;

void dp_model_file_info_free(dp_model_file_info *info);

/* The file image of m in memory (malloc'd into *buf). DOPPEL_ERR_INVALID for fp16 when a
 * value does not fit, for non-finite weights or metadata with a NUL or over the cap, and for
 * a model read with DP_MODEL_KEEP_INT8 (it has no fp32 embedding to save). */
int dp_model_save_buffer(const dp_model *m, dp_dtype embed_dtype, const char *metadata, void **buf,
                         size_t *len, doppel_diag *diag);

/* Writes the file through core/atomic_file.h. metadata may be NULL. */
int dp_model_save(const dp_model *m, const char *path, dp_dtype embed_dtype, const char *metadata,
                  doppel_diag *diag);

/* Flag of dp_model_read_flags: an int8 embedding stays int8 in memory (dp_model.q8, a
 * quarter of the fp32 table) for an encoder, whose vectors are the same bits as from the
 * dequantized table. Such a model cannot be trained or saved. fp16 and fp32 tables are
 * read to fp32 either way. */
#define DP_MODEL_KEEP_INT8 1u

/*
 * Parses a file image. Every offset and size is checked against len before use, so any
 * input gives an error code, never a crash or an allocation larger than the file implies:
 * DOPPEL_ERR_MODEL_MAGIC, _MODEL_VERSION, _TRUNCATED (diag->byte = where the data ended),
 * _MODEL_CHECKSUM, _INVALID (hyperparameters), _CORRUPT (tensor table, shapes, NaN/Inf;
 * the message names the tensor). The embedding is dequantized to fp32 unless flags has
 * DP_MODEL_KEEP_INT8. info may be NULL.
 */
int dp_model_read_flags(dp_model **out, dp_model_file_info *info, const void *buf, size_t len, unsigned flags,
                        doppel_diag *diag);
/* dp_model_read_flags with flags 0: every parameter fp32, as training needs. */
int dp_model_read(dp_model **out, dp_model_file_info *info, const void *buf, size_t len, doppel_diag *diag);

int dp_model_load_buffer(dp_model **out, const void *buf, size_t len, doppel_diag *diag);

/* Reads path whole, then dp_model_read_flags. info may be NULL. */
int dp_model_load_info(dp_model **out, dp_model_file_info *info, const char *path, unsigned flags,
                       doppel_diag *diag);
/* dp_model_load_info with no info and flags 0. */
int dp_model_load(dp_model **out, const char *path, doppel_diag *diag);

#endif
