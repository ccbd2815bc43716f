/*
 * Encoding speed of the network (ids in, unit vectors out), with OpenBLAS's sgemm on the
 * very same products as the ceiling, measured in the same run.
 *
 *   build/bench/encode_bench [--reps N] [--tokens N] [--dump DIR] [--int8] [--cpu-time] [--precision auto|fp32|int8]
 *                            [--only THREADS/BATCH/LEN]
 *
 * Model: seeded random weights, default size (embed 128, hidden 128, out 256, mean+max,
 * 1 layer, 2^17 buckets). For each batch size (1, 16, 64), sentence length (~10, 25, 50
 * tokens: uniform in 0.8L..1.2L, each token a bag of 4..17 random bucket ids) and thread
 * count (1, 2), a fixed workload of batches (about --tokens tokens, default 16384) is
 * encoded --reps times (default 7); one row per configuration with medians:
 *   tok/s, sent/s          dp_net_infer over the workload; threads are workers taking
 *                          whole batches, one workspace each (as the encoder runs)
 *   net_gflops             the network's GEMM flops / that time (the whole pass is timed)
 *   gemm_gflops            the fixed-order GEMM (model/gemm.h) alone on the same products
 *   sgemm_gflops           cblas_sgemm (one BLAS thread per worker) on the same products
 *   pct_ceiling            net_gflops / sgemm_gflops
 * The products of a batch of T tokens, S sequences: per direction x·W_ih^T [T][E]x[E][3H],
 * one h·W_hh^T [np][H]x[H][3H] per step (np = sequences carrying a state, T - S rows in
 * all), and the projection [S][P]x[P][O].
 *
 * --int8 runs the model as an encoder holds an int8 file: its table quantized and kept
 * int8 in memory (model/modelfile.h, DP_MODEL_KEEP_INT8), gathered row by row.
 *
 * --precision int8 multiplies the GRU's products in int8 (model/gemm_q8.h); fp32 is the
 * reference path; auto (the default, as in the encoder) is what this CPU resolves it to
 * (model/net.h), said on stderr. With int8 the gemm_gflops column times the int8 kernel
 * (its flops counted as fp32's).
 *
 * --only runs that one configuration (for a profiler; the table's other rows are left out).
 *
 * --dump DIR writes each workload's batches to DIR/ids_B{B}_L{L}.bin for
 * bench/torch_encode.py: little-endian int32 nbatches, then per batch B, seq_len[B], T,
 * tok_off[T+1], ids[tok_off[T]].
 */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "model/batch.h"
#include "model/gemm.h"
#include "model/modelfile.h"
#include "model/net.h"

typedef struct workload {
    int nb;         /* batches */
    dp_batch *b;    /* [nb] */
    void **own;     /* [3*nb] the arrays b points at */
    long tokens, sentences;
    double flops;   /* GEMM flops of one pass over the workload */
} workload;

typedef enum { RUN_NET, RUN_GEMM, RUN_SGEMM } run_mode;

typedef struct worker {
    const dp_model *m;
    const dp_net_packed *pw;
    const workload *w;
    run_mode mode;
    int first, step; /* batches first, first+step, ... */
    dp_net_ws *ws;
    float *out, *a, *c; /* scratch: outputs, GEMM operands */
    int rc;
} worker;

/* --cpu-time: the process's CPU seconds instead of wall seconds (a pass on nth workers
 * then counts its CPU time / nth: what it would take with a core per worker), for
 * machines that other jobs share. */
static int cpu_time;

