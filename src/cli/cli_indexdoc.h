/*
 * An index's documents and their files: each document records where its file (or --by-dir
 * folder) is, relative to the index file's folder (its source), so that a report of an
 * index read from any working directory finds the texts again; a file already in the index
 * under another path is not added twice; and a report's text of an indexed document is
 * shown only when it is the text that was indexed (its checksum), else it says why not.
 */
#ifndef DP_CLI_INDEXDOC_H
#define DP_CLI_INDEXDOC_H

#include <stddef.h>

#include "cli/cli_doctexts.h"
#include "sweep/corpus.h"
#include "sweep/idset.h"
#include "sweep/sweep.h"

/* The files of an index's documents, for `index add`. */
typedef struct cli_index_files {
    char *real_dir;   /* the index file's folder, resolved */
    dp_idset sources; /* source -> id of the document that has it */
    dp_idset inodes;  /* "device:inode" -> id */
} cli_index_files;

/* From the documents of sw, in the index at index_path (their files are stat'ed once).
 * On failure prints why and returns EXIT_RUNTIME. */
int cli_index_files_open(cli_index_files *f, const char *index_path, const dp_sweep *sw);
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

/* The same from the documents of sw (an index the sweep loaded), read as co reads files. */
int cli_doctexts_open(cli_doctexts **out, const dp_sweep *sw, const char *index_path, const char *texts_jsonl,
                      const dp_corpus_opts *co);

/* The files of indexed --by-dir submission id, as read by the last cli_doctexts_get of
 * it (none before, or for a single file). */
void cli_doctexts_parts(const cli_doctexts *t, const char *id, const dp_doc_part **parts, size_t *n);

#endif
