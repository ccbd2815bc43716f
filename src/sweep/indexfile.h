/*
 * The index file (.dpx): an index's prepared documents, so an archive is encoded
 * once and a new document is checked against it without re-encoding anything.
 *
 * Layout, format version 3 (little-endian, offsets from the file start; version 2 lacked
 * each document's text checksum and source and is still read; version 1 kept 64-bit word
 * hashes, each word's sentence and fp16 sentence vectors):
 *   0   char[8] magic "DOPPELX\0"
 *   8   u32     format version (3)
 *   12  u32     header size (64)
 *   16  u32     flags: bit 0 built with a model, bit 1 ignore_quotes, bit 2 ignore_references
 *   20  u32     k (shortest verbatim run, words)
 *   24  u32     vector dimension (0 without a model)
 *   28  u32     model identity (dp_model_identity: hash of config + parameters; 0 without)
 *   32  f32     template_sim
 *   36  u32     template count
 *   40  u64     document count
 *   48  u64     skipped count
 *   56  u64     file size, including the checksum
 *   64  templates, then documents, each:
 *         u32 id length, id bytes (UTF-8, no NUL; length 0 for a template), u8 is_reference
 *         (version 3:) u8 text flags (bit 0: the checksum is known, bit 1: the offsets
 *           index text extracted from the file), u32 text CRC-32C, u64 text length (of the
 *           text the offsets index; 0 when not known), u32 source length, source bytes (where
 *           the document's file is: relative to the index file's folder, or absolute;
 *           length 0: none, e.g. a --jsonl document)
 *         u64 words, u64 sentences
 *         u32 word hash[words], u8 skip[words]
 *         per sentence: u64 start, u64 end, u32 words, u32 first word, u8 excluded
 *           (the sentences partition the words in order)
 *         with a model: f32 scale[sentences], i8 sentence vectors[sentences][dim]
 *           (a vector is its int8 values times its scale), f32 document vector[dim]
 *       then skipped entries: u32 id length, id, u32 reason length, reason
 *   last 4 bytes: u32 CRC-32C (core/checksum.h) of every byte before it
 *
 * Reading checks every size against what is left before using it, and every value
 * (flags, sentence partition, finite vectors, unique ids), so any input gives an
 * error code, never a crash.
 */
#ifndef DP_SWEEP_INDEXFILE_H
#define DP_SWEEP_INDEXFILE_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "model/model.h"
#include "sweep/index.h"

#define DP_INDEXFILE_MAGIC "DOPPELX"
#define DP_INDEXFILE_VERSION 3u
#define DP_INDEXFILE_OLDEST 2u /* the oldest version read */
#define DP_INDEXFILE_HEADER_SIZE 64u
#define DP_INDEXFILE_MAX_BYTES ((size_t)1 << 36)
#define DP_INDEXFILE_MAX_ID 65536u

/* What the header says. */
typedef struct dp_index_info {
    uint32_t version;
    int has_model;
    uint32_t model_id, dim, k;
    uint64_t documents, templates, skipped;
} dp_index_info;

/* The file image of ix (malloc'd into *buf). */
int dp_index_write_buffer(const dp_index *ix, uint8_t **buf, size_t *len);
/* Writes the file through core/atomic_file.h. */
int dp_index_save(const dp_index *ix, const char *path, doppel_diag *diag);

/* dp_index_read flags */
#define DP_INDEX_MODEL_OPTIONAL 1u /* model NULL loads a model-built index unencoded */

/*
 * Parses a file image into a new index. model must be the one it was built with
 * (NULL for an index without a model): else DOPPEL_ERR_MODEL_MISMATCH. With
 * DP_INDEX_MODEL_OPTIONAL and no model, an index built with one is loaded
 * without an encoder (dp_index_create_unencoded): enough to sweep, remove, save. What documents
 * keep (k, template_sim, quotes, references) comes from the file, the rest of the
 * options from opts. Errors: DOPPEL_ERR_MODEL_MAGIC, _MODEL_VERSION, _TRUNCATED,
 * _MODEL_CHECKSUM, _CORRUPT (diag->byte says where), _NOMEM.
 */
int dp_index_read(dp_index **out, const void *buf, size_t len, const dp_model *model, unsigned flags, int threads,
                  const dp_sweep_opts *opts, doppel_diag *diag);
int dp_index_load(dp_index **out, const char *path, const dp_model *model, unsigned flags, int threads,
                  const dp_sweep_opts *opts, doppel_diag *diag);

/* DOPPEL_ERR_CORRUPT when an id is twice among the documents and skipped entries. */
int dp_index_check_unique(const dp_index *ix, doppel_diag *diag);

/* Reads only the header of path (no checksum): to learn whether a model is needed,
 * or whether a file is an index at all (DOPPEL_ERR_MODEL_MAGIC when not). */
int dp_index_peek(const char *path, dp_index_info *info, doppel_diag *diag);

#endif
