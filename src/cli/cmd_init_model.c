/* doppel init-model: a model with seeded random weights, for tests and benchmarks. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_dpmodel.h"
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/diag.h"
#include "model/modelfile.h"

/* The weights' seed and the table's storage unless told otherwise. */
#define DEFAULT_SEED 1
#define DEFAULT_DTYPE DP_DTYPE_FP32

static int usage(void)
{
    dp_model_config d;
    dp_model_config_default(&d);
    printf("Usage: doppel init-model -o FILE [OPTIONS]\n\n"
           "Writes a model with seeded random weights (untrained: for tests and benchmarks,\n"
           "its similarities mean nothing). Defaults are those of a new model.\n\n"
           "Options:\n"
           "  -o, --output FILE      model file to write (required)\n"
           "      --embed-dim N      embedding width (%u)\n"
           "      --hidden N         GRU hidden size per direction (%u)\n"
           "      --layers N         BiGRU layers, 1..%d (%u)\n"
           "      --out-dim N        output vector size (%u)\n"
           "      --buckets N        hashed embedding rows (%u)\n"
           "      --pooling P        mean, max, meanmax, or meanmaxbag (meanmax and the mean\n"
           "                         of the embedded tokens, which reaches the projection\n"
           "                         directly) (%s)\n"
           "      --minn N, --maxn N  character n-gram range; --minn 0 disables (%u, %u)\n"
           "      --strip-accents    strip combining marks after NFKC\n"
           "      --hash-seed N      seed of the token hash\n"
           "      --seed N           seed of the random weights (%" PRIu64 ")\n"
           "      --dtype T          embedding storage: fp32, fp16 or int8 (%s)\n"
           CLI_HELP_HELP,
           d.embed_dim, d.hidden, DP_MAX_LAYERS, d.layers, d.out_dim, d.buckets, dp_pooling_name(d.pooling), d.minn,
           d.maxn, (uint64_t)DEFAULT_SEED, dp_dtype_name(DEFAULT_DTYPE));
    return EXIT_OK;
}

enum { OPT_EMBED = 256, OPT_HIDDEN, OPT_LAYERS, OPT_OUT, OPT_BUCKETS, OPT_POOLING, OPT_MINN, OPT_MAXN,
       OPT_STRIP, OPT_HASH_SEED, OPT_SEED, OPT_DTYPE };

static int parse_u32(const char *opt, const char *s, long lo, long hi, uint32_t *out)
{
    long v;
    if (!cli_parse_long("init-model", opt, s, lo, hi, &v))
        return 0;
    *out = (uint32_t)v;
    return 1;
}

static int parse_u64(const char *opt, const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end || s[0] == '-') {
        cli_usage_error("init-model", "%s expects a non-negative integer, got '%s'", opt, s);
        return 0;
    }
    *out = v;
    return 1;
}

int cmd_init_model(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"embed-dim", required_argument, NULL, OPT_EMBED},
        {"hidden", required_argument, NULL, OPT_HIDDEN},
        {"layers", required_argument, NULL, OPT_LAYERS},
        {"out-dim", required_argument, NULL, OPT_OUT},
        {"buckets", required_argument, NULL, OPT_BUCKETS},
        {"pooling", required_argument, NULL, OPT_POOLING},
        {"minn", required_argument, NULL, OPT_MINN},
        {"maxn", required_argument, NULL, OPT_MAXN},
        {"strip-accents", no_argument, NULL, OPT_STRIP},
        {"hash-seed", required_argument, NULL, OPT_HASH_SEED},
        {"seed", required_argument, NULL, OPT_SEED},
        {"dtype", required_argument, NULL, OPT_DTYPE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    dp_model_config cfg;
    dp_model_config_default(&cfg);
    const char *output = NULL;
    uint64_t seed = DEFAULT_SEED;
    int dtype = DEFAULT_DTYPE, ok = 1, c;
    while (ok && (c = cli_getopt("init-model", argc, argv, "o:h", longopts)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_EMBED: ok = parse_u32("--embed-dim", optarg, 1, 4096, &cfg.embed_dim); break;
        case OPT_HIDDEN: ok = parse_u32("--hidden", optarg, 1, 4096, &cfg.hidden); break;
        case OPT_LAYERS: ok = parse_u32("--layers", optarg, 1, DP_MAX_LAYERS, &cfg.layers); break;
        case OPT_OUT: ok = parse_u32("--out-dim", optarg, 1, 8192, &cfg.out_dim); break;
        case OPT_BUCKETS: ok = parse_u32("--buckets", optarg, 1, 1L << 26, &cfg.buckets); break;
        case OPT_MINN: ok = parse_u32("--minn", optarg, 0, 16, &cfg.minn); break;
        case OPT_MAXN: ok = parse_u32("--maxn", optarg, 0, 16, &cfg.maxn); break;
        case OPT_STRIP: cfg.strip_accents = 1; break;
        case OPT_HASH_SEED: ok = parse_u64("--hash-seed", optarg, &cfg.hash_seed); break;
        case OPT_SEED: ok = parse_u64("--seed", optarg, &seed); break;
        case OPT_POOLING:
            if (!(cfg.pooling = dp_pooling_parse(optarg)))
                return cli_usage_error("init-model", "--pooling expects mean, max, meanmax, meanmaxbag or attnmax, got '%s'",
                                       optarg);
            break;
        CLI_DTYPE_CASE("init-model", OPT_DTYPE, dtype)
        case 'h': return usage();
        default: return EXIT_USAGE;
        }
    }
    if (!ok)
        return EXIT_USAGE;
    if (optind < argc)
        return cli_usage_error("init-model", "unexpected argument '%s'", argv[optind]);
    if (!output)
        return cli_usage_error("init-model", "-o FILE is required");
    doppel_diag d;
    dp_diag_clear(&d);
    if (dp_model_config_check(&cfg, &d) != DOPPEL_OK)
        return cli_usage_error("init-model", "%s", d.message);

    dp_model *m;
    int rc = dp_model_alloc(&m, &cfg, &d);
    if (rc)
        return cli_runtime_error(NULL, rc, &d);
    dp_model_init_random(m, seed);
    char meta[128];
    snprintf(meta, sizeof meta, "doppel init-model: untrained random weights, seed %" PRIu64, seed);
    dp_atomic_remove_stale(output);
    rc = dp_model_save(m, output, (dp_dtype)dtype, meta, &d);
    dp_model_free(m);
    if (rc)
        return cli_runtime_error(output, rc, &d);
    return EXIT_OK;
}