static double now(void)
{
    struct timespec ts;
    clock_gettime(cpu_time ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void make_workload(workload *w, const dp_model_config *cfg, int B, int L, long tokens, uint64_t seed)
{
    dp_rng r;
    dp_rng_seed(&r, seed);
    w->nb = (int)((tokens + (long)B * L - 1) / ((long)B * L));
    w->nb += w->nb % 2; /* an even count: two workers get equal shares */
    w->b = calloc((size_t)w->nb, sizeof *w->b);
    w->own = calloc(3 * (size_t)w->nb, sizeof *w->own);
    w->tokens = w->sentences = 0;
    w->flops = 0;
    size_t E = cfg->embed_dim, H = cfg->hidden, O = cfg->out_dim, P = dp_model_pool_dim(cfg);
    for (int i = 0; i < w->nb; i++) {
        int *len = malloc((size_t)B * sizeof *len), T = 0;
        for (int s = 0; s < B; s++)
            T += len[s] = (int)(L * 8 / 10 + (int)dp_rng_below(&r, (uint64_t)(L * 4 / 10 + 1)));
        int *off = malloc((size_t)(T + 1) * sizeof *off);
        off[0] = 0;
        for (int t = 0; t < T; t++)
            off[t + 1] = off[t] + 4 + (int)dp_rng_below(&r, 14);
        uint32_t *ids = malloc((size_t)off[T] * sizeof *ids);
        for (int k = 0; k < off[T]; k++)
            ids[k] = (uint32_t)dp_rng_below(&r, cfg->buckets);
        w->b[i] = (dp_batch){.B = B, .seq_len = len, .tok_off = off, .ids = ids};
        w->own[3 * i] = len, w->own[3 * i + 1] = off, w->own[3 * i + 2] = ids;
        w->tokens += T;
        w->sentences += B;
        w->flops += 2.0 * 2 * ((double)T * (double)E * 3 * H + (double)(T - B) * H * 3 * H) +
                    2.0 * B * (double)P * (double)O;
    }
}

static void free_workload(workload *w)
{
    for (int i = 0; i < 3 * w->nb; i++)
        free(w->own[i]);
    free(w->own);
    free(w->b);
}

/* The products of one batch, through the fixed-order GEMM or sgemm, on scratch operands. */
static void run_products(worker *k, const dp_batch *b)
{
    const dp_model_config *cfg = &k->m->cfg;
    size_t T = 0, E = cfg->embed_dim, H = cfg->hidden, G = 3 * H, O = cfg->out_dim, P = dp_model_pool_dim(cfg);
    int maxlen = 0;
    for (int s = 0; s < b->B; s++) {
        T += (size_t)b->seq_len[s];
        maxlen = b->seq_len[s] > maxlen ? b->seq_len[s] : maxlen;
    }
    const dp_gru_params *g = &k->m->p.gru[0][0];
    for (int d = 0; d < 2; d++) {
        if (k->mode == RUN_GEMM)
            dp_gemm_nt(k->c, G, k->a, E, T, &k->pw->ih[0][d]);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)T, (int)G, (int)E, 1, k->a, (int)E, g->w_ih,
                        (int)E, 1, k->c, (int)G);
        for (int t = 1; t < maxlen; t++) { /* step t: the sequences longer than t carry a state */
            int np = 0;
            for (int s = 0; s < b->B; s++)
                np += b->seq_len[s] > t;
            if (k->mode == RUN_GEMM)
                dp_gemm_nt(k->c, G, k->a, 2 * H, (size_t)np, &k->pw->hh[0][d]);
            else
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, np, (int)G, (int)H, 1, k->a, (int)(2 * H),
                            g->w_hh, (int)H, 1, k->c, (int)G);
        }
    }
    if (k->mode == RUN_GEMM)
        dp_gemm_nt(k->c, O, k->a, P, (size_t)b->B, &k->pw->proj);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b->B, (int)O, (int)P, 1, k->a, (int)P, k->m->p.proj_w,
                    (int)P, 1, k->c, (int)O);
}

static void *work(void *arg)
{
    worker *k = arg;
    for (int i = k->first; i < k->w->nb && !k->rc; i += k->step) {
        if (k->mode == RUN_NET)
            k->rc = dp_net_infer(k->m, k->pw, k->ws, &k->w->b[i], k->out);
        else
            run_products(k, &k->w->b[i]);
    }
    return NULL;
}

/* Seconds for one pass over the workload on nth workers. */
static double timed_pass(worker *k, int nth, run_mode mode)
{
    pthread_t tid[2];
    double t0 = now();
    for (int i = 0; i < nth; i++) {
        k[i].mode = mode;
        k[i].first = i;
        k[i].step = nth;
        if (i > 0)
            pthread_create(&tid[i], NULL, work, &k[i]);
    }
    work(&k[0]);
    for (int i = 1; i < nth; i++)
        pthread_join(tid[i], NULL);
    return (now() - t0) / (cpu_time ? nth : 1);
}

static int dump(const char *dir, const workload *w, int B, int L)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ids_B%d_L%d.bin", dir, B, L);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int32_t nb = w->nb;
    fwrite(&nb, 4, 1, f); /* the bench runs on little-endian x86-64 */
    for (int i = 0; i < w->nb; i++) {
        const dp_batch *b = &w->b[i];
        int32_t T = 0;
        for (int s = 0; s < b->B; s++)
            T += b->seq_len[s];
        fwrite(&b->B, 4, 1, f);
        fwrite(b->seq_len, 4, (size_t)b->B, f);
        fwrite(&T, 4, 1, f);
        fwrite(b->tok_off, 4, (size_t)T + 1, f);
        fwrite(b->ids, 4, (size_t)b->tok_off[T], f);
    }
    return fclose(f);
}

/* *m through an int8 file image, read back the way encoders read it. */
static int keep_int8(dp_model **m)
{
    void *img;
    size_t len;
    int rc = dp_model_save_buffer(*m, DP_DTYPE_INT8, NULL, &img, &len, NULL);
    dp_model_free(*m);
    *m = NULL;
    if (rc == DOPPEL_OK)
        rc = dp_model_read_flags(m, NULL, img, len, DP_MODEL_KEEP_INT8, NULL);
    free(img);
    return rc;
}

