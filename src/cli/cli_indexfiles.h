/*
 * The files of an index's documents, for `index add`: each document records where its
 * file (or --by-dir folder) is, relative to the index file's folder (its source, see
 * doppel_index_doc_origin), and a file already in the index under another path is not
 * added twice. In public types.
 */
#ifndef DP_CLI_INDEXFILES_H
#define DP_CLI_INDEXFILES_H

#include "doppel.h"

typedef struct cli_index_files cli_index_files;

/* From the documents of ix, the index at index_path (their files are stat'ed once).
 * On failure prints why and returns EXIT_RUNTIME (the caller frees *out, NULL or not). */
int cli_index_files_open(cli_index_files **out, const char *index_path, const doppel_index *ix);
void cli_index_files_free(cli_index_files *f);

/*
 * For a document read from path (a file or a --by-dir folder): its source in *source
 * (malloc'd; NULL when path cannot be resolved, e.g. removed since it was read), and in
 * *dup the id of the document that already holds this file (the same resolved path, or
 * the same device and inode: another name, a symlink, a hard link), else NULL.
 * DOPPEL_OK or DOPPEL_ERR_NOMEM.
 */
int cli_index_files_check(cli_index_files *f, const char *path, char **source, const char **dup);
/* Records that document id now holds the file at path with this source. */
int cli_index_files_record(cli_index_files *f, const char *path, const char *source, const char *id);

#endif
