#include "core/readfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/grow.h"

int dp_read_stream(FILE *f, size_t max_bytes, char **data, size_t *len, doppel_diag *diag)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (DP_GROW(buf, cap, n + 2, (size_t)1 << 16)) {
            free(buf);
            return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max_bytes) {
            free(buf);
            return dp_diag_set(diag, DOPPEL_ERR_TOO_LARGE, (uint64_t)max_bytes, DP_NO_POS,
                               "larger than the limit of %zu bytes", max_bytes);
        }
        if (got == 0) {
            if (ferror(f)) {
                int err = errno;
                free(buf);
                return dp_diag_errno(diag, err, "read failed");
            }
            break;
        }
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return DOPPEL_OK;
}

int dp_read_file(const char *path, size_t max_bytes, char **data, size_t *len, doppel_diag *diag)
{
    if (strcmp(path, "-") == 0)
        return dp_read_stream(stdin, max_bytes, data, len, diag);
    FILE *f = fopen(path, "rb");
    if (!f)
        return dp_diag_errno(diag, errno, "cannot open");
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        int err = errno;
        fclose(f);
        return dp_diag_errno(diag, err, "cannot stat");
    }
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
        fclose(f);
        return dp_diag_set(diag, DOPPEL_ERR_IO, DP_NO_POS, DP_NO_POS, "not a regular file");
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes) {
        fclose(f);
        return dp_diag_set(diag, DOPPEL_ERR_TOO_LARGE, (uint64_t)max_bytes, DP_NO_POS,
                           "%lld bytes, larger than the limit of %zu bytes",
                           (long long)st.st_size, max_bytes);
    }
    int rc = dp_read_stream(f, max_bytes, data, len, diag);
    fclose(f);
    return rc;
}

int dp_read_parsed(const char *path, size_t max_bytes, dp_parse_fn parse, void *ctx, doppel_diag *diag)
{
    char *data;
    size_t len;
    int rc = dp_read_file(path, max_bytes, &data, &len, diag);
    if (rc)
        return rc;
    rc = parse(ctx, data, len, diag);
    free(data);
    return rc;
}
