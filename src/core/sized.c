#include "core/sized.h"

#include <stdio.h>
#include <string.h>

#include "core/diag.h"

int dp_sized_check(size_t size, size_t min_size, const char *arg, const char *hint, doppel_diag *diag)
{
    return size < min_size ? dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s->size is %zu: %s", arg,
                                         size, hint)
                           : DOPPEL_OK;
}

int dp_sized_read(void *full, size_t full_size, const void *given, size_t given_size, size_t min_size,
                  const char *init, doppel_diag *diag)
{
    char hint[96];
    snprintf(hint, sizeof hint, "start from %s()", init);
    int rc = dp_sized_check(given_size, min_size, "opts", hint, diag);
    if (rc)
        return rc;
    const unsigned char *extra = (const unsigned char *)given + full_size;
    for (size_t i = 0; given_size > full_size && i < given_size - full_size; i++)
        if (extra[i])
            return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                               "opts byte %zu is set, past the %zu bytes of options this library (%s) knows",
                               full_size + i, full_size, doppel_version());
    memcpy(full, given, given_size < full_size ? given_size : full_size);
    memcpy(full, &full_size, sizeof full_size);
    return DOPPEL_OK;
}

void dp_sized_init(void *dst, size_t dst_size, const void *defaults, size_t full_size)
{
    memcpy(dst, defaults, dst_size < full_size ? dst_size : full_size);
    if (dst_size > full_size)
        memset((unsigned char *)dst + full_size, 0, dst_size - full_size);
    if (dst_size >= sizeof dst_size)
        memcpy(dst, &dst_size, sizeof dst_size);
}
