/*
 * A directory written whole or not at all: its files go into a temporary directory
 * beside it (NAME.tmp.<pid>.XXXXXX), which is renamed to NAME once every file is written.
 * An existing NAME is replaced only when it is an empty directory, or with force (a
 * non-empty directory is then renamed aside and removed once the new one is in place).
 */
#ifndef DP_CORE_ATOMIC_DIR_H
#define DP_CORE_ATOMIC_DIR_H

#include <stdbool.h>

#include "doppel.h"

typedef struct dp_atomic_dir {
    char *path;     /* final name */
    char *tmp_path; /* where the files are written until commit */
} dp_atomic_dir;

/* DOPPEL_OK when path may be written: absent, an empty directory, or (force) any
 * directory; DOPPEL_ERR_INVALID (with a message) when it is refused. */
int dp_atomic_dir_check(const char *path, bool force, doppel_diag *diag);
int dp_atomic_dir_open(dp_atomic_dir *ad, const char *path, doppel_diag *diag);
/* Checks path again (dp_atomic_dir_check), then renames the temporary directory into place. */
int dp_atomic_dir_commit(dp_atomic_dir *ad, bool force, doppel_diag *diag);
/* Removes the temporary directory and its files. Safe after a failed open or a commit. */
void dp_atomic_dir_abort(dp_atomic_dir *ad);

#endif
