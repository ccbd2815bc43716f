/* Reading a data file for `doppel train` and `doppel eval`: malformed lines are warned
 * about as "FILE: line N: ..." and skipped, and the counts are printed to stderr. */
#ifndef DP_CLI_DATA_H
#define DP_CLI_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "train/dataset.h"
#include "train/wordnet.h"

/* Returns EXIT_OK, or EXIT_RUNTIME after printing the error. */
int cli_data_read(dp_dataset *ds, const char *path, dp_data_format fmt);

/* A plain list file: one name a line, blank lines and lines starting with '#' ignored.
 * *buf holds the names (free it and *names). EXIT_OK or EXIT_RUNTIME after printing. */
int cli_read_list(const char *path, char **buf, const char ***names, size_t *n);

/* Reads a prose or brown source (train/augment.h) and prints what it made; wordnet_dir
 * NULL uses /usr/share/wordnet when it is there. *wn is loaded on first use. */
int cli_prose_read(dp_dataset *ds, const char *path, dp_data_format fmt, const char *wordnet_dir,
                   dp_wordnet **wn, const char *const *exclude, size_t nexclude, uint64_t seed);

#define CLI_DATA_FORMATS "stsb, sick, msrp, paws, kjvweb, tsv, triplets, topic or groups"
#define CLI_TRAIN_FORMATS CLI_DATA_FORMATS "; prose or brown (a file or directory)"

#endif
