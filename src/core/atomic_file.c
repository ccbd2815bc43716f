#include "core/atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"

#define TMP_MARK ".tmp."

/* mkstemp's six characters: glibc and musl draw them from ASCII letters and digits. */
static bool is_mkstemp_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The writer's pid when name is exactly BASE.tmp.<pid>.XXXXXX (pid as %ld prints it), else 0. */
static long temp_writer(const char *name, const char *base, size_t base_len)
{
    if (strncmp(name, base, base_len) != 0 || strncmp(name + base_len, TMP_MARK, strlen(TMP_MARK)) != 0)
        return 0;
    const char *p = name + base_len + strlen(TMP_MARK);
    if (*p < '1' || *p > '9')
        return 0;
    long pid = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((pid = pid * 10 + (*p - '0')) > 0x7fffffff) /* no pid_t is wider than 32 bits on Linux */
            return 0;
    if (*p++ != '.')
        return 0;
    for (int i = 0; i < 6; i++)
        if (!is_mkstemp_char(p[i])) /* stops at the terminator */
            return 0;
    return p[6] ? 0 : pid;
}

/* Names are resolved in the directory's fd and never followed (a symlink is skipped,
 * and unlinkat removes a name, never what it points to). Best effort: errors are ignored. */
void dp_atomic_remove_stale(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t base_len = strlen(base);
    if (!base_len)
        return;
    char *dir = !slash ? strdup(".") : slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
    if (!dir)
        return;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (dfd < 0)
        return;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_writer(e->d_name, base, base_len);
        struct stat st;
        if (!pid || fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
            now - st.st_mtime < DP_ATOMIC_STALE_SECONDS)
            continue;
        /* EPERM: the process exists (another user's); only ESRCH says it is gone. */
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        unlinkat(dfd, e->d_name, 0);
    }
    closedir(d);
}

/* Six letters or digits (as mkstemp's) from the clock, a per-process counter and salt. */
static void temp_letters(char *out, uint64_t salt)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Atomic uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ salt ^ ++counter * 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 6; i++) {
        x ^= x >> 29, x *= 0xbf58476d1ce4e5b9u, x ^= x >> 32;
        out[i] = set[x % (sizeof set - 1)];
    }
}

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
    char suffix[48];
    size_t n = strlen(path), k = (size_t)snprintf(suffix, sizeof suffix, TMP_MARK "%ld.XXXXXX", (long)getpid());
    af->path = strdup(path);
    af->tmp_path = malloc(n + k + 1);
    if (!af->path || !af->tmp_path) {
        dp_atomic_abort(af);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    memcpy(af->tmp_path, path, n);
    memcpy(af->tmp_path + n, suffix, k + 1);
    /* Not mkstemp: it makes 0600, and fixing that needs the umask, which only umask()
     * reads by setting it (process-wide, racing other threads). open with 0666 lets the
     * umask apply as for any new file. */
    int fd = -1, err = EEXIST;
    for (unsigned attempt = 0; fd < 0 && err == EEXIST && attempt < 100; attempt++) {
        temp_letters(af->tmp_path + n + k - 6, (uintptr_t)af ^ (uintptr_t)attempt << 40);
        fd = open(af->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        err = fd < 0 ? errno : 0;
    }
    if (fd < 0) {
        free(af->tmp_path);
        af->tmp_path = NULL;
        dp_atomic_abort(af);
        return dp_diag_errno(diag, err, "cannot create temporary file");
    }
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        err = errno;
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

int dp_atomic_write(const char *path, const void *buf, size_t len, doppel_diag *diag)
{
    dp_atomic_file af;
    int rc = dp_atomic_open(&af, path, diag);
    if (rc)
        return rc;
    if (fwrite(buf, 1, len, af.f) != len) {
        int err = errno;
        dp_atomic_abort(&af);
        return dp_diag_errno(diag, err, "write");
    }
    return dp_atomic_commit(&af, diag);
}
