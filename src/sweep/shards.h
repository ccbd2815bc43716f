/*
 * A sharded index: the index split into shard files, each a complete index file
 * (sweep/indexfile.h) holding a contiguous run of the documents, and a manifest at the
 * index's own path naming them. `doppel index add --mpi` writes one shard per process;
 * any reader takes the shards in manifest order as one index whose documents are
 * numbered shard by shard.
 *
 * The manifest is the commit point: shards are written first under names no current
 * manifest uses (INDEX.0 .. INDEX.N-1, or INDEX.R.gG when the current manifest uses
 * those), then the manifest replaces the old one in one rename. A reader sees the old
 * set or the new one, never a mix; each shard's size and checksum are recorded, so a
 * shard changed behind the manifest's back is refused, not read.
 *
 * Manifest layout, version 1 (little-endian):
 *   0   char[8] magic "DOPPELS\0"
 *   8   u32     version (1)
 *   12  u32     shard count N (1 .. DP_SHARDS_MAX)
 *   16  u32     flags: bit 0 built with a model
 *   20  u32     model identity (dp_model_identity; 0 without)
 *   24  u64     generation (1 for the first set, +1 for each one written over it)
 *   32  u64     documents, the sum over the shards
 *   40  u64     skipped entries, the sum over the shards
 *   48  per shard: u32 name length, name (a file name in the manifest's directory: no
 *       '/', not "." or ".."), u64 file size, u32 the file's own CRC-32C (its last 4
 *       bytes), u64 documents, u64 skipped entries
 *   last 4 bytes: u32 CRC-32C of every byte before it
 */
#ifndef DP_SWEEP_SHARDS_H
#define DP_SWEEP_SHARDS_H

#include <stddef.h>
#include <stdint.h>

#include "doppel.h"
#include "sweep/indexfile.h"

#define DP_SHARDS_MAGIC "DOPPELS"
#define DP_SHARDS_VERSION 1u
#define DP_SHARDS_MAX 65536u

typedef struct dp_shard {
    char *name; /* file name, in the manifest's directory */
    uint64_t size, documents, skipped;
    uint32_t crc;
} dp_shard;

typedef struct dp_shards {
    int has_model;
    uint32_t model_id;
    uint64_t generation;
    dp_shard *shard;
    size_t n;
} dp_shards;

/* Reads a manifest; DOPPEL_ERR_MODEL_MAGIC when path is not one (an index file, say). */
int dp_shards_read(const char *path, dp_shards *m, doppel_diag *diag);
/* The same from a manifest's bytes (the fuzz target's way in); on failure *m is empty. */
int dp_shards_parse(const uint8_t *p, size_t len, dp_shards *m, doppel_diag *diag);
/* A manifest's bytes (*image malloc'd): what dp_shards_write writes. DOPPEL_ERR_NOMEM. */
int dp_shards_image(const dp_shards *m, uint8_t **image, size_t *image_len);
/* Writes it atomically over path. */
int dp_shards_write(const char *path, const dp_shards *m, doppel_diag *diag);
void dp_shards_free(dp_shards *m);
/* The path of a shard of the manifest at path (malloc'd; NULL when out of memory). */
char *dp_shards_path(const char *path, const char *name);

/* Removes the shard files a manifest at path named, once a new manifest or index file
 * has replaced it there (best effort: nothing reads them any more). Only index files are
 * removed, and never path itself: a damaged or hand-made manifest cannot make this unlink
 * anything else. */
void dp_shards_remove(const char *path, const dp_shards *m);

/* Writes ix as a shard atomically at path and fills *rec (name left as it is). */
int dp_shards_save(const dp_index *ix, const char *path, dp_shard *rec, doppel_diag *diag);

/* What an index file or a sharded index holds: the first shard's header, with the
 * documents and skipped entries of every shard. */
int dp_index_peek_any(const char *path, dp_index_info *info, doppel_diag *diag);

/* An index file, or every shard of a sharded index as one index (ids checked unique
 * across shards). Arguments as dp_index_load's. */
int dp_index_load_any(dp_index **out, const char *path, const dp_model *model, unsigned flags, int threads,
                      const dp_sweep_opts *opts, doppel_diag *diag);

/*
 * Documents [first, last) of an index file or a sharded index (numbered as
 * dp_index_load_any numbers them), reading only the shards that hold them (one at
 * least, for the templates). A shard's skipped entries come with the part that holds
 * its first document number, or with the tail part (tail != 0) when that number is
 * the index's document count: parts that partition [0, documents), one of them the
 * tail, hold every skipped entry once.
 */
int dp_index_load_part(dp_index **out, const char *path, const dp_model *model, unsigned flags, int threads,
                       const dp_sweep_opts *opts, uint64_t first, uint64_t last, int tail, doppel_diag *diag);

#endif
