/*
 * Reading zip archives held in memory (a .docx, an .odt, an LMS export) with libzip,
 * within stated limits, so that a zip bomb or a damaged archive is a reason to skip
 * one file, never a crash or an exhausted machine.
 */
#ifndef DP_IO_ZIPREAD_H
#define DP_IO_ZIPREAD_H

#include <stddef.h>
#include <stdint.h>

/* No member is inflated past this many bytes. */
#define DP_ZIP_MAX_MEMBER ((uint64_t)64 << 20)
/* All members read from one archive together. */
#define DP_ZIP_MAX_TOTAL ((uint64_t)1 << 30)
/* A member inflating past DP_ZIP_RATIO_FLOOR bytes may be at most this many times its
 * compressed size (text compresses 3-10 times; bombs 1000 times and more). */
#define DP_ZIP_MAX_RATIO 200
#define DP_ZIP_RATIO_FLOOR ((uint64_t)1 << 20)
/* Archives with more entries are refused. */
#define DP_ZIP_MAX_ENTRIES 100000

typedef struct dp_zip dp_zip;

/*
 * Opens the archive in bytes[0, len) (not copied: it must outlive the handle).
 * DOPPEL_OK, DOPPEL_ERR_NOMEM, or DOPPEL_ERR_CORRUPT with *why (malloc'd) saying
 * what is wrong ("not a zip archive", "corrupt zip archive: ...").
 */
int dp_zip_open(dp_zip **z, const char *bytes, size_t len, char **why);
void dp_zip_close(dp_zip *z);

size_t dp_zip_count(const dp_zip *z);
/* Name of entry i (as stored; directories end in '/'). */
const char *dp_zip_name(const dp_zip *z, size_t i);
/* Index of the entry with this exact name, or -1. */
long dp_zip_find(const dp_zip *z, const char *name);

/*
 * Inflates entry i, at most `max` bytes (0: DP_ZIP_MAX_MEMBER), NUL-terminated.
 * DOPPEL_OK; DOPPEL_ERR_NOMEM; or, with *why (malloc'd) naming the entry and the cause,
 * DOPPEL_ERR_TOO_LARGE (a limit above: a zip bomb or simply too big) or
 * DOPPEL_ERR_CORRUPT (encrypted, bad CRC, unsupported method, truncated data).
 */
int dp_zip_read(dp_zip *z, size_t i, uint64_t max, char **out, size_t *len, char **why);

/* malloc'd printf; NULL when out of memory. */
char *dp_io_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
