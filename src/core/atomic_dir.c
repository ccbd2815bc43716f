#include "core/atomic_dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"

/* 1: dir holds entries other than . and ..; 0: empty; -1: cannot be read (errno). */
static int has_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int any = 0;
    while (!any && (e = readdir(d)))
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
}

/* Removes dir's files, then dir (the writer's own directories hold only files). */
static void remove_flat(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(dir);
}

int dp_atomic_dir_check(const char *path, bool force, doppel_diag *diag)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? DOPPEL_OK : dp_diag_errno(diag, errno, "cannot use output directory");
    if (!S_ISDIR(st.st_mode))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "exists and is not a directory");
    int any = has_entries(path);
    if (any < 0)
        return dp_diag_errno(diag, errno, "cannot read output directory");
    if (any && !force)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "directory exists and is not empty (--force replaces it)");
    return DOPPEL_OK;
}

int dp_atomic_dir_open(dp_atomic_dir *ad, const char *path, doppel_diag *diag)
{
    memset(ad, 0, sizeof *ad);
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') /* "out/" names out */
        n--;
    char suffix[48];
    size_t k = (size_t)snprintf(suffix, sizeof suffix, ".tmp.%ld.XXXXXX", (long)getpid());
    ad->path = strndup(path, n);
    ad->tmp_path = malloc(n + k + 1);
    if (!ad->path || !ad->tmp_path) {
        dp_atomic_dir_abort(ad);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    memcpy(ad->tmp_path, ad->path, n);
    memcpy(ad->tmp_path + n, suffix, k + 1);
    if (!mkdtemp(ad->tmp_path)) {
        int err = errno;
        free(ad->tmp_path);
        ad->tmp_path = NULL;
        dp_atomic_dir_abort(ad);
        return dp_diag_errno(diag, err, "cannot create temporary directory");
    }
    /* mkdtemp makes 0700; an output directory gets the usual umask mode */
    mode_t mask = umask(0);
    umask(mask);
    chmod(ad->tmp_path, 0777 & ~mask);
    return DOPPEL_OK;
}

int dp_atomic_dir_commit(dp_atomic_dir *ad, bool force, doppel_diag *diag)
{
    int rc = dp_atomic_dir_check(ad->path, force, diag);
    if (rc) {
        dp_atomic_dir_abort(ad);
        return rc;
    }
    char *aside = NULL;
    struct stat st;
    if (lstat(ad->path, &st) == 0) {
        /* an empty directory goes; a full one (force) is moved aside until the new one is in */
        if (has_entries(ad->path) == 0) {
            rmdir(ad->path);
        } else {
            size_t n = strlen(ad->tmp_path);
            aside = malloc(n + 5);
            if (!aside) {
                dp_atomic_dir_abort(ad);
                return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
            }
            memcpy(aside, ad->tmp_path, n);
            memcpy(aside + n, ".old", 5);
            if (rename(ad->path, aside) != 0) {
                int err = errno;
                free(aside);
                dp_atomic_dir_abort(ad);
                return dp_diag_errno(diag, err, "cannot replace output directory");
            }
        }
    }
    if (rename(ad->tmp_path, ad->path) != 0) {
        int err = errno;
        if (aside)
            rename(aside, ad->path); /* the old directory back */
        free(aside);
        dp_atomic_dir_abort(ad);
        return dp_diag_errno(diag, err, "cannot rename output directory into place");
    }
    if (aside)
        remove_flat(aside);
    free(aside);
    free(ad->tmp_path);
    ad->tmp_path = NULL;
    dp_atomic_dir_abort(ad);
    return DOPPEL_OK;
}

void dp_atomic_dir_abort(dp_atomic_dir *ad)
{
    if (ad->tmp_path)
        remove_flat(ad->tmp_path);
    free(ad->path), free(ad->tmp_path);
    memset(ad, 0, sizeof *ad);
}
