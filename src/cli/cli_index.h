/* doppel index: what its subcommands (cmd_index.c) share with those of sharded indexes
 * (cli_index_shards.c: index add --mpi, index merge). */
#ifndef DP_CLI_INDEX_H
#define DP_CLI_INDEX_H

#include <stddef.h>

#include "cli/cli_corpus.h"
#include "cli/cli_extract.h"
#include "cli/cli_indexdoc.h"
#include "sweep/corpus.h"
#include "sweep/index.h"

/* Adds every document of a corpus (read through x; files already in the index under
 * another name, by files, skipped), warning of each one skipped, calling each(each_ctx)
 * (when not NULL) after each item; EXIT_OK or EXIT_RUNTIME (already said why). */
int cli_index_add_corpus(dp_index *ix, cli_index_files *files, cli_extract *x, dp_corpus *corpus, int is_ref,
                         size_t *added, size_t *skipped, void (*each)(void *), void *each_ctx);

/* index add --mpi: each process of the job adds its share of the documents to its share
 * of the index and writes it as a shard; rank 0 then commits the manifest. */
int cli_index_add_mpi(const char *path, const char *model_opt, int threads, dp_corpus_opts co,
                      const cli_sources *src, int is_ref);

/* Writes ix atomically at path as one index file; when path was a sharded index, its
 * shard files are removed once the new file is in place (index create --force, index
 * merge). EXIT_OK or EXIT_RUNTIME (said why). */
int cli_index_save(const dp_index *ix, const char *path);
int cli_index_save_public(const doppel_index *ix, const char *path);

/* index merge INDEX [-o OUT] [--force]. */
int cli_index_merge(int argc, char **argv);

#endif
