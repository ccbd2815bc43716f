#ifndef DP_CORE_SORTED_H
#define DP_CORE_SORTED_H
/* Searching an ascending array of 64-bit keys (fingerprint hashes). */
#include <stddef.h>
#include <stdint.h>

/* The first position in keys[0, n) whose key is not below key (n if none). */
static inline size_t dp_lower_bound_u64(const uint64_t *keys, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#endif
