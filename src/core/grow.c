#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>

#include "doppel.h"

int dp_grow_in(void **p, size_t *cap, size_t n, size_t el, size_t first, size_t most)
{
    if (n <= *cap && *p)
        return DOPPEL_OK;
    size_t want = *cap ? (*cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * *cap) : first;
    if (want < n)
        want = n;
    if (want > most)
        want = most > n ? most : n;
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

int dp_grow(void **p, size_t *cap, size_t n, size_t el) { return dp_grow_in(p, cap, n, el, 1, SIZE_MAX); }