int main(int argc, char **argv)
{
    int reps = 7;
    long tokens = 16384;
    const char *dumpdir = NULL;
    int int8 = 0, precision = DP_PRECISION_AUTO, only_th = 0, only_b = 0, only_l = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--tokens") && i + 1 < argc)
            tokens = atol(argv[++i]);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dumpdir = argv[++i];
        else if (!strcmp(argv[i], "--int8"))
            int8 = 1;
        else if (!strcmp(argv[i], "--cpu-time"))
            cpu_time = 1;
        else if (!strcmp(argv[i], "--precision") && i + 1 < argc && (precision = dp_precision_parse(argv[++i])) >= 0)
            continue;
        else if (!strcmp(argv[i], "--only") && i + 1 < argc &&
                 sscanf(argv[++i], "%d/%d/%d", &only_th, &only_b, &only_l) == 3)
            continue;
        else {
            fprintf(stderr, "usage: %s [--reps N] [--tokens N] [--dump DIR] [--int8] [--cpu-time] [--precision auto|fp32|int8] [--only THREADS/BATCH/LEN]\n",
                    argv[0]);
            return 2;
        }
    }
    if (reps < 1 || reps > 99 || tokens < 1) {
        fprintf(stderr, "encode_bench: --reps 1..99, --tokens >= 1\n");
        return 2;
    }
    precision = dp_precision_resolve((dp_precision)precision);
    fprintf(stderr, "encode_bench: precision %s%s%s\n", dp_precision_name((dp_precision)precision),
            precision == DP_PRECISION_INT8 ? ", kernel " : "", precision == DP_PRECISION_INT8 ? dp_gemm_q8_kernel() : "");
    openblas_set_num_threads(1); /* the workers are the parallelism, as in the encoder */
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    dp_model *m;
    dp_net_packed pw;
    if (dp_model_alloc(&m, &cfg, NULL) || (dp_model_init_random(m, 1), int8 && keep_int8(&m)) ||
        dp_net_pack(&pw, m) || (precision == DP_PRECISION_INT8 && dp_net_pack_q8(&pw, m))) {
        fprintf(stderr, "encode_bench: out of memory\n");
        return 3;
    }
    size_t H = cfg.hidden, scratch = (size_t)64 * 60 * 3 * H + 4096 * 4; /* >= any batch's rows x widths */
    worker k[2];
    for (int i = 0; i < 2; i++) {
        k[i] = (worker){.m = m, .pw = &pw};
        dp_net_ws_create(&k[i].ws, &cfg);
        k[i].out = malloc((size_t)64 * cfg.out_dim * sizeof(float));
        k[i].a = calloc(scratch, sizeof(float));
        k[i].c = calloc(scratch, sizeof(float));
    }
    static const int batches[] = {1, 16, 64}, lengths[] = {10, 25, 50};
    printf("threads\tbatch\tlen\ttok/s\tsent/s\tnet_gflops\tgemm_gflops\tsgemm_gflops\tpct_ceiling\n");
    for (int th = 1; th <= 2; th++)
        for (int bi = 0; bi < 3; bi++)
            for (int li = 0; li < 3; li++) {
                int B = batches[bi], L = lengths[li];
                if (only_th && (th != only_th || B != only_b || L != only_l))
                    continue;
                workload w;
                make_workload(&w, &cfg, B, L, tokens, (uint64_t)(B * 1000 + L));
                if (dumpdir && th == 1 && dump(dumpdir, &w, B, L)) {
                    fprintf(stderr, "encode_bench: cannot write to %s\n", dumpdir);
                    return 3;
                }
                for (int i = 0; i < 2; i++)
                    k[i].w = &w;
                double tn[99], tg[99], ts[99];
                timed_pass(k, th, RUN_NET); /* warm-up: workspaces grow, caches fill */
                for (int r = 0; r < reps; r++) {
                    tn[r] = timed_pass(k, th, RUN_NET);
                    tg[r] = timed_pass(k, th, RUN_GEMM);
                    ts[r] = timed_pass(k, th, RUN_SGEMM);
                }
                if (k[0].rc || k[1].rc) {
                    fprintf(stderr, "encode_bench: forward failed\n");
                    return 3;
                }
                qsort(tn, (size_t)reps, sizeof *tn, cmp_double);
                qsort(tg, (size_t)reps, sizeof *tg, cmp_double);
                qsort(ts, (size_t)reps, sizeof *ts, cmp_double);
                double n = tn[reps / 2], g = tg[reps / 2], s = ts[reps / 2];
                printf("%d\t%d\t%d\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%.0f%%\n", th, B, L, (double)w.tokens / n,
                       (double)w.sentences / n, w.flops / n * 1e-9, w.flops / g * 1e-9, w.flops / s * 1e-9,
                       100 * s / n);
                fflush(stdout);
                free_workload(&w);
            }
    for (int i = 0; i < 2; i++) {
        dp_net_ws_free(k[i].ws);
        free(k[i].out), free(k[i].a), free(k[i].c);
    }
    dp_net_packed_release(&pw);
    dp_model_free(m);
    return 0;
}
