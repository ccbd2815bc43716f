/* What the commands that need a model share (info, embed, pairs, compare), on the
 * public API. */
#ifndef DP_CLI_MODEL_H
#define DP_CLI_MODEL_H

#include <stddef.h>

#include "doppel.h"

/* Text for --help, listing the search order. Every command's help lays an option out
 * as these do: its names from column 2 (a long option alone from column 6), its text
 * from column 25 to column 80 (tests/cli/help.sh checks it). */
#define CLI_MODEL_HELP                                                                      \
    "  -m, --model FILE       model file; otherwise $DOPPEL_MODEL, then the installed\n"    \
    "                         default.dpm, then corpora/models/default.dpm of the\n"       \
    "                         source tree\n"

/*
 * Chooses the model (option may be NULL): the option, $DOPPEL_MODEL, the installed
 * default, the source tree's. On failure prints a message naming every place looked at
 * and returns EXIT_RUNTIME; else *path is the chosen file name (not to be freed).
 */
int cli_model_find(const char *option, const char **path);

/* cli_model_find, then loads the model and makes BLAS single-threaded (the library's
 * encoder threads are the parallelism). On failure prints a message that names the file
 * and returns EXIT_RUNTIME. */
int cli_model_open(const char *option, doppel_model **out, const char **path);

/* The worker threads of the commands that encode, unless -j says otherwise. */
#define CLI_DEFAULT_THREADS 2
#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)
#define CLI_THREADS_HELP "  -j, --threads N        worker threads (default " CLI_STR(CLI_DEFAULT_THREADS) ")\n"
/* The most encoder threads doppel_encoder_create takes. */
#define CLI_MAX_THREADS 64

/* --precision, for the commands that encode: a long option and its case in the getopt
 * switch (setting the doppel_precision var; a usage error for another value). */
#define CLI_OPT_PRECISION 0x150
#define CLI_PRECISION_OPTION {"precision", required_argument, NULL, CLI_OPT_PRECISION}
#define CLI_PRECISION_CASE(cmd, var)                                                                   \
    case CLI_OPT_PRECISION:                                                                            \
        if (((var) = cli_precision_parse(optarg)) < 0)                                                 \
            return cli_usage_error(cmd, "--precision expects auto, fp32 or int8, got '%s'", optarg); \
        break;
#define CLI_PRECISION_HELP                                                                  \
    "      --precision P      the encoder's arithmetic: auto (default; int8 where the\n"    \
    "                         CPU has a SIMD int8 kernel, else fp32), fp32 (the\n"         \
    "                         reference) or int8 (vectors within cosine 0.999 of\n"        \
    "                         fp32's)\n"

/* "auto", "fp32" or "int8" as a doppel_precision; -1 for another name. */
int cli_precision_parse(const char *name);

/* cli_model_open, then an encoder with `threads` workers and the given precision. */
int cli_encoder_open_public(const char *option, int threads, doppel_precision precision, doppel_model **m,
                            doppel_encoder **e, const char **path);

/* Reads FILE ("-" for stdin), decodes it as the sweep decodes a document (UTF-8, UTF-16
 * with a BOM, Windows-1252; invalid bytes warned about) and splits it into lines, without
 * '\n' and a trailing '\r'; *data owns the UTF-8 bytes the lines point into. Prints an
 * error naming the file. */
int cli_read_lines(const char *file, char **data, char ***lines, size_t **lens, size_t *n);

/* The input of a command that encodes one text per line (embed, pairs): the lines of
 * its FILE operand and an encoder for them. */
typedef struct cli_lines {
    doppel_model *model;
    doppel_encoder *enc;
    size_t dim;        /* of the model's vectors */
    const char *input; /* the FILE operand, "-" (stdin) when there is none */
    char *data;        /* owns the bytes the lines point into */
    char **lines;      /* [n], without '\n' and a trailing '\r' */
    size_t *lens;      /* [n] */
    size_t n;
} cli_lines;

/*
 * Takes the one optional FILE operand left in argv after cmd's options (more is a usage
 * error), opens the encoder (cli_encoder_open_public) and reads the lines of FILE
 * (cli_read_lines). Returns EXIT_OK, or the exit code after printing why; *in then holds
 * nothing to close.
 */
int cli_lines_open(cli_lines *in, const char *cmd, int argc, char **argv, const char *model_opt, int threads,
                   int precision);

void cli_lines_close(cli_lines *in);

/* doppel_encoder_encode, except that a text without a single token (empty or blank)
 * gets the zero vector: its cosine with anything is 0, where the
 * model's vector of nothing would resemble every short text somewhat. */
int cli_encode(doppel_encoder *e, const char *const *texts, const size_t *lens, size_t n, float *out, size_t dim,
               doppel_diag *diag);

/* Dot product of two unit vectors, in double. */
double cli_cosine(const float *a, const float *b, size_t n);

#endif
