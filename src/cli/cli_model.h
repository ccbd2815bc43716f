/* What the commands that need a model share (info, embed, pairs, compare). */
#ifndef DP_CLI_MODEL_H
#define DP_CLI_MODEL_H

#include <stddef.h>

#include "model/encoder.h"
#include "model/model.h"
#include "model/modelfile.h"

/* Text for --help, listing the search order. */
#define CLI_MODEL_HELP                                                                  \
    "  -m, --model FILE   model file; otherwise $DOPPEL_MODEL, then the installed\n"     \
    "                     default.dpm, then corpora/models/default.dpm of the source\n" \
    "                     tree\n"

/*
 * Chooses the model (option may be NULL) and loads it. On failure prints a message that
 * names the file, or every place looked at when none was found, and returns EXIT_RUNTIME.
 * *path is the chosen file name (not to be freed). info may be NULL.
 */
int cli_model_load(const char *option, dp_model **out, dp_model_file_info *info, const char **path);

#define CLI_THREADS_HELP "  -j, --threads N    worker threads (default 2)\n"

/* cli_model_load, then an encoder with `threads` workers and single-threaded BLAS
 * (the workers are the parallelism). */
int cli_encoder_open(const char *option, int threads, dp_model **m, dp_encoder **e, const char **path);

/* Reads FILE ("-" for stdin) and splits it into lines, without '\n' and a trailing '\r';
 * *data owns the bytes the lines point into. Prints an error naming the file. */
int cli_read_lines(const char *file, char **data, char ***lines, size_t **lens, size_t *n);

/* Dot product of two unit vectors, in double. */
double cli_cosine(const float *a, const float *b, size_t n);

#endif
