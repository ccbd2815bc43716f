/* doppel info: a model file's hyperparameters as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/cli_model.h"
#include "core/jsonw.h"

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL;
    int c;
    while ((c = cli_getopt("info", argc, argv, "m:h", longopts)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        case 'h':
            printf("Usage: doppel info [--model FILE]\n\n"
                   "Prints the model's hyperparameters as one JSON object: file, format_version,\n"
                   "embed_dim, hidden, layers, out_dim, buckets, params, memory_bytes (bytes the\n"
                   "parameters take in memory when encoding: an int8 embedding table stays int8),\n"
                   "pooling, dtype (storage type of the embedding table), hash_seed, minn, maxn,\n"
                   "strip_accents, metadata.\n\n"
                   "Options:\n" CLI_MODEL_HELP "  -h, --help         this help\n");
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("info", "unexpected argument '%s'", argv[optind]);

    dp_model *m;
    dp_model_file_info info;
    const char *path;
    int rc = cli_model_load(model_opt, &m, &info, &path);
    if (rc)
        return rc;
    const dp_model_config *cfg = &m->cfg;
    dp_jsonw w;
    dp_jsonw_init(&w, stdout);
    dp_jsonw_object_begin(&w);
    dp_jsonw_key(&w, "file"), dp_jsonw_cstring(&w, path);
    dp_jsonw_key(&w, "format_version"), dp_jsonw_uint(&w, info.version);
    dp_jsonw_key(&w, "embed_dim"), dp_jsonw_uint(&w, cfg->embed_dim);
    dp_jsonw_key(&w, "hidden"), dp_jsonw_uint(&w, cfg->hidden);
    dp_jsonw_key(&w, "layers"), dp_jsonw_uint(&w, cfg->layers);
    dp_jsonw_key(&w, "out_dim"), dp_jsonw_uint(&w, cfg->out_dim);
    dp_jsonw_key(&w, "buckets"), dp_jsonw_uint(&w, cfg->buckets);
    dp_jsonw_key(&w, "params"), dp_jsonw_uint(&w, dp_model_param_count(cfg));
    dp_jsonw_key(&w, "memory_bytes"), dp_jsonw_uint(&w, dp_model_bytes(m));
    dp_jsonw_key(&w, "pooling"), dp_jsonw_cstring(&w, dp_pooling_name(cfg->pooling));
    dp_jsonw_key(&w, "dtype"), dp_jsonw_cstring(&w, dp_dtype_name(info.embed_dtype));
    dp_jsonw_key(&w, "hash_seed"), dp_jsonw_uint(&w, cfg->hash_seed);
    dp_jsonw_key(&w, "minn"), dp_jsonw_uint(&w, cfg->minn);
    dp_jsonw_key(&w, "maxn"), dp_jsonw_uint(&w, cfg->maxn);
    dp_jsonw_key(&w, "strip_accents"), dp_jsonw_bool(&w, cfg->strip_accents != 0);
    dp_jsonw_key(&w, "metadata"), dp_jsonw_cstring(&w, info.metadata);
    dp_jsonw_object_end(&w);
    dp_jsonw_newline(&w);
    int ok = dp_jsonw_ok(&w) && fflush(stdout) == 0;
    dp_model_file_info_free(&info);
    dp_model_free(m);
    if (!ok) {
        fprintf(stderr, "doppel info: cannot write to standard output\n");
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}
