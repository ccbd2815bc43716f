/* What `doppel tokenize` and `doppel sentences` share: --encoding and loading a document. */
#ifndef DP_CLI_TEXT_H
#define DP_CLI_TEXT_H

#include <stdbool.h>

#include <stdint.h>

#include "doppel.h"

/* Inputs larger than this are refused (exit 3). A document is held whole, with ~100
 * bytes of tables per token: 64 MiB of short words peak at about 1.6 GB. */
#define CLI_TEXT_MAX_BYTES ((size_t)64 << 20)

/* "auto", "utf-8" (or "utf8"), "cp1252" (or "windows-1252"), "latin1" (or "iso-8859-1").
 * false after printing a usage error. */
bool cli_parse_encoding(const char *cmd, const char *s, doppel_encoding *out);

/* Reads path ("-" is stdin), decodes and tokenizes it, warning on stderr about invalid
 * byte sequences. Returns EXIT_OK, or EXIT_RUNTIME after printing why. */
int cli_load_doc(const char *path, const doppel_tokenizer *tk, doppel_encoding enc, doppel_doc **out);

/*
 * The body of tokenize and sentences: takes the one optional FILE operand left in argv
 * after cmd's options (stdin without one or with "-"; more is a usage error), loads it
 * (cli_load_doc) and prints it with `print`, which returns false when writing failed.
 * Returns the exit code; a failed write to stdout is EXIT_RUNTIME naming <stdout>.
 */
int cli_text_print(const char *cmd, int argc, char **argv, bool strip_accents, doppel_encoding enc,
                   bool (*print)(const doppel_doc *doc));

/* "doppel: warning: NAME: byte FIRST: COUNT invalid byte sequences replaced by U+FFFD". */
void cli_warn_invalid(const char *name, uint64_t count, uint64_t first);

#endif
