/* Where a program's output goes: a file written atomically (a temporary file beside it,
 * renamed into place on commit, so a failed run leaves no partial file), or stdout when
 * the path is NULL or "-". The program's, never the library's: it removes a stale
 * temporary file an interrupted run left. */
#ifndef DP_CORE_OUTPUT_H
#define DP_CORE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/atomic_file.h"
#include "doppel.h"

typedef struct dp_output {
    FILE *f;
    dp_atomic_file af;
    bool to_file;
} dp_output;

int dp_output_open(dp_output *o, const char *path, doppel_diag *diag);
/* Flushes; for a file, renames it into place. */
int dp_output_commit(dp_output *o, doppel_diag *diag);
/* Leaves no partial file behind. */
void dp_output_abort(dp_output *o);

#endif
