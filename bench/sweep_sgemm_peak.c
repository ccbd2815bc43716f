/*
 * OpenBLAS sgemm speed on the shapes of the sweep's all-pairs stage (sweep/allpairs.c):
 * an n x d matrix of unit rows multiplied with itself in block x block tiles, every
 * tile S = X_i . X_j^T, nothing else. bench/sweep_bench.sh runs it next to the sweep
 * to put the stage's GFLOP/s beside the GEMM's own.
 *
 *   sweep_sgemm_peak N D [BLOCK [THREADS]]   -> "sgemm n=N d=D block=B threads=T: S s, G GFLOP/s"
 *
 * THREADS (default 1) is OpenBLAS's thread count: the sweep runs BLAS on one thread.
 */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/rng.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s N D [BLOCK [THREADS]]\n", argv[0]);
        return 2;
    }
    size_t n = strtoul(argv[1], NULL, 10), d = strtoul(argv[2], NULL, 10);
    size_t bs = argc > 3 ? strtoul(argv[3], NULL, 10) : 1024;
    int threads = argc > 4 ? atoi(argv[4]) : 1;
    if (n == 0 || d == 0 || bs == 0 || threads < 1)
        return 2;
    openblas_set_num_threads(threads);
    float *X = malloc(n * d * sizeof *X), *S = malloc(bs * bs * sizeof *S); /* X [n][d], S [bs][bs] */
    if (!X || !S)
        return 3;
    dp_rng rng;
    dp_rng_seed(&rng, 7);
    for (size_t i = 0; i < n; i++) {
        double norm = 0;
        for (size_t k = 0; k < d; k++) {
            X[i * d + k] = (float)((double)dp_rng_below(&rng, 1u << 20) / (1u << 20) - 0.5);
            norm += (double)X[i * d + k] * X[i * d + k];
        }
        for (size_t k = 0; k < d; k++)
            X[i * d + k] = (float)(X[i * d + k] / sqrt(norm));
    }
    double t0 = now(), check = 0;
    for (size_t i0 = 0; i0 < n; i0 += bs)
        for (size_t j0 = 0; j0 < n; j0 += bs) {
            size_t mi = n - i0 < bs ? n - i0 : bs, nj = n - j0 < bs ? n - j0 : bs;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)mi, (int)nj, (int)d, 1.0f, X + i0 * d, (int)d,
                        X + j0 * d, (int)d, 0.0f, S, (int)nj);
            check += S[0]; /* keeps the product observable */
        }
    double t = now() - t0, flops = 2.0 * (double)n * (double)n * (double)d;
    printf("sgemm n=%zu d=%zu block=%zu threads=%d: %.3f s, %.2f GFLOP/s (check %.3f)\n", n, d, bs, threads, t,
           flops / t * 1e-9, check);
    free(X), free(S);
    return 0;
}
