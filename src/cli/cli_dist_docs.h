/*
 * sweep --mpi: what rank 0's report needs of the documents other ranks read. Rank 0 writes
 * every pair, but each rank holds only its own documents; where offsets are mapped
 * (documents extracted from other formats, an HTML file's text back to its bytes) or the
 * report shows texts (HTML, PAN), rank 0 takes, in two steps:
 *  1. before the run, every document's id and its extraction record, so that its numbers
 *     are the whole corpus's (the pairs', the compared documents' for PAN) and it maps
 *     every pair's offsets as one process would;
 *  2. after the run, the texts, grey spans and --by-dir files of the documents its report
 *     shows (those in reported pairs and common passages) from the ranks holding them: not
 *     the whole corpus's texts.
 * Both steps are collective (every rank calls them); out of memory ends the job.
 */
#ifndef DP_CLI_DIST_DOCS_H
#define DP_CLI_DIST_DOCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli_extract.h"
#include "mpi/dist.h"
#include "doppel.h"

/* A document's text as a report that shows texts keeps it. */
typedef struct cli_doc_text {
    char *bytes; /* NULL: not read here */
    size_t len;
    dp_doc_part *parts; /* a --by-dir submission's files */
    size_t n_parts;
    /* --mpi, rank 0: a document another rank read; its grey spans are its owner's, and
     * why its text could not be had when bytes is NULL after step 2 */
    bool remote;
    uint64_t *excluded; /* [2 * n_excluded] */
    size_t n_excluded;
    char *why;
} cli_doc_text;

void cli_doc_text_free(cli_doc_text *t);

/*
 * Step 1. ids[0, *n) are this rank's documents in order (texts[0, *n) too when texts is
 * not NULL; x their records). Rank 0 appends every other rank's, in rank order, growing
 * its arrays to the whole corpus (*cap: their capacity); the others' are unchanged.
 */
void cli_dist_docs_gather(const dp_dist *d, char ***ids, cli_doc_text **texts, size_t *n, size_t *cap,
                          cli_extract *x);

/*
 * Step 2. want[0, n_all) (rank 0's; NULL elsewhere) marks the documents whose text rank 0's
 * report shows; first and n_own: the numbers of this rank's documents in the whole corpus
 * ([first, first + n_own), rank 0's from 0) and ids their ids. Each rank reads them as its
 * report would (text and marks, with ctx: dp_report_opts's functions) and rank 0 keeps
 * them in texts[num] (its documents' are there already).
 */
void cli_dist_docs_texts(const dp_dist *d, const uint8_t *want, size_t n_all, uint64_t first, size_t n_own,
                         char *const *ids, doppel_text_fn text,
                         int (*marks)(void *ctx, const char *id, doppel_marks *out), void *ctx,
                         cli_doc_text *texts);

#endif
