/*
 * The texts of an index's documents for a report: each document records where its file
 * (or --by-dir folder) is, relative to the index file's folder (its source), so that a
 * report of an index read from any working directory finds the texts again; a text is
 * shown only when it is the text that was indexed (its checksum), else the report says
 * why not. In public types (cli/cli_indexdoc.h has the sweep's side).
 */
#ifndef DP_CLI_DOCTEXTS_H
#define DP_CLI_DOCTEXTS_H

#include <stddef.h>

#include "cli/cli_input.h"
#include "doppel.h"

typedef struct cli_doctexts cli_doctexts;

/*
 * The texts of the documents of ix, the index at index_path (its documents read now),
 * read as r reads files (formats, --by-dir joins); texts_jsonl (or NULL): a --jsonl file
 * holding the texts of documents by id. On failure prints why and returns EXIT_RUNTIME
 * (the caller frees *out, NULL or not).
 */
int cli_doctexts_open_index(cli_doctexts **out, const doppel_index *ix, const char *index_path,
                            const char *texts_jsonl, const cli_reader *r);
void cli_doctexts_free(cli_doctexts *t);

/*
 * The text of indexed document id (a doppel_text_fn): from --texts, or from its file,
 * found by its source against the index's folder or by its id from here, and only when
 * its checksum is the indexed one. Else DOPPEL_ERR_NOT_FOUND and *why says what was
 * tried, or that the file changed since it was indexed (also said once on stderr).
 */
int cli_doctexts_get(cli_doctexts *t, const char *id, char **bytes, size_t *len, const char **why);

/* The files of indexed --by-dir submission id, as read by the last cli_doctexts_get of
 * it (none before, or for a single file); valid until the next call. */
void cli_doctexts_parts_public(cli_doctexts *t, const char *id, const doppel_doc_part **parts, size_t *n);

#endif
