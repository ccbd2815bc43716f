/* The byte buffers the processes send each other: no MPI here, so the program links
 * them with or without it. */
#include <stdlib.h>
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

void dp_bytes_put_str(const dp_dist *d, dp_bytes *b, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    dp_bytes_put(d, b, &n, sizeof n);
    dp_bytes_put(d, b, s, n);
}

void *dp_bytes_get_array(const dp_dist *d, dp_bytes_reader *r, size_t n, size_t el)
{
    if (n > (size_t)(r->end - r->p) / (el ? el : 1))
        dp_dist_fail(d, "a message from another rank is shorter than it says");
    void *v = malloc(n * el > 0 ? n * el : 1);
    if (!v)
        dp_dist_fail(d, "out of memory");
    dp_bytes_get(d, r, v, n * el);
    return v;
}

char *dp_bytes_get_str(const dp_dist *d, dp_bytes_reader *r)
{
    uint32_t n;
    dp_bytes_get(d, r, &n, sizeof n);
    if ((size_t)(r->end - r->p) < n)
        dp_dist_fail(d, "a message from another rank is shorter than it says");
    char *s = strndup((const char *)r->p, n);
    if (!s)
        dp_dist_fail(d, "out of memory");
    r->p += n;
    return s;
}
