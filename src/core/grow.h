/* Grow-only arrays: the one helper every stage uses to make room. */
#ifndef DP_CORE_GROW_H
#define DP_CORE_GROW_H

#include <stddef.h>
#include <stdint.h>

/* Makes *p (capacity *cap elements of el bytes) hold at least n elements, at least
 * doubling when it grows. DOPPEL_OK, or DOPPEL_ERR_NOMEM (also when the size overflows);
 * *p and *cap are unchanged on failure. */
int dp_grow(void **p, size_t *cap, size_t n, size_t el);

/* dp_grow with a first capacity (an array known to grow past a few elements starts at
 * `first` rather than doubling up from 1) and a ceiling: never more than `most` elements
 * (n <= most; a buffer read up to a limit does not double past it). dp_grow is
 * dp_grow_in(p, cap, n, el, 1, SIZE_MAX). */
int dp_grow_in(void **p, size_t *cap, size_t n, size_t el, size_t first, size_t most);

/* The typed form: room for n elements in the array `arr` (a pointer lvalue) whose capacity
 * is the size_t lvalue `cap`, a new array starting at `first` elements. */
#define DP_GROW(arr, cap, n, first) dp_grow_in((void **)&(arr), &(cap), (n), sizeof *(arr), (first), SIZE_MAX)

#endif
