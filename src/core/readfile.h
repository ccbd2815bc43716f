/* Reading a whole file (or stream) into memory, bounded by a size cap. */
#ifndef DP_CORE_READFILE_H
#define DP_CORE_READFILE_H

#include <stddef.h>
#include <stdio.h>

#include "doppel.h"

/*
 * Reads all of `path` ("-" reads stdin) into a malloc'd buffer with a NUL after
 * the last byte (not counted in *len). Files larger than max_bytes fail with
 * DOPPEL_ERR_TOO_LARGE without reading them whole; directories and other
 * non-regular files fail with DOPPEL_ERR_IO.
 */
int dp_read_file(const char *path, size_t max_bytes, char **data, size_t *len, doppel_diag *diag);

/* A file format's reader: parses the len bytes of a whole file (ctx: the caller's). */
typedef int (*dp_parse_fn)(void *ctx, const char *bytes, size_t len, doppel_diag *diag);

/* Reads `path` whole (dp_read_file) and hands its bytes to parse, freeing them after: how
 * a file is read that is parsed from memory (a model, an index, a shard manifest). */
int dp_read_parsed(const char *path, size_t max_bytes, dp_parse_fn parse, void *ctx, doppel_diag *diag);

/* Same for an open stream. */
int dp_read_stream(FILE *f, size_t max_bytes, char **data, size_t *len, doppel_diag *diag);

#endif
