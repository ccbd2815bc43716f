/*
 * fn on n jobs at once, one thread each: job 0 on the calling thread, the others on
 * pthreads; a job whose thread cannot start runs on the calling thread after job 0, so
 * every job runs whatever the system allows. Returns when all are done. Jobs are
 * jobs[0 .. n) of `size` bytes each; n <= DP_WORKERS_MAX.
 */
#ifndef DP_CORE_WORKERS_H
#define DP_CORE_WORKERS_H

#include <stddef.h>

#define DP_WORKERS_MAX 64

void dp_workers_run(void *jobs, size_t size, size_t n, void *(*fn)(void *));

#endif
