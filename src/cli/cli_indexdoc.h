/* The texts of an index's documents on the sweep's side (cli/cli_doctexts.h says what
 * they are; cli/cli_indexfiles.h has their files, for index add). */
#ifndef DP_CLI_INDEXDOC_H
#define DP_CLI_INDEXDOC_H

#include <stddef.h>

#include "cli/cli_doctexts.h"
#include "sweep/corpus.h"
#include "sweep/sweep.h"

/* The same from the documents of sw (an index the sweep loaded), read as co reads files. */
int cli_doctexts_open(cli_doctexts **out, const dp_sweep *sw, const char *index_path, const char *texts_jsonl,
                      const dp_corpus_opts *co);

/* The files of indexed --by-dir submission id, as read by the last cli_doctexts_get of
 * it (none before, or for a single file). */
void cli_doctexts_parts(const cli_doctexts *t, const char *id, const dp_doc_part **parts, size_t *n);

#endif
