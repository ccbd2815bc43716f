/* The job's processes over MPI (MPI_COMM_WORLD). */
#include "mpi/dist.h"

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "doppel.h"

int dp_dist_start(dp_dist *d)
{
    int provided;
    /* one thread calls MPI; the aligning workers never do */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fputs("doppel: --mpi: MPI could not start\n", stderr);
        return -1;
    }
    /* errors come back as codes (each is agreed on), not as an abort inside MPI */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &d->size);
    return 0;
}

void dp_dist_end(dp_dist *d)
{
    (void)d;
    MPI_Finalize();
}

int dp_dist_agree(const dp_dist *d, int failed)
{
    int mine = failed ? d->rank : INT_MAX, lowest = INT_MAX;
    if (MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allreduce failed");
    return lowest == INT_MAX ? -1 : lowest;
}

int dp_dist_all_ok(const dp_dist *d, int failed, const char *outcome)
{
    int who = dp_dist_agree(d, failed);
    if (who < 0)
        return 1;
    if (d->rank == who)
        fprintf(stderr, "doppel: rank %d of %d failed (above): the job stops, %s\n", who, d->size, outcome);
    else if (d->rank == 0)
        fprintf(stderr, "doppel: rank %d of %d failed: the job stops, %s\n", who, d->size, outcome);
    return 0;
}

void dp_dist_scan(const dp_dist *d, uint64_t mine, uint64_t *before, uint64_t *total)
{
    uint64_t *all = malloc((size_t)d->size * sizeof *all);
    if (!all)
        dp_dist_fail(d, "out of memory");
    int rc = MPI_Allgather(&mine, 1, MPI_UINT64_T, all, 1, MPI_UINT64_T, MPI_COMM_WORLD);
    *before = *total = 0;
    for (int r = 0; r < d->size; r++) {
        *before += r < d->rank ? all[r] : 0;
        *total += all[r];
    }
    free(all);
    if (rc != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allgather failed");
}

void dp_dist_fail(const dp_dist *d, const char *what)
{
    fprintf(stderr, "doppel: rank %d of %d: %s; the job stops, no report is written\n", d->rank, d->size, what);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 3); /* EXIT_RUNTIME */
    abort();                      /* not reached */
}

void dp_dist_gather(const dp_dist *d, const void *buf, size_t len, uint8_t **all, size_t *all_len)
{
    *all = NULL, *all_len = 0;
    if (len > INT_MAX)
        dp_dist_fail(d, "more than 2 GiB of results to send at once");
    int n = (int)len, *counts = NULL, *displs = NULL;
    if (d->rank == 0 && (!(counts = malloc((size_t)d->size * sizeof *counts)) ||
                         !(displs = malloc((size_t)d->size * sizeof *displs))))
        dp_dist_fail(d, "out of memory");
    if (MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Gather failed");
    size_t sum = 0;
    if (d->rank == 0) {
        for (int r = 0; r < d->size; r++)
            displs[r] = (int)sum, sum += (size_t)counts[r];
        if (sum > INT_MAX)
            dp_dist_fail(d, "more than 2 GiB of results to receive at once");
        if (!(*all = malloc(sum ? sum : 1)))
            dp_dist_fail(d, "out of memory");
    }
    if (MPI_Gatherv(buf, n, MPI_BYTE, *all, counts, displs, MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Gatherv failed");
    free(counts), free(displs);
    *all_len = sum;
}

void dp_dist_allgather(const dp_dist *d, const void *buf, size_t len, uint8_t **all, size_t *from)
{
    if (len > INT_MAX)
        dp_dist_fail(d, "more than 2 GiB to send at once");
    size_t n = (size_t)d->size, sum = 0;
    int mine = (int)len, *counts = malloc(2 * n * sizeof *counts), *displs = counts ? counts + n : NULL;
    if (!counts)
        dp_dist_fail(d, "out of memory");
    if (MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allgather failed");
    for (size_t r = 0; r < n; r++) {
        displs[r] = (int)sum, sum += (size_t)counts[r], from[r] = (size_t)counts[r];
        if (sum > INT_MAX)
            dp_dist_fail(d, "more than 2 GiB to receive at once");
    }
    if (!(*all = malloc(sum ? sum : 1)))
        dp_dist_fail(d, "out of memory");
    if (MPI_Allgatherv(buf, mine, MPI_BYTE, *all, counts, displs, MPI_BYTE, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allgatherv failed");
    free(counts);
}

void dp_dist_exchange(const dp_dist *d, const dp_bytes *send, uint8_t **recv, size_t *from)
{
    size_t n = (size_t)d->size;
    int *sc = calloc(4 * n, sizeof *sc), *rc, *sd, *rd;
    if (!sc)
        dp_dist_fail(d, "out of memory");
    rc = sc + n, sd = rc + n, rd = sd + n;
    size_t sent = 0, got = 0;
    for (size_t r = 0; r < n; r++) {
        if (send[r].n > INT_MAX || sent + send[r].n > INT_MAX)
            dp_dist_fail(d, "more than 2 GiB to send in one exchange");
        sc[r] = (int)send[r].n, sd[r] = (int)sent, sent += send[r].n;
    }
    if (MPI_Alltoall(sc, 1, MPI_INT, rc, 1, MPI_INT, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Alltoall failed");
    for (size_t r = 0; r < n; r++) {
        rd[r] = (int)got, got += (size_t)rc[r], from[r] = (size_t)rc[r];
        if (got > INT_MAX)
            dp_dist_fail(d, "more than 2 GiB to receive in one exchange");
    }
    uint8_t *sbuf = malloc(sent ? sent : 1);
    *recv = malloc(got ? got : 1);
    if (!sbuf || !*recv)
        dp_dist_fail(d, "out of memory");
    for (size_t r = 0; r < n; r++)
        if (send[r].n)
            memcpy(sbuf + sd[r], send[r].p, send[r].n);
    if (MPI_Alltoallv(sbuf, sc, sd, MPI_BYTE, *recv, rc, rd, MPI_BYTE, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Alltoallv failed");
    free(sbuf), free(sc);
}

double dp_dist_max(const dp_dist *d, double v)
{
    double m = v;
    if (MPI_Allreduce(&v, &m, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS)
        dp_dist_fail(d, "MPI_Allreduce failed");
    return m;
}
