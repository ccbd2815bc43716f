/* sweep --mpi: an id repeated across the ranks' shares is skipped as one process skips it
 * (the corpus reader finds repeats within what it reads; a rank reads only its share). */
#ifndef DP_CLI_REPEATS_H
#define DP_CLI_REPEATS_H

#include <stddef.h>

#include "mpi/dist.h"
#include "sweep/corpus.h"

typedef struct cli_read_id {
    char *key;   /* the corpus (documents '0', references '1') and the id */
    char *where; /* "FILE:LINE" of a --jsonl line, else the id */
    size_t num;  /* the document's number in this rank's sweep, SIZE_MAX when it refused it */
} cli_read_id;

typedef struct cli_repeats {
    cli_read_id *v;
    size_t n, cap;
} cli_repeats;

/* Notes a document the corpus reader gave (read with ids_elsewhere): DOPPEL_OK or
 * DOPPEL_ERR_NOMEM. */
int cli_repeats_note(cli_repeats *r, const dp_corpus_item *it, int is_ref, size_t num);

/*
 * Every rank's ids in the job's order (ranks hold contiguous shares in rank order): calls
 * drop(ctx, num, id, where, reason) for each of this rank's documents that repeats an id read
 * before it, latest first (so the numbers of those still to drop stand), with one
 * process's skip reason. Stops at drop's first non-zero return and returns it.
 */
int cli_repeats_resolve(cli_repeats *r, const dp_dist *d,
                        int (*drop)(void *ctx, size_t num, const char *id, const char *where, const char *reason),
                        void *ctx);

void cli_repeats_free(cli_repeats *r);

#endif
