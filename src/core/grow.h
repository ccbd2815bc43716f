/* Grow-only arrays: the one helper every stage uses to make room. */
#ifndef DP_CORE_GROW_H
#define DP_CORE_GROW_H

#include <stddef.h>

/* Makes *p (capacity *cap elements of el bytes) hold at least n elements, at least
 * doubling when it grows. DOPPEL_OK, or DOPPEL_ERR_NOMEM (also when the size overflows);
 * *p and *cap are unchanged on failure. */
int dp_grow(void **p, size_t *cap, size_t n, size_t el);

#endif
