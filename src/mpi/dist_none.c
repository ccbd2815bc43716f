/* The distributed layer of a program built without MPI: --mpi says so and stops. */
#include <stdio.h>
#include <stdlib.h>

#include "mpi/dist_sentences.h"
#include "mpi/dist_sweep.h"

int dp_dist_start(dp_dist *d)
{
    d->rank = 0, d->size = 1;
    fputs("doppel: --mpi: this doppel was built without MPI (meson setup -Dmpi=enabled, with libopenmpi-dev "
          "installed, builds it with)\n",
          stderr);
    return -1;
}

void dp_dist_end(dp_dist *d) { (void)d; }

/* Reached only after dp_dist_start succeeded, which it never does here: present so the
 * program links the same calls either way. */
int dp_dist_agree(const dp_dist *d, int failed) { return failed ? d->rank : -1; }
int dp_dist_all_ok(const dp_dist *d, int failed, const char *outcome)
{
    (void)d, (void)outcome;
    return !failed;
}
void dp_dist_exchange(const dp_dist *d, const dp_bytes *send, uint8_t **recv, size_t *from)
{
    (void)d, (void)send, (void)from;
    *recv = NULL;
}
void dp_dist_scan(const dp_dist *d, uint64_t mine, uint64_t *before, uint64_t *total)
{
    (void)d;
    *before = 0, *total = mine;
}
void dp_dist_gather(const dp_dist *d, const void *buf, size_t len, uint8_t **all, size_t *all_len)
{
    (void)d, (void)buf, (void)len;
    *all = NULL, *all_len = 0;
}
int dp_dist_sweep_run(const dp_dist *d, dp_sweep *s, dp_sweep_pair_fn on_pair, void *ctx, dp_sweep_stats *stats,
                      dp_dist_times *times)
{
    (void)d, (void)s, (void)on_pair, (void)ctx, (void)stats, (void)times;
    return DOPPEL_ERR_INVALID;
}
void dp_dist_fail(const dp_dist *d, const char *what)
{
    (void)d, (void)what;
    abort();
}
void dp_dist_allgather(const dp_dist *d, const void *buf, size_t len, uint8_t **all, size_t *from)
{
    (void)d, (void)buf, (void)len, (void)from;
    *all = NULL;
}
double dp_dist_max(const dp_dist *d, double v)
{
    (void)d;
    return v;
}
int dp_dist_share_sentences(const dp_dist *d, dp_sweep *s, size_t *mark, size_t *own, int done)
{
    (void)d, (void)s, (void)mark, (void)own;
    return done;
}
