/*
 * Files written whole or not at all: output goes to a temporary file beside the
 * target, which is renamed over it only once everything is flushed and synced.
 * A crash or kill mid-write leaves the previous file (or none) under the name.
 * An existing path that is not a regular file (a device such as /dev/null, a FIFO)
 * is written in place instead; a directory is refused (EISDIR).
 *
 * The temporary file is created with mode 0666 less the umask, like any new file.
 * Its name, NAME.tmp.<pid>.XXXXXX, names its writer, so the temporary files a killed
 * writer left behind can be told from ones being written (dp_atomic_remove_stale). The
 * library never removes them itself: a program decides that for the files it writes.
 */
#ifndef DP_CORE_ATOMIC_FILE_H
#define DP_CORE_ATOMIC_FILE_H

#include <stdio.h>

#include "doppel.h"

typedef struct dp_atomic_file {
    FILE *f;          /* write here */
    char *path;       /* final name (NULL when written in place) */
    char *tmp_path;   /* path.tmp.<pid>.XXXXXX in the same directory (NULL: in place) */
} dp_atomic_file;

/* A stale temporary file is at least this old (mtime), not only writerless: a pid
 * is reused in time, and on a shared filesystem it may be another host's process. */
#define DP_ATOMIC_STALE_SECONDS 600

int dp_atomic_open(dp_atomic_file *af, const char *path, doppel_diag *diag);
/* Flushes, fsyncs and renames over path; on failure the temp file is removed. */
int dp_atomic_commit(dp_atomic_file *af, doppel_diag *diag);
/* Removes the temporary files of path that killed writers left: regular files named
 * NAME.tmp.<pid>.XXXXXX whose process is gone and that are DP_ATOMIC_STALE_SECONDS old.
 * Best effort. For programs (the CLI calls it before each output it writes). */
void dp_atomic_remove_stale(const char *path);
/* Discards the temp file. Safe after a failed open or a commit. */
void dp_atomic_abort(dp_atomic_file *af);
/* The whole of buf[0..len) written to path by the above (open, write, commit). */
int dp_atomic_write(const char *path, const void *buf, size_t len, doppel_diag *diag);

#endif
