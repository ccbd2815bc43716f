#include "core/atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"

int dp_atomic_open(dp_atomic_file *af, const char *path, doppel_diag *diag)
{
    memset(af, 0, sizeof *af);
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return dp_diag_errno(diag, EISDIR, "cannot write output");
    if (exists && !S_ISREG(st.st_mode)) {
        /* A device or pipe (-o /dev/null, a FIFO): written in place. A temporary file
         * renamed over it would replace the device itself (root may write /dev). */
        af->f = fopen(path, "wb");
        if (!af->f)
            return dp_diag_errno(diag, errno, "cannot open output");
        return DOPPEL_OK;
    }
    size_t n = strlen(path);
    af->path = strdup(path);
    af->tmp_path = malloc(n + sizeof ".tmp.XXXXXX");
    if (!af->path || !af->tmp_path) {
        dp_atomic_abort(af);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    memcpy(af->tmp_path, path, n);
    memcpy(af->tmp_path + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        int err = errno;
        free(af->tmp_path);
        af->tmp_path = NULL;
        dp_atomic_abort(af);
        return dp_diag_errno(diag, err, "cannot create temporary file");
    }
    /* mkstemp makes 0600; a report or model should get the usual umask mode. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        int err = errno;
        close(fd);
        dp_atomic_abort(af);
        return dp_diag_errno(diag, err, "cannot open temporary file");
    }
    return DOPPEL_OK;
}

int dp_atomic_commit(dp_atomic_file *af, doppel_diag *diag)
{
    int err = 0;
    if (fflush(af->f) != 0 || ferror(af->f))
        err = errno ? errno : EIO;
    else if (fsync(fileno(af->f)) != 0 && errno != EINVAL)
        err = errno;
    if (fclose(af->f) != 0 && !err)
        err = errno;
    af->f = NULL;
    if (!err && af->tmp_path && rename(af->tmp_path, af->path) != 0)
        err = errno;
    if (err) {
        dp_atomic_abort(af);
        return dp_diag_errno(diag, err, "cannot write output");
    }
    free(af->tmp_path);
    free(af->path);
    af->tmp_path = af->path = NULL;
    return DOPPEL_OK;
}

void dp_atomic_abort(dp_atomic_file *af)
{
    if (af->f)
        fclose(af->f);
    if (af->tmp_path)
        unlink(af->tmp_path);
    free(af->tmp_path);
    free(af->path);
    memset(af, 0, sizeof *af);
}
