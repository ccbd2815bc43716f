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

/* Same for an open stream. */
int dp_read_stream(FILE *f, size_t max_bytes, char **data, size_t *len, doppel_diag *diag);

#endif
