/* Error codes, their messages, and the diag helpers every stage uses. */
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doppel_config.h"

static const char *const messages[DOPPEL_ERR_COUNT_] = {
    [DOPPEL_OK] = "success",
    [DOPPEL_ERR_INVALID] = "invalid argument",
    [DOPPEL_ERR_NOMEM] = "out of memory",
    [DOPPEL_ERR_IO] = "input/output error",
    [DOPPEL_ERR_ENCODING] = "text could not be decoded",
    [DOPPEL_ERR_EMPTY] = "input is empty",
    [DOPPEL_ERR_BINARY] = "input looks like a binary file",
    [DOPPEL_ERR_TOO_LARGE] = "input is larger than the size limit",
    [DOPPEL_ERR_REGEX] = "regular expression error",
    [DOPPEL_ERR_MODEL_MAGIC] = "not a doppel file (wrong magic number)",
    [DOPPEL_ERR_MODEL_VERSION] = "unsupported file format version",
    [DOPPEL_ERR_MODEL_CHECKSUM] = "checksum mismatch: the file is corrupt",
    [DOPPEL_ERR_TRUNCATED] = "file is truncated",
    [DOPPEL_ERR_CORRUPT] = "file is corrupt (inconsistent sizes or values)",
    [DOPPEL_ERR_MODEL_MISMATCH] = "index was built with a different model",
    [DOPPEL_ERR_NOT_FOUND] = "not found",
    [DOPPEL_ERR_FORMAT] = "malformed input data",
    [DOPPEL_ERR_THREAD] = "could not start a thread",
    [DOPPEL_ERR_INTERRUPTED] = "interrupted",
};

const char *doppel_strerror(int code)
{
    if (code < 0 || code >= DOPPEL_ERR_COUNT_ || !messages[code])
        return "unknown error code";
    return messages[code];
}

const char *doppel_version(void) { return DOPPEL_VERSION; }

unsigned doppel_version_number(void) { return DOPPEL_VERSION_NUMBER; }

void dp_diag_clear(doppel_diag *d)
{
    if (!d)
        return;
    d->code = DOPPEL_OK;
    d->byte = UINT64_MAX;
    d->line = UINT64_MAX;
    d->sys_errno = 0;
    d->message[0] = '\0';
    memset(d->reserved_, 0, sizeof d->reserved_);
}

int dp_diag_set(doppel_diag *d, int code, uint64_t byte, uint64_t line, const char *fmt, ...)
{
    if (!d)
        return code;
    d->code = code;
    d->byte = byte;
    d->line = line;
    d->sys_errno = 0;
    memset(d->reserved_, 0, sizeof d->reserved_);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->message, sizeof d->message, fmt, ap);
        va_end(ap);
    } else {
        snprintf(d->message, sizeof d->message, "%s", doppel_strerror(code));
    }
    return code;
}

int dp_diag_errno(doppel_diag *d, int err, const char *what)
{
    if (!d)
        return DOPPEL_ERR_IO;
    dp_diag_set(d, DOPPEL_ERR_IO, UINT64_MAX, UINT64_MAX, "%s: %s", what, strerror(err));
    d->sys_errno = err;
    return DOPPEL_ERR_IO;
}
