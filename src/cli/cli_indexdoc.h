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

#endif
