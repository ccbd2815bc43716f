/* What the commands on doppel.h take from the command line, in public types: the
 * --template files and the report format. */
#ifndef DP_CLI_INPUT_H
#define DP_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "doppel.h"

/* Hands one template's bytes on (doppel_index_add_template, or a sweep's own). */
typedef int (*cli_template_fn)(void *ctx, const char *bytes, size_t len, doppel_diag *diag);

/* Reads each --template file whole and hands it to add. On failure prints a message
 * naming the file and returns EXIT_RUNTIME. */
int cli_read_templates(const char *const *templates, size_t n, cli_template_fn add, void *ctx);

/* -f FORMAT (NULL: a table on a terminal, else JSON Lines) as a DOPPEL_FORMAT_*; false
 * after printing a usage error naming cmd. */
bool cli_write_format(const char *cmd, const char *format_opt, int *fmt);

/* The width the terminal table fits: the terminal's, else $COLUMNS, else 80. */
int cli_columns(void);

#endif
