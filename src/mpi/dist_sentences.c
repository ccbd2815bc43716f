#include "mpi/dist_sentences.h"

#include <stdint.h>
#include <stdlib.h>

#include "sweep/sentcache.h"

int dp_dist_share_sentences(const dp_dist *d, dp_sweep *s, size_t *mark, size_t *own, int done)
{
    dp_sentcache *c = dp_sweep_sentcache(s);
    size_t dim = dp_sweep_dim(s), n = c ? dp_sentcache_count(c) : 0, *from;
    /* [u8 done] then per entry [key][f32 scale][int8 q x dim] */
    dp_bytes b = {0};
    uint8_t flag = (uint8_t)(done != 0), *all;
    int8_t *q = malloc(dim ? dim : 1);
    if (!q || !(from = malloc((size_t)d->size * sizeof *from)))
        dp_dist_fail(d, "out of memory");
    dp_bytes_put(d, &b, &flag, 1);
    *own += n - *mark;
    for (size_t i = *mark; i < n; i++) {
        dp_sentkey key;
        float scale;
        dp_sentcache_entry(c, i, &key, q, &scale);
        dp_bytes_put(d, &b, &key, sizeof key);
        dp_bytes_put(d, &b, &scale, sizeof scale);
        dp_bytes_put(d, &b, q, dim);
    }
    dp_dist_allgather(d, b.p, b.n, &all, from);
    free(b.p);
    int all_done = 1;
    size_t off = 0;
    for (int r = 0; r < d->size; off += from[r++]) {
        dp_bytes_reader rd = {all + off, all + off + from[r]};
        dp_bytes_get(d, &rd, &flag, 1);
        all_done &= flag;
        while (r != d->rank && rd.p < rd.end) {
            dp_sentkey key;
            float scale;
            dp_bytes_get(d, &rd, &key, sizeof key);
            dp_bytes_get(d, &rd, &scale, sizeof scale);
            dp_bytes_get(d, &rd, q, dim);
            if (c && dp_sentcache_put(c, key, q, scale))
                dp_dist_fail(d, "out of memory");
        }
    }
    *mark = c ? dp_sentcache_count(c) : 0;
    free(all), free(from), free(q);
    return all_done;
}
