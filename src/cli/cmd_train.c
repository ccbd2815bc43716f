/* doppel train: trains the shared (siamese) encoder on pairs and triplets. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include "cli/cli.h"
#include "cli/cli_data.h"
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/diag.h"
#include "model/encoder.h"
#include "model/modelfile.h"
#include "train/trainer.h"

static int usage(void)
{
    printf("Usage: doppel train --data FILE:FORMAT[:WEIGHT[:LOSS]] ... --out MODEL [OPTIONS]\n\n"
           "Trains the encoder on pairs (both texts go through the same network) and writes the\n"
           "model. Each --data file is a source; every step draws its batch from one source,\n"
           "picked with probability proportional to WEIGHT (1), and applies that source's LOSS:\n"
           "  contrastive  margin loss on 0/1 labels        (default for msrp, paws, 0/1 tsv)\n"
           "  triplet      anchor/positive/negative; pairs mine negatives in the batch\n"
           "                                                (default for triplets)\n"
           "  inbatch      softmax over the batch's cosines, other pairs are negatives;\n"
           "               positives only                    (default for kjvweb, prose, brown)\n"
           "  cosent       ranking of graded scores          (default for stsb, sick, scored tsv)\n"
           "  cosmse       cosine regression on scores\n"
           "  multipos     inbatch over paraphrase groups: rows of one group are positives of\n"
           "               each other, every negative column of the batch is a negative too\n"
           "                                                (default for groups)\n"
           "FORMAT: %s.\n"
           "prose (any text) and brown (the Brown corpus's word/TAG files) make their own pairs:\n"
           "passages of 1-3 sentences, each with an obfuscated copy (word deletions, fillers,\n"
           "a neighbour swap, WordNet synonyms, sentence merges and splits), made afresh on every\n"
           "pass over the source (fixed by --seed and the pass).\n\n"
           "Options:\n"
           "      --data SPEC        a training source (repeatable, up to %d)\n"
           "  -o, --out MODEL        model file to write at the end (required)\n"
           "      --dev-stsb FILE    STS-B pairs for the dev Spearman reported while training\n"
           "      --dev-paws FILE    PAWS pairs (id, s1, s2, label) for the dev ROC-AUC and best-threshold\n"
           "                         accuracy reported with it (every --eval-every steps)\n"
           "      --wordnet DIR      WordNet database for synonyms (/usr/share/wordnet)\n"
           "      --exclude-file LIST  file names (one a line) that prose/brown sources skip\n"
           "      --steps N          optimizer steps (1000)\n"
           "      --batch N          pairs per step (64)\n"
           "      --lr X             peak learning rate (0.002)\n"
           "      --warmup N         warm-up steps (steps/20)\n"
           "      --decay D          linear, cosine or none (linear)\n"
           "      --weight-decay X   AdamW decoupled weight decay (0.01)\n"
           "      --clip X           max gradient norm, 0 for none (1)\n"
           "      --balance F        share of similar pairs drawn from 0/1 sources (their own)\n"
           "      --apart-weight W   inbatch and multipos sources also charge every pair of rows\n"
           "                         that are not positives of each other W * (cosine - M)^2 above\n"
           "                         --apart-margin M, averaged over those pairs: a hard batch's\n"
           "                         same-subject sentences kept apart, not only ranked (0: none)\n"
           "      --apart-margin M   (0.3)\n"
           "      --curriculum FRAC  easy to hard negatives for inbatch and mined-triplet sources:\n"
           "                         step s draws a hard batch (consecutive pairs of the file, one\n"
           "                         topic: verses of a chapter, passages of a document) with\n"
           "                         probability %.1f * min(1, s / (FRAC * steps)), else a random\n"
           "                         one; 0 = random batches only (0)\n"
           "      --max-tokens N     tokens kept per text, at most %d as in inference (%d)\n"
           "      --seed N           sampling seed (1)\n"
           "      --threads N        1 or 2 (2); results do not depend on it\n"
           "      --eval-every N     steps between dev evaluations (200)\n"
           "      --checkpoint FILE  checkpoint written every --checkpoint-minutes, at the end\n"
           "                         and on SIGINT/SIGTERM\n"
           "      --checkpoint-minutes N  (10)\n"
           "      --resume FILE      continue the run saved in this checkpoint exactly (same\n"
           "                         data, seed, batch, --curriculum and model options;\n"
           "                         another --steps is allowed, with a warning)\n",
           CLI_TRAIN_FORMATS, DP_DATA_MAX_SOURCES, DP_CURRICULUM_PMAX, DP_ENCODER_MAX_TOKENS, DP_ENCODER_MAX_TOKENS);
    printf("Model (a new one):\n"
           "      --init FILE        start from this model file (e.g. from doppel init-model)\n"
           "      --embed-dim N      embedding width (128)\n"
           "      --hidden N         GRU hidden size per direction (128)\n"
           "      --layers N         BiGRU layers (1)\n"
           "      --out-dim N        output vector size (256)\n"
           "      --buckets N        hashed embedding rows (131072)\n"
           "      --pooling P        mean, max, meanmax, meanmaxbag (+ token mean), attnmax\n"
           "                         (learnt token weights in the mean) (meanmax); with --init\n"
           "                         of a meanmax model, attnmax starts from it, weights equal\n"
           "      --init-seed N      seed of the random initial weights (1)\n"
           "      --dtype T          how the embedding table is stored: fp32, fp16 or int8\n"
           "                         (per-row scale; a quarter of fp32's size) (fp32)\n"
           CLI_HELP_HELP "\n"
           "Progress goes to stderr: one updating line on a terminal, log lines otherwise.\n");
    return EXIT_OK;
}

enum {
    OPT_DATA = 256, OPT_DEV, OPT_STEPS, OPT_BATCH, OPT_LR, OPT_WARMUP, OPT_DECAY, OPT_WD, OPT_CLIP, OPT_BALANCE,
    OPT_MAXTOK, OPT_SEED, OPT_THREADS, OPT_EVAL, OPT_CKPT, OPT_CKPT_MIN, OPT_RESUME, OPT_INIT, OPT_EMBED,
    OPT_HIDDEN, OPT_LAYERS, OPT_OUTDIM, OPT_BUCKETS, OPT_INIT_SEED, OPT_DTYPE, OPT_WORDNET, OPT_EXCLUDE, OPT_DEV_PAWS,
    OPT_CURRICULUM, OPT_POOLING, OPT_APART_W, OPT_APART_M,
};

typedef struct source_spec {
    const char *path;
    dp_data_format fmt;
    float weight;
    dp_loss_kind loss; /* 0 = the format's default */
} source_spec;

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* FILE:FORMAT[:WEIGHT[:LOSS]], cut in place (argv strings are writable). */
static int parse_source(char *arg, source_spec *s)
{
    char *fields[4] = {arg, NULL, NULL, NULL};
    int n = 1;
    for (char *p = strchr(arg, ':'); p && n < 4; p = strchr(p + 1, ':')) {
        *p = '\0';
        fields[n++] = p + 1;
    }
    memset(s, 0, sizeof *s);
    s->path = arg;
    s->weight = 1.0f;
    if (n < 2 || !*arg || !(s->fmt = dp_data_format_parse(fields[1])))
        return cli_usage_error("train", "--data expects FILE:FORMAT[:WEIGHT[:LOSS]] with FORMAT %s",
                               CLI_TRAIN_FORMATS);
    double w;
    if (n > 2 && *fields[2]) {
        if (!cli_parse_double("train", "--data WEIGHT", fields[2], 0.0, 1e6, &w))
            return EXIT_USAGE;
        s->weight = (float)w;
    }
    if (n > 3 && !(s->loss = dp_loss_kind_parse(fields[3])))
        return cli_usage_error("train", "unknown loss '%s' (contrastive, triplet, inbatch, cosent, cosmse, multipos)",
                               fields[3]);
    return EXIT_OK;
}

