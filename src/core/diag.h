/* Filling a caller's doppel_diag: every function that can fail on input says where. */
#ifndef DP_CORE_DIAG_H
#define DP_CORE_DIAG_H

#include <stdint.h>

#include "doppel.h"

#define DP_NO_POS UINT64_MAX

/* Resets all fields (positions to DP_NO_POS). d may be NULL. */
void dp_diag_clear(doppel_diag *d);

/* Records code, position and a printf-style message; returns code so callers can
 * write `return dp_diag_set(...)`. fmt NULL uses doppel_strerror(code). d may be NULL. */
int dp_diag_set(doppel_diag *d, int code, uint64_t byte, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Records an I/O failure: message "WHAT: strerror(err)"; returns DOPPEL_ERR_IO. */
int dp_diag_errno(doppel_diag *d, int err, const char *what);

#endif
