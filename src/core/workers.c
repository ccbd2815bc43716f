#include "core/workers.h"

#include <pthread.h>
#include <stdbool.h>

void dp_workers_run(void *jobs, size_t size, size_t n, void *(*fn)(void *))
{
    pthread_t tid[DP_WORKERS_MAX];
    bool started[DP_WORKERS_MAX] = {false};
    char *job = jobs;
    if (n > DP_WORKERS_MAX)
        n = DP_WORKERS_MAX;
    for (size_t w = 1; w < n; w++)
        started[w] = pthread_create(&tid[w], NULL, fn, job + w * size) == 0;
    if (n)
        fn(job);
    for (size_t w = 1; w < n; w++) {
        if (started[w])
            pthread_join(tid[w], NULL);
        else
            fn(job + w * size);
    }
}
