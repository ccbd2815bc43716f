/* How a corpus is split across the ranks: arithmetic only, linked with or without MPI. */
#include "mpi/dist.h"

/* Where rank r's range starts: all·r/size, moved to the edge of the held units it would
 * cut (rank r's held units start at c; those of lower ranks end there). */
static uint64_t boundary(const dp_dist *d, uint64_t all, uint64_t from_pin, const uint64_t *held, int r)
{
    uint64_t t = all * (uint64_t)r / (uint64_t)d->size, c = from_pin;
    if (!held)
        return t;
    int below = 0, above = 0;
    for (int j = 0; j < d->size; j++) {
        if (j < r)
            c += held[j], below |= held[j] > 0;
        else
            above |= held[j] > 0;
    }
    if (below && t < c)
        t = c;
    if (above && t > c)
        t = c;
    return t;
}

void dp_dist_share_held(const dp_dist *d, const uint64_t *n, size_t k, size_t pin, const uint64_t *held,
                        uint64_t (*part)[2], int *at_end0)
{
    uint64_t all = 0, from = 0, from_pin = 0;
    for (size_t s = 0; s < k; s++)
        from_pin += s < pin ? n[s] : 0, all += n[s];
    uint64_t lo = boundary(d, all, from_pin, held, d->rank), hi = boundary(d, all, from_pin, held, d->rank + 1);
    for (size_t s = 0; s < k; from += n[s++]) {
        part[s][0] = lo < from ? 0 : lo - from < n[s] ? lo - from : n[s];
        part[s][1] = hi < from ? 0 : hi - from < n[s] ? hi - from : n[s];
    }
    *at_end0 = (lo <= n[0] && n[0] < hi) || (n[0] == all && d->rank == d->size - 1);
}

void dp_dist_share(const dp_dist *d, const uint64_t *n, size_t k, uint64_t (*part)[2], int *at_end0)
{
    dp_dist_share_held(d, n, k, 0, NULL, part, at_end0);
}