static dp_loss_kind default_loss(const dp_source_info *si)
{
    switch (si->format) {
    case DP_DATA_KJVWEB:
    case DP_DATA_PROSE:
    case DP_DATA_BROWN: return DP_LOSS_INBATCH;
    case DP_DATA_TRIPLETS: return DP_LOSS_TRIPLET;
    case DP_DATA_GROUPS: return DP_LOSS_MULTIPOS;
    default: return si->graded ? DP_LOSS_COSENT : DP_LOSS_CONTRASTIVE;
    }
}

typedef struct progress_ctx {
    int tty;
    int curriculum;
} progress_ctx;

static void on_progress(void *ctx, const dp_train_progress *p)
{
    const progress_ctx *pc = ctx;
    char dev[48] = "", paws[64] = "", hard[48] = "";
    if (p->dev_spearman == p->dev_spearman)
        snprintf(dev, sizeof dev, "  dev spearman %.4f", p->dev_spearman);
    if (p->dev_auc == p->dev_auc)
        snprintf(paws, sizeof paws, "  paws auc %.4f acc %.4f", p->dev_auc, p->dev_accuracy);
    if (pc->curriculum)
        snprintf(hard, sizeof hard, "  hard %llu (p %.2f)", (unsigned long long)p->hard_batches, p->hard_p);
    int evaluated = p->dev_spearman == p->dev_spearman || p->dev_auc == p->dev_auc;
    fprintf(stderr, "%sstep %llu/%llu  loss %.4f  lr %.2e%s  %.0f pairs/s%s%s  ETA %.0fs%s%s",
            pc->tty ? "\r\033[K" : "", (unsigned long long)p->step, (unsigned long long)p->steps, (double)p->loss,
            (double)p->lr, hard, p->pairs_per_sec, dev, paws, p->eta, p->checkpointed ? "  (checkpoint)" : "",
            pc->tty && !evaluated && p->step < p->steps ? "" : "\n");
    fflush(stderr);
}

