/*
 * doppel — text similarity and plagiarism detection.
 *
 * The only public header of libdoppel. Conventions (after zstd and libsodium):
 *  - every symbol starts with doppel_ / DOPPEL_;
 *  - handles are opaque, made by *_create and released by *_free (free accepts NULL);
 *  - functions return an int error code (DOPPEL_OK == 0), explained by doppel_strerror();
 *  - optional doppel_diag out-parameters say where an error happened (file, byte, line);
 *  - the library keeps no global state, never prints and never exits.
 * Every span is a byte offset into the original input, start inclusive, end exclusive.
 */
#ifndef DOPPEL_H
#define DOPPEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DOPPEL_BUILDING) && defined(__GNUC__)
#define DOPPEL_API __attribute__((visibility("default")))
#else
#define DOPPEL_API
#endif

/* ===== errors and version ============================================== */

enum {
    DOPPEL_OK = 0,
    DOPPEL_ERR_INVALID,        /* invalid argument or option value */
    DOPPEL_ERR_NOMEM,          /* out of memory */
    DOPPEL_ERR_IO,             /* read/write/open failed (see errno in doppel_diag) */
    DOPPEL_ERR_ENCODING,       /* text could not be decoded */
    DOPPEL_ERR_EMPTY,          /* input has no text */
    DOPPEL_ERR_BINARY,         /* input looks like a binary file */
    DOPPEL_ERR_TOO_LARGE,      /* input exceeds a documented size limit */
    DOPPEL_ERR_REGEX,          /* PCRE2 pattern compile or match failure */
    DOPPEL_ERR_MODEL_MAGIC,    /* not a doppel model / index file */
    DOPPEL_ERR_MODEL_VERSION,  /* format version this build cannot read */
    DOPPEL_ERR_MODEL_CHECKSUM, /* file content does not match its checksum */
    DOPPEL_ERR_TRUNCATED,      /* file shorter than its header says */
    DOPPEL_ERR_CORRUPT,        /* inconsistent sizes or values in a file */
    DOPPEL_ERR_MODEL_MISMATCH, /* index built by a different model */
    DOPPEL_ERR_NOT_FOUND,      /* file, id or model not found */
    DOPPEL_ERR_FORMAT,         /* malformed data line (JSON, TSV) */
    DOPPEL_ERR_THREAD,         /* thread creation failed */
    DOPPEL_ERR_INTERRUPTED,    /* stopped by a signal / cancel request */
    DOPPEL_ERR_COUNT_          /* not an error: number of codes */
};

/* A human-readable sentence for an error code; never NULL. */
DOPPEL_API const char *doppel_strerror(int code);

/* Library version string, e.g. "0.1.0". */
DOPPEL_API const char *doppel_version(void);

/*
 * Where an error happened. Functions that read files or data take an optional
 * doppel_diag *; on failure they fill it (on success it is left untouched).
 * Fields that do not apply are UINT64_MAX.
 */
typedef struct doppel_diag {
    int code;
    uint64_t byte;      /* byte offset into the input */
    uint64_t line;      /* 1-based line number */
    int sys_errno;      /* errno for DOPPEL_ERR_IO, else 0 */
    char message[256];  /* detail, without the file name */
} doppel_diag;

/* ===== text ============================================================= */

/* ===== encoder and model ================================================ */

/* ===== index and sweep ================================================== */

#ifdef __cplusplus
}
#endif
#endif /* DOPPEL_H */
