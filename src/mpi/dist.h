/*
 * The processes of one job started by mpirun: which one this is, and the few collective
 * steps the distributed commands share. The layer is linked into the program only (never
 * into libdoppel, whose ABI must not depend on whether MPI was found); built without MPI,
 * dp_dist_start fails and says so (dist_none.c), and nothing else of it is reached.
 *
 * Every collective step is entered by every process, also by one that failed: it brings
 * its failure to dp_dist_agree, so the others stop at the same step instead of waiting
 * forever, and the job ends non-zero with the failing rank named. A process killed
 * outright cannot agree: mpirun then ends the whole job and names it.
 */
#ifndef DP_MPI_DIST_H
#define DP_MPI_DIST_H

#include <stddef.h>
#include <stdint.h>

typedef struct dp_dist {
    int rank, size;
} dp_dist;

/* Joins the job (MPI_Init). Non-zero, with a message on stderr, when the program was
 * built without MPI or MPI cannot start. */
int dp_dist_start(dp_dist *d);
/* Leaves the job (MPI_Finalize). */
void dp_dist_end(dp_dist *d);

/* A failure inside a collective step, where the others cannot be told to stop with
 * dp_dist_agree (out of memory while exchanging): says which rank and why on stderr and
 * ends the whole job (MPI_Abort, exit status 3). */
_Noreturn void dp_dist_fail(const dp_dist *d, const char *what);

/* Every process's status of the step just done: -1 when all succeeded, else the lowest
 * rank that failed. */
int dp_dist_agree(const dp_dist *d, int failed);

/* dp_dist_agree on a step's outcome, said on stderr: the failing rank says it failed
 * (its own message is above) and rank 0 names it, each ending with outcome ("no report
 * is written"). 1 when every rank succeeded. */
int dp_dist_all_ok(const dp_dist *d, int failed, const char *outcome);

/*
 * This rank's share of k sections of units laid end to end (an index's documents, then
 * files or --jsonl lines, then references): units [all·rank/size, all·(rank+1)/size) of
 * them all, cut into each section's part [part[s][0], part[s][1]) (numbered within the
 * section). The ranks hold contiguous ranges in rank order, so their documents keep the
 * numbers one process gives them. *at_end0: this rank holds position n[0] (the last rank
 * when nothing follows section 0), the one rank that takes what comes after section 0's
 * last unit (an index shard's skipped entries: sweep/shards.h).
 */
void dp_dist_share(const dp_dist *d, const uint64_t *n, size_t k, uint64_t (*part)[2], int *at_end0);
/*
 * dp_dist_share where section `pin` is held already, in rank order: rank r holds held[r]
 * of its units (held: [size]; the lines of a --list in r's byte range), and its range
 * keeps them whole. Each boundary all·r/size moves to the nearest edge of the held units
 * it would cut, so the other sections' units are split as evenly as that allows (those
 * before the held section go to the ranks up to the first that holds some, those after
 * it from the last that holds some on). The ranks still hold contiguous ranges of one
 * process's numbers, in rank order.
 */
void dp_dist_share_held(const dp_dist *d, const uint64_t *n, size_t k, size_t pin, const uint64_t *held,
                        uint64_t (*part)[2], int *at_end0);

/* Each process's count: the sum over lower ranks (*before) and over all (*total). */
void dp_dist_scan(const dp_dist *d, uint64_t mine, uint64_t *before, uint64_t *total);

/* A growing byte buffer, what the processes send each other. Out of memory ends the
 * job (dp_dist_fail). */
typedef struct dp_bytes {
    uint8_t *p;
    size_t n, cap;
} dp_bytes;
void dp_bytes_put(const dp_dist *d, dp_bytes *b, const void *v, size_t len);
/* Reading one back: each get fails the job when the message is shorter than asked. */
typedef struct dp_bytes_reader {
    const uint8_t *p, *end;
} dp_bytes_reader;
void dp_bytes_get(const dp_dist *d, dp_bytes_reader *r, void *v, size_t len);
/* A string as [u32 length][bytes], read back malloc'd and NUL-ended. */
void dp_bytes_put_str(const dp_dist *d, dp_bytes *b, const char *s);
char *dp_bytes_get_str(const dp_dist *d, dp_bytes_reader *r);
/* n elements of el bytes each, malloc'd. */
void *dp_bytes_get_array(const dp_dist *d, dp_bytes_reader *r, size_t n, size_t el);

/* Every process's bytes, concatenated in rank order on rank 0 (*all malloc'd there;
 * NULL and 0 on the others). */
void dp_dist_gather(const dp_dist *d, const void *buf, size_t len, uint8_t **all, size_t *all_len);

/* Every process's bytes, concatenated in rank order on every process (*all malloc'd),
 * from[r] bytes of them from rank r (from: [size]). */
void dp_dist_allgather(const dp_dist *d, const void *buf, size_t len, uint8_t **all, size_t *from);

/* All to all: send[r] goes to rank r; *recv (malloc'd) holds what every rank sent this
 * one, in rank order, from[r] bytes of it from rank r (from: [size]). */
void dp_dist_exchange(const dp_dist *d, const dp_bytes *send, uint8_t **recv, size_t *from);

/*
 * Keys met more than once in the job (ids read by several ranks): this rank's n entries,
 * keys[i] seen at where[i], order[i] its place in the job's order (no two entries of a key
 * share one). Each entry goes to the rank owning its key's hash, which keeps the first of
 * each key in that order; first[i] (first: [n]) is NULL for an entry first of its key,
 * else where the first was seen (malloc'd).
 */
void dp_dist_repeats(const dp_dist *d, const char *const *keys, const char *const *where, const uint64_t *order,
                     size_t n, char **first);

/* The largest of every process's value, on every process. */
double dp_dist_max(const dp_dist *d, double v);

#endif
