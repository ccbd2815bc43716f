/* What every command shares: exit codes, option parsing conventions, messages. */
#ifndef DP_CLI_H
#define DP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "doppel.h"

/* Exit codes, the same for every command (documented in `doppel --help`). */
enum {
    EXIT_OK = 0,       /* success, whether or not anything similar was found */
    EXIT_FOUND = 1,    /* similar documents found, only with --exit-code */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_RUNTIME = 3,  /* I/O, model, out of memory */
};

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/* The -h line of every command's help (cli/cli_model.h's CLI_MODEL_HELP says the layout). */
#define CLI_HELP_HELP "  -h, --help             this help\n"

/* Prints "doppel CMD: message" to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "doppel: FILE: byte B, line L: message" for a failed library call;
 * returns EXIT_RUNTIME. file may be NULL; diag may be NULL (then only the code is used). */
int cli_runtime_error(const char *file, int code, const doppel_diag *diag);

/* Prints a warning in the same shape as cli_runtime_error, keeps going. */
void cli_warn(const char *file, int code, const doppel_diag *diag);

/*
 * Parses argv with getopt_long, reporting an unknown option or a missing argument
 * by name (exit code 2). Returns the option character, -1 at the end of options,
 * or '?' after printing the error.
 */
struct option;
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts);

/* Parses a number option strictly (whole string, in range); false after printing an error. */
bool cli_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);
bool cli_parse_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);

/* The command table, defined in main.c. */
extern const cli_command cli_commands[];

#endif