static int parse_u32(const char *opt, const char *s, long lo, long hi, uint32_t *out)
{
    long v;
    if (!cli_parse_long("train", opt, s, lo, hi, &v))
        return 0;
    *out = (uint32_t)v;
    return 1;
}

int cmd_train(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, OPT_DATA},          {"out", required_argument, NULL, 'o'},
        {"dev-stsb", required_argument, NULL, OPT_DEV},       {"steps", required_argument, NULL, OPT_STEPS},
        {"batch", required_argument, NULL, OPT_BATCH},        {"lr", required_argument, NULL, OPT_LR},
        {"warmup", required_argument, NULL, OPT_WARMUP},      {"decay", required_argument, NULL, OPT_DECAY},
        {"weight-decay", required_argument, NULL, OPT_WD},    {"clip", required_argument, NULL, OPT_CLIP},
        {"balance", required_argument, NULL, OPT_BALANCE},    {"max-tokens", required_argument, NULL, OPT_MAXTOK},
        {"seed", required_argument, NULL, OPT_SEED},          {"threads", required_argument, NULL, OPT_THREADS},
        {"eval-every", required_argument, NULL, OPT_EVAL},    {"checkpoint", required_argument, NULL, OPT_CKPT},
        {"checkpoint-minutes", required_argument, NULL, OPT_CKPT_MIN},
        {"resume", required_argument, NULL, OPT_RESUME},      {"init", required_argument, NULL, OPT_INIT},
        {"embed-dim", required_argument, NULL, OPT_EMBED},    {"hidden", required_argument, NULL, OPT_HIDDEN},
        {"layers", required_argument, NULL, OPT_LAYERS},      {"out-dim", required_argument, NULL, OPT_OUTDIM},
        {"buckets", required_argument, NULL, OPT_BUCKETS},    {"init-seed", required_argument, NULL, OPT_INIT_SEED},
        {"dtype", required_argument, NULL, OPT_DTYPE},        {"wordnet", required_argument, NULL, OPT_WORDNET},
        {"exclude-file", required_argument, NULL, OPT_EXCLUDE}, {"dev-paws", required_argument, NULL, OPT_DEV_PAWS},
        {"curriculum", required_argument, NULL, OPT_CURRICULUM}, {"pooling", required_argument, NULL, OPT_POOLING},
        {"apart-weight", required_argument, NULL, OPT_APART_W}, {"apart-margin", required_argument, NULL, OPT_APART_M},
        {"help", no_argument, NULL, 'h'},                      {NULL, 0, NULL, 0},
    };
    source_spec src[DP_DATA_MAX_SOURCES];
    int nsrc = 0, c, ok = 1;
    const char *out = NULL, *dev_path = NULL, *resume = NULL, *init = NULL, *wordnet = NULL, *exclude_path = NULL,
               *dev_paws_path = NULL;
    long steps = 1000, batch = 64, maxtok = DP_ENCODER_MAX_TOKENS, threads = 2, warmup = -1, seed = 1, eval_every = 200, init_seed = 1;
    int pooling_set = 0;
    int embed_dtype = DP_DTYPE_FP32;
    double lr = 2e-3, wd = 0.01, clip = 1.0, balance = -1.0, ckpt_min = 10.0, curriculum = 0.0, apart_w = 0.0, apart_m = 0.3;
    dp_decay decay = DP_DECAY_LINEAR;
    dp_train_config cfg;
    dp_train_config_default(&cfg, 1);
    dp_model_config mc;
    dp_model_config_default(&mc);
    while (ok && (c = cli_getopt("train", argc, argv, "o:h", longopts)) != -1) {
        switch (c) {
        case OPT_DATA:
            if (nsrc == DP_DATA_MAX_SOURCES)
                return cli_usage_error("train", "at most %d --data sources", DP_DATA_MAX_SOURCES);
            if (parse_source(optarg, &src[nsrc++]))
                return EXIT_USAGE;
            break;
        case 'o': out = optarg; break;
        case OPT_DEV: dev_path = optarg; break;
        case OPT_STEPS: ok = cli_parse_long("train", "--steps", optarg, 1, 1L << 40, &steps); break;
        case OPT_BATCH: ok = cli_parse_long("train", "--batch", optarg, 2, 65536, &batch); break;
        case OPT_LR: ok = cli_parse_double("train", "--lr", optarg, 0.0, 10.0, &lr); break;
        case OPT_WARMUP: ok = cli_parse_long("train", "--warmup", optarg, 0, 1L << 40, &warmup); break;
        case OPT_DECAY:
            if (strcmp(optarg, "linear") == 0)
                decay = DP_DECAY_LINEAR;
            else if (strcmp(optarg, "cosine") == 0)
                decay = DP_DECAY_COSINE;
            else if (strcmp(optarg, "none") == 0)
                decay = DP_DECAY_NONE;
            else
                return cli_usage_error("train", "--decay expects linear, cosine or none, got '%s'", optarg);
            break;
        case OPT_WD: ok = cli_parse_double("train", "--weight-decay", optarg, 0.0, 1.0, &wd); break;
        case OPT_CLIP: ok = cli_parse_double("train", "--clip", optarg, 0.0, 1e6, &clip); break;
        case OPT_BALANCE: ok = cli_parse_double("train", "--balance", optarg, 0.0, 1.0, &balance); break;
        case OPT_APART_W: ok = cli_parse_double("train", "--apart-weight", optarg, 0.0, 1e6, &apart_w); break;
        case OPT_APART_M: ok = cli_parse_double("train", "--apart-margin", optarg, -1.0, 1.0, &apart_m); break;
        case OPT_CURRICULUM: ok = cli_parse_double("train", "--curriculum", optarg, 0.0, 1.0, &curriculum); break;
        case OPT_MAXTOK: ok = cli_parse_long("train", "--max-tokens", optarg, 1, DP_ENCODER_MAX_TOKENS, &maxtok); break;
        case OPT_SEED: ok = cli_parse_long("train", "--seed", optarg, 0, 1L << 62, &seed); break;
        case OPT_THREADS: ok = cli_parse_long("train", "--threads", optarg, 1, 2, &threads); break;
        case OPT_EVAL: ok = cli_parse_long("train", "--eval-every", optarg, 0, 1L << 40, &eval_every); break;
        case OPT_CKPT: cfg.checkpoint_path = optarg; break;
        case OPT_CKPT_MIN: ok = cli_parse_double("train", "--checkpoint-minutes", optarg, 0.0, 1e6, &ckpt_min); break;
        case OPT_RESUME: resume = optarg; break;
        case OPT_INIT: init = optarg; break;
        case OPT_EMBED: ok = parse_u32("--embed-dim", optarg, 1, 4096, &mc.embed_dim); break;
        case OPT_HIDDEN: ok = parse_u32("--hidden", optarg, 1, 4096, &mc.hidden); break;
        case OPT_LAYERS: ok = parse_u32("--layers", optarg, 1, DP_MAX_LAYERS, &mc.layers); break;
        case OPT_OUTDIM: ok = parse_u32("--out-dim", optarg, 1, 8192, &mc.out_dim); break;
        case OPT_BUCKETS: ok = parse_u32("--buckets", optarg, 1, 1L << 26, &mc.buckets); break;
        case OPT_POOLING:
            if (!(mc.pooling = dp_pooling_parse(optarg)))
                return cli_usage_error("train", "--pooling expects mean, max, meanmax, meanmaxbag or attnmax, got '%s'",
                                       optarg);
            pooling_set = 1;
            break;
        case OPT_INIT_SEED: ok = cli_parse_long("train", "--init-seed", optarg, 0, 1L << 62, &init_seed); break;
        case OPT_DTYPE:
            embed_dtype = dp_dtype_parse(optarg);
            if (embed_dtype < 0)
                return cli_usage_error("train", "--dtype expects fp32, fp16 or int8, got '%s'", optarg);
            break;
        case OPT_WORDNET: wordnet = optarg; break;
        case OPT_DEV_PAWS: dev_paws_path = optarg; break;
        case OPT_EXCLUDE: exclude_path = optarg; break;
        case 'h': return usage();
        default: return EXIT_USAGE;
        }
    }
    if (!ok)
        return EXIT_USAGE;
    if (optind < argc)
        return cli_usage_error("train", "unexpected argument '%s'", argv[optind]);
    if (!nsrc || !out)
        return cli_usage_error("train", "at least one --data FILE:FORMAT and --out MODEL are required");

    doppel_diag d;
    dp_diag_clear(&d);
    dp_model *m = NULL;
    int rc = init ? dp_model_load(&m, init, &d) : dp_model_alloc(&m, &mc, &d);
    if (rc)
        return init ? cli_runtime_error(init, rc, &d) : cli_usage_error("train", "%s", d.message);
    if (!init)
        dp_model_init_random(m, (uint64_t)init_seed);
    if (init && pooling_set && mc.pooling != m->cfg.pooling) {
        if (mc.pooling != DP_POOL_ATTNMAX || m->cfg.pooling != DP_POOL_MEANMAX) {
            cli_usage_error("train", "--pooling %s cannot change --init %s's %s pooling (only meanmax becomes attnmax)",
                            dp_pooling_name(mc.pooling), init, dp_pooling_name(m->cfg.pooling));
            dp_model_free(m);
            return EXIT_USAGE;
        }
        dp_model *attn = NULL;
        rc = dp_model_to_attnmax(&attn, m, &d);
        dp_model_free(m);
        if (rc)
            return cli_runtime_error(init, rc, &d);
        m = attn;
    }

    dp_dataset ds, dev, dev_paws;
    dp_dataset_init(&ds);
    dp_dataset_init(&dev);
    dp_dataset_init(&dev_paws);
    dp_trainer *t = NULL;
    dp_wordnet *wn = NULL;
    char *exclude_buf = NULL;
    const char **exclude = NULL;
    size_t nexclude = 0;
    int ex = exclude_path ? cli_read_list(exclude_path, &exclude_buf, &exclude, &nexclude) : EXIT_OK;
    dp_loss_mix mix;
    memset(&mix, 0, sizeof mix);
    mix.n = nsrc;
    for (int i = 0; i < nsrc && !ex; i++) {
        if (src[i].fmt == DP_DATA_PROSE || src[i].fmt == DP_DATA_BROWN)
            ex = cli_prose_read(&ds, src[i].path, src[i].fmt, wordnet, &wn, exclude, nexclude, (uint64_t)seed);
        else
            ex = cli_data_read(&ds, src[i].path, src[i].fmt);
        if (ex)
            break;
        mix.weight[i] = src[i].weight;
        dp_loss_spec_default(&mix.loss[i], src[i].loss ? src[i].loss : default_loss(&ds.src[i]));
        mix.loss[i].apart_weight = (float)apart_w;
        mix.loss[i].apart_margin = (float)apart_m;
        mix.pos_frac[i] = (float)balance;
    }
    if (!ex && dev_path)
        ex = cli_data_read(&dev, dev_path, DP_DATA_STSB);
    if (!ex && dev_paws_path)
        ex = cli_data_read(&dev_paws, dev_paws_path, DP_DATA_PAWS);
    if (ex)
        goto out;

    cfg.steps = (uint64_t)steps;
    cfg.batch = (int)batch;
    cfg.lr = (dp_lr_schedule){(float)lr, warmup >= 0 ? (uint64_t)warmup : (uint64_t)steps / 20, (uint64_t)steps,
                              decay, 0.0f};
    cfg.adam.weight_decay = (float)wd;
    cfg.clip = (float)clip;
    cfg.seed = (uint64_t)seed;
    cfg.threads = (int)threads;
    cfg.max_tokens = (int)maxtok;
    cfg.eval_every = (uint64_t)eval_every;
    cfg.checkpoint_seconds = ckpt_min * 60.0;
    cfg.dev_binary = dev_paws_path ? &dev_paws : NULL;
    cfg.curriculum = curriculum;
    cfg.wordnet = wn; /* the prose copies of later passes are made as cli_prose_read made the first */
    openblas_set_num_threads(1); /* the two shards are the parallelism: no nested BLAS threads */

    if ((rc = dp_trainer_create(&t, m, &ds, &mix, dev_path ? &dev : NULL, &cfg, &d))) {
        ex = cli_runtime_error(NULL, rc, &d);
        goto out;
    }
    if (resume && (rc = dp_trainer_resume(t, resume, &d))) {
        ex = cli_runtime_error(resume, rc, &d);
        goto out;
    }
    if (resume && dp_trainer_saved_steps(t) != cfg.steps)
        fprintf(stderr,
                "doppel: warning: %s: saved by a run of %llu steps; with --steps %llu the learning-rate "
                "schedule and curriculum change, so this is not the same run\n",
                resume, (unsigned long long)dp_trainer_saved_steps(t), (unsigned long long)cfg.steps);
    for (int i = 0; i < nsrc; i++)
        fprintf(stderr, "doppel: source %d: %s, weight %g, loss %s%s\n", i + 1, src[i].path, (double)mix.weight[i],
                dp_loss_kind_name(mix.loss[i].kind),
                apart_w > 0.0 && (mix.loss[i].kind == DP_LOSS_INBATCH || mix.loss[i].kind == DP_LOSS_MULTIPOS)
                    ? " + apart" : "");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    progress_ctx pc = {isatty(STDERR_FILENO), curriculum > 0.0};
    rc = dp_trainer_run(t, &stop_flag, on_progress, &pc, &d);
    if (rc == DOPPEL_ERR_INTERRUPTED) {
        fprintf(stderr, "\ndoppel: interrupted at step %llu%s%s\n", (unsigned long long)dp_trainer_step_count(t),
                cfg.checkpoint_path ? "; checkpoint written to " : " (no --checkpoint: progress lost)",
                cfg.checkpoint_path ? cfg.checkpoint_path : "");
        ex = EXIT_RUNTIME;
        goto out;
    }
    if (rc) {
        ex = cli_runtime_error(NULL, rc, &d);
        goto out;
    }
    char meta[256];
    snprintf(meta, sizeof meta, "doppel train: %llu steps, batch %ld, seed %ld, %d sources",
             (unsigned long long)dp_trainer_step_count(t), batch, seed, nsrc);
    dp_atomic_remove_stale(out);
    if ((rc = dp_model_save(m, out, (dp_dtype)embed_dtype, meta, &d)))
        ex = cli_runtime_error(out, rc, &d);
out:
    dp_trainer_free(t);
    dp_wordnet_free(wn);
    free(exclude);
    free(exclude_buf);
    dp_dataset_free(&ds);
    dp_dataset_free(&dev);
    dp_dataset_free(&dev_paws);
    dp_model_free(m);
    return ex;
}
