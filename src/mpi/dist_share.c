/* How a corpus is split across the ranks: arithmetic only, linked with or without MPI. */
#include "mpi/dist.h"

void dp_dist_share(const dp_dist *d, const uint64_t *n, size_t k, uint64_t (*part)[2], int *at_end0)
{
    uint64_t all = 0, from = 0;
    for (size_t s = 0; s < k; s++)
        all += n[s];
    uint64_t lo = all * (uint64_t)d->rank / (uint64_t)d->size, hi = all * (uint64_t)(d->rank + 1) / (uint64_t)d->size;
    for (size_t s = 0; s < k; from += n[s++]) {
        part[s][0] = lo < from ? 0 : lo - from < n[s] ? lo - from : n[s];
        part[s][1] = hi < from ? 0 : hi - from < n[s] ? hi - from : n[s];
    }
    *at_end0 = (lo <= n[0] && n[0] < hi) || (n[0] == all && d->rank == d->size - 1);
}
