/* doppel index: what its subcommands (cmd_index.c) share with index add --mpi
 * (cli_index_shards.c). */
#ifndef DP_CLI_INDEX_H
#define DP_CLI_INDEX_H

#include <stddef.h>

#include "cli/cli_indexfiles.h"
#include "cli/cli_input.h"
#include "doppel.h"

/* Adds every document of docs (files already in the index under another name, by files,
 * skipped), warning of each one skipped, calling each(each_ctx) (when not NULL) after each
 * entry; EXIT_OK or EXIT_RUNTIME (already said why). */
int cli_index_add_docs(doppel_index *ix, cli_index_files *files, cli_docs *docs, int is_ref, size_t *added,
                       size_t *skipped, void (*each)(void *), void *each_ctx);

/* index add --mpi: each process of the job adds its share of the documents to its share
 * of the index and writes it as a shard; rank 0 then commits the manifest. */
int cli_index_add_mpi(const char *path, const char *model_opt, int threads, const cli_docs_opts *o,
                      const cli_sources *src, int is_ref);

/* Writes ix atomically at path as one index file; when path was a sharded index, its
 * shard files are removed once the new file is in place (index create --force, index
 * merge). EXIT_OK or EXIT_RUNTIME (said why). */
int cli_index_save(const doppel_index *ix, const char *path);

#endif
