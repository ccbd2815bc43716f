#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>

#include "doppel.h"

int dp_grow(void **p, size_t *cap, size_t n, size_t el)
{
    if (n <= *cap && *p)
        return DOPPEL_OK;
    size_t want = n > 2 * *cap ? n : 2 * *cap;
    if (want == 0)
        want = 1;
    if (el && want > SIZE_MAX / el)
        return DOPPEL_ERR_NOMEM;
    void *q = realloc(*p, want * el);
    if (!q)
        return DOPPEL_ERR_NOMEM;
    *p = q;
    *cap = want;
    return DOPPEL_OK;
}
