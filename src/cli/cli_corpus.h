/* What the commands that read a corpus share (sweep, index add): its sources from the
 * command line. */
#ifndef DP_CLI_CORPUS_H
#define DP_CLI_CORPUS_H

#include <stddef.h>

#include "cli/cli_input.h"
#include "mpi/dist.h"
#include "sweep/corpus.h"
#include "sweep/sweep.h"


/* Makes a corpus of all the sources. On failure prints a message naming the source and
 * returns EXIT_RUNTIME (the caller frees *out, NULL or not). */
int cli_corpus_open(dp_corpus **out, const dp_corpus_opts *opts, const cli_sources *src);

/*
 * One file, or a --by-dir submission's folder, read as a corpus with opts reads it (the
 * formats, the joining of a submission's files): *item is a DOC, or SKIPPED with the
 * reason; *extracted (may be NULL): its offsets index text extracted from the file.
 * DOPPEL_ERR_NOT_FOUND when nothing is at path; DOPPEL_ERR_NOMEM.
 */
int cli_read_one(const dp_corpus_opts *opts, const char *path, dp_corpus_item *item, bool *extracted);

/* --mpi: each process counts the lines of its chunk of every --jsonl file and every
 * process learns every count (dp_corpus_set_chunks), so that none reads a whole file to
 * split the corpus. Collective; DOPPEL_OK or DOPPEL_ERR_NOMEM. */
int cli_corpus_chunks(const dp_dist *d, dp_corpus *c);

/*
 * --mpi: this rank's share of the documents, one process's order cut into contiguous
 * ranges in rank order (dp_dist_share_held): ni documents of an index ([*ia, *ib) of them
 * are this rank's, *tail as dp_dist_share's at_end0), then docs (its paths and --jsonl
 * lines, split evenly; then its --list lines, each rank keeping those of its byte range,
 * dp_corpus_add_lists), then refc (may be NULL). A file listed in two ranks' ranges is
 * read once, as one process reads it. Collective; DOPPEL_OK, DOPPEL_ERR_NOMEM or
 * DOPPEL_ERR_IO.
 */
int cli_corpus_share(const dp_dist *d, uint64_t ni, dp_corpus *docs, dp_corpus *refc, uint64_t *ia, uint64_t *ib,
                     int *tail);

/* The corpus docs reads (index add --mpi splits it between the processes before the
 * first cli_docs_next). */
dp_corpus *cli_docs_corpus(cli_docs *docs);

/* The corpus options a cli_reader (cli/cli_input.h) reads documents with. */
struct cli_reader;
const dp_corpus_opts *cli_reader_corpus_opts(const struct cli_reader *r);

/* Reads each --template file into the sweep. On failure prints a message naming the file
 * and returns EXIT_RUNTIME. */
int cli_add_templates(dp_sweep *sw, const char *const *templates, size_t n);

#endif
