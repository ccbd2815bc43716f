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
                   "Options:\n" CLI_MODEL_HELP CLI_HELP_HELP);
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("info", "unexpected argument '%s'", argv[optind]);

    doppel_model *m;
    const char *path;
    int rc = cli_model_open(model_opt, &m, &path);
    if (rc)
        return rc;
    doppel_model_info info = {.size = sizeof info};
    doppel_diag d;
    if ((rc = doppel_model_get_info(m, &info, &d))) {
        doppel_model_free(m);
        return cli_runtime_error(path, rc, &d);
    }
    dp_jsonw w;
    dp_jsonw_init(&w, stdout);
    dp_jsonw_object_begin(&w);
    dp_jsonw_key(&w, "file"), dp_jsonw_cstring(&w, path);
    dp_jsonw_key(&w, "format_version"), dp_jsonw_uint(&w, info.format_version);
    dp_jsonw_key(&w, "embed_dim"), dp_jsonw_uint(&w, info.embed_dim);
    dp_jsonw_key(&w, "hidden"), dp_jsonw_uint(&w, info.hidden);
    dp_jsonw_key(&w, "layers"), dp_jsonw_uint(&w, info.layers);
    dp_jsonw_key(&w, "out_dim"), dp_jsonw_uint(&w, info.out_dim);
    dp_jsonw_key(&w, "buckets"), dp_jsonw_uint(&w, info.buckets);
    dp_jsonw_key(&w, "params"), dp_jsonw_uint(&w, info.params);
    dp_jsonw_key(&w, "memory_bytes"), dp_jsonw_uint(&w, info.memory_bytes);
    dp_jsonw_key(&w, "pooling"), dp_jsonw_cstring(&w, info.pooling);
    dp_jsonw_key(&w, "dtype"), dp_jsonw_cstring(&w, info.dtype);
    dp_jsonw_key(&w, "hash_seed"), dp_jsonw_uint(&w, info.hash_seed);
    dp_jsonw_key(&w, "minn"), dp_jsonw_uint(&w, info.minn);
    dp_jsonw_key(&w, "maxn"), dp_jsonw_uint(&w, info.maxn);
    dp_jsonw_key(&w, "strip_accents"), dp_jsonw_bool(&w, info.strip_accents != 0);
    dp_jsonw_key(&w, "metadata"), dp_jsonw_cstring(&w, doppel_model_metadata(m));
    dp_jsonw_object_end(&w);
    dp_jsonw_newline(&w);
    int ok = dp_jsonw_ok(&w) && fflush(stdout) == 0;
    doppel_model_free(m);
    if (!ok) {
        fprintf(stderr, "doppel info: cannot write to standard output\n");
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}
