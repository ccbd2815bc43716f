/* The byte buffers the processes send each other: no MPI here, so the program links
 * them with or without it. */
#include <string.h>

#include "core/grow.h"
#include "mpi/dist.h"

void dp_bytes_put(const dp_dist *d, dp_bytes *b, const void *v, size_t len)
{
    if (dp_grow((void **)&b->p, &b->cap, b->n + len, 1))
        dp_dist_fail(d, "out of memory");
    if (len)
        memcpy(b->p + b->n, v, len);
    b->n += len;
}

void dp_bytes_get(const dp_dist *d, dp_bytes_reader *r, void *v, size_t len)
{
    if ((size_t)(r->end - r->p) < len)
        dp_dist_fail(d, "a message from another rank is shorter than it says");
    if (len)
        memcpy(v, r->p, len);
    r->p += len;
}
