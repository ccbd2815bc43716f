/*
 * The sweep of a corpus split across the processes of an MPI job, with the result of
 * one process's dp_sweep_run (docs/SCALE.md says why it scales and where it stops).
 *
 * Each process has read, decoded, tokenized, fingerprinted and encoded only its own
 * share of the corpus into its own dp_sweep: a contiguous range of the document numbers
 * one process would give, ranges in rank order (the command splits the corpus so). Then:
 *  1. fingerprint counts: each document's distinct fingerprint hashes go to the rank
 *     owning their hash range (MPI_Alltoallv); that rank counts the documents holding each
 *     hash over the whole corpus and answers with the counts, so boilerplate (--max-docs)
 *     is global; past the all-pairs limit it also pairs the documents sharing each
 *     evidence hash (the fingerprint candidates);
 *  2. near pairs (past the all-pairs limit, with a model): the document-vector product
 *     in blocks, each rank's rows against every rank's columns, the column blocks passed
 *     round a ring (MPI_Sendrecv) so no rank ever holds more than its rows and one other
 *     block; each row's top-k merged across blocks;
 *  3. every candidate pair goes to the one rank that aligns it (the owner of one of its
 *     documents, alternating), which fetches the state of the other document (words,
 *     sentences, sentence vectors and their fingerprint counts) from its owner;
 *  4. each rank aligns its pairs (with its threads) and sends the reported ones to
 *     rank 0, which hands them on in the order of one process's run;
 *  5. each rank sends its boilerplate fingerprints (with the ids and sentences of the
 *     documents holding them) to rank 0, which groups them into common passages.
 */
#ifndef DP_MPI_DIST_SWEEP_H
#define DP_MPI_DIST_SWEEP_H

#include "mpi/dist.h"
#include "sweep/sweep.h"

/* Wall seconds of each step, the largest over the ranks, and the bytes sent (all ranks).
 * wait: a rank's wait for the others to end their alignment (the shares' imbalance);
 * merge: from there to the report's last line (rank 0's serial work, the others waiting
 * on it). */
typedef struct dp_dist_times {
    double counts, gemm, route, fetch, align, wait, merge;
    double bytes_sent;
} dp_dist_times;

/*
 * Runs the sweep. s holds this rank's documents, numbered first.. in the whole corpus
 * (dp_dist_scan of the counts). On rank 0, on_pair receives every reported pair with
 * whole-corpus numbers in dp_sweep_run's order and *stats is the whole job's; elsewhere
 * on_pair is never called. Documents fetched from other ranks are added to s. A
 * failure of any rank ends the job (dp_dist_fail); a non-zero return is on_pair's.
 */
int dp_dist_sweep_run(const dp_dist *d, dp_sweep *s, dp_sweep_pair_fn on_pair, void *ctx, dp_sweep_stats *stats,
                      dp_dist_times *times);

#endif
