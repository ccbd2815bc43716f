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
 * *path is the chosen file name (not to be freed). info may be NULL. The model is for
 * encoding: an int8 embedding stays int8 (DP_MODEL_KEEP_INT8).
 */
int cli_model_load(const char *option, dp_model **out, dp_model_file_info *info, const char **path);

#define CLI_THREADS_HELP "  -j, --threads N    worker threads (default 2)\n"

/* --precision, for the commands that encode: a long option and its case in the getopt
 * switch (setting the dp_precision var; a usage error for another value). */
#define CLI_OPT_PRECISION 0x150
#define CLI_PRECISION_OPTION {"precision", required_argument, NULL, CLI_OPT_PRECISION}
#define CLI_PRECISION_CASE(cmd, var)                                                                   \
    case CLI_OPT_PRECISION:                                                                            \
        if (((var) = dp_precision_parse(optarg)) < 0)                                                  \
            return cli_usage_error(cmd, "--precision expects auto, fp32 or int8, got '%s'", optarg); \
        break;
#define CLI_PRECISION_HELP                                                                \
    "  --precision P      the encoder's arithmetic: auto (default; int8 where the CPU\n"   \
    "                     has a SIMD int8 kernel, else fp32), fp32 (the reference) or\n" \
    "                     int8 (vectors within cosine 0.999 of fp32's)\n"

/* cli_model_load, then an encoder with `threads` workers, the given dp_precision and
 * single-threaded BLAS (the workers are the parallelism). */
int cli_encoder_open(const char *option, int threads, int precision, dp_model **m, dp_encoder **e,
                     const char **path);

/* Reads FILE ("-" for stdin), decodes it as the sweep decodes a document (UTF-8, UTF-16
 * with a BOM, Windows-1252; invalid bytes warned about) and splits it into lines, without
 * '\n' and a trailing '\r'; *data owns the UTF-8 bytes the lines point into. Prints an
 * error naming the file. */
int cli_read_lines(const char *file, char **data, char ***lines, size_t **lens, size_t *n);

/* The input of a command that encodes one text per line (embed, pairs): the lines of
 * its FILE operand and an encoder for them. */
typedef struct cli_lines {
    dp_model *model;
    dp_encoder *enc;
    const char *input; /* the FILE operand, "-" (stdin) when there is none */
    char *data;        /* owns the bytes the lines point into */
    char **lines;      /* [n], without '\n' and a trailing '\r' */
    size_t *lens;      /* [n] */
    size_t n;
} cli_lines;

/*
 * Takes the one optional FILE operand left in argv after cmd's options (more is a usage
 * error), opens the encoder (cli_encoder_open) and reads the lines of FILE
 * (cli_read_lines). Returns EXIT_OK, or the exit code after printing why; *in then holds
 * nothing to close.
 */
int cli_lines_open(cli_lines *in, const char *cmd, int argc, char **argv, const char *model_opt, int threads,
                   int precision);

void cli_lines_close(cli_lines *in);

/* dp_encoder_encode, except that a text without a single token (empty or blank)
 * gets the zero vector: its cosine with anything is 0, where the
 * model's vector of nothing would resemble every short text somewhat. */
int cli_encode(dp_encoder *e, const char *const *texts, const size_t *lens, size_t n, float *out, size_t dim,
               doppel_diag *diag);

/* Dot product of two unit vectors, in double. */
double cli_cosine(const float *a, const float *b, size_t n);

#endif
