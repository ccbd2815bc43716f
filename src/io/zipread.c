#include "io/zipread.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/grow.h"
#include "doppel.h"

struct dp_zip {
    zip_t *za;
    zip_int64_t n;
    uint64_t total; /* bytes inflated so far */
};

char *dp_io_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* *why = the message; the code, or NOMEM when the message cannot be made. */
static int fail(int code, char **why, char *msg)
{
    *why = msg;
    return msg ? code : DOPPEL_ERR_NOMEM;
}

int dp_zip_open(dp_zip **out, const char *bytes, size_t len, char **why)
{
    *out = NULL;
    *why = NULL;
    if (len < 4 || memcmp(bytes, "PK", 2) != 0)
        return fail(DOPPEL_ERR_CORRUPT, why, dp_io_printf("not a zip archive"));
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &err);
    if (!src) {
        zip_error_fini(&err);
        return DOPPEL_ERR_NOMEM;
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!za) {
        zip_source_free(src);
        char *m = dp_io_printf("corrupt zip archive: %s", zip_error_strerror(&err));
        zip_error_fini(&err);
        return fail(DOPPEL_ERR_CORRUPT, why, m);
    }
    zip_error_fini(&err);
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || n > DP_ZIP_MAX_ENTRIES) {
        zip_close(za);
        return fail(DOPPEL_ERR_TOO_LARGE, why,
                    dp_io_printf("zip archive with more than %d entries", DP_ZIP_MAX_ENTRIES));
    }
    dp_zip *z = calloc(1, sizeof *z);
    if (!z) {
        zip_close(za);
        return DOPPEL_ERR_NOMEM;
    }
    z->za = za, z->n = n;
    *out = z;
    return DOPPEL_OK;
}

void dp_zip_close(dp_zip *z)
{
    if (!z)
        return;
    zip_discard(z->za);
    free(z);
}

size_t dp_zip_count(const dp_zip *z) { return (size_t)z->n; }

const char *dp_zip_name(const dp_zip *z, size_t i)
{
    const char *s = zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
    return s ? s : "";
}

long dp_zip_find(const dp_zip *z, const char *name)
{
    zip_int64_t i = zip_name_locate(z->za, name, ZIP_FL_ENC_GUESS);
    return i < 0 ? -1 : (long)i;
}

int dp_zip_read(dp_zip *z, size_t i, uint64_t max, char **out, size_t *len, char **why)
{
    *out = NULL, *len = 0, *why = NULL;
    if (max == 0 || max > DP_ZIP_MAX_MEMBER)
        max = DP_ZIP_MAX_MEMBER;
    const char *name = dp_zip_name(z, i);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, i, 0, &st) != 0)
        return fail(DOPPEL_ERR_CORRUPT, why, dp_io_printf("%s: unreadable zip entry", name));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fail(DOPPEL_ERR_CORRUPT, why, dp_io_printf("%s: encrypted (password-protected)", name));
    if ((st.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported(st.comp_method, 0))
        return fail(DOPPEL_ERR_CORRUPT, why, dp_io_printf("%s: unsupported compression method %d", name,
                                                          (int)st.comp_method));
    zip_file_t *f = zip_fopen_index(z->za, i, 0);
    if (!f)
        return fail(DOPPEL_ERR_CORRUPT, why,
                    dp_io_printf("%s: %s", name, zip_strerror(z->za)));
    uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    size_t cap = 0, n = 0;
    char *buf = NULL;
    int rc = DOPPEL_OK;
    for (;;) {
        if ((rc = DP_GROW(buf, cap, n + 65536 + 1, 65536 + 1)))
            break;
        zip_int64_t got = zip_fread(f, buf + n, 65536);
        if (got < 0) {
            rc = fail(DOPPEL_ERR_CORRUPT, why,
                      dp_io_printf("%s: corrupt zip entry: %s", name, zip_error_strerror(zip_file_get_error(f))));
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        z->total += (uint64_t)got;
        if (n > max) {
            rc = fail(DOPPEL_ERR_TOO_LARGE, why,
                      dp_io_printf("%s: inflates past %llu bytes (zip bomb limit)", name, (unsigned long long)max));
            break;
        }
        if (z->total > DP_ZIP_MAX_TOTAL) {
            rc = fail(DOPPEL_ERR_TOO_LARGE, why,
                      dp_io_printf("%s: the archive inflates past %llu bytes in all (zip bomb limit)", name,
                                   (unsigned long long)DP_ZIP_MAX_TOTAL));
            break;
        }
        if (n > DP_ZIP_RATIO_FLOOR && (comp == 0 || n / comp > DP_ZIP_MAX_RATIO)) {
            rc = fail(DOPPEL_ERR_TOO_LARGE, why,
                      dp_io_printf("%s: inflates more than %d times its compressed size (zip bomb limit)", name,
                                   DP_ZIP_MAX_RATIO));
            break;
        }
    }
    zip_fclose(f);
    if (rc != DOPPEL_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf, *len = n;
    return DOPPEL_OK;
}
