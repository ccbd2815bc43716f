/* Reading a data file for `doppel train` and `doppel eval`: malformed lines are warned
 * about as "FILE: line N: ..." and skipped, and the counts are printed to stderr. */
#ifndef DP_CLI_DATA_H
#define DP_CLI_DATA_H

#include "train/dataset.h"

/* Returns EXIT_OK, or EXIT_RUNTIME after printing the error. */
int cli_data_read(dp_dataset *ds, const char *path, dp_data_format fmt);

#define CLI_DATA_FORMATS "stsb, sick, msrp, paws, kjvweb, tsv or triplets"

#endif
