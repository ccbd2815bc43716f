/* doppel eval: how well a model's cosine tracks the labels of a pair data set. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_data.h"
#include "cli/cli_model.h"
#include "cli/commands.h"
#include "core/diag.h"
#include "core/jsonw.h"
#include "model/net.h"
#include "train/evaluate.h"
#include "train/featset.h"

static int usage(void)
{
    printf("Usage: doppel eval --data FILE --format FORMAT [OPTIONS]\n\n"
           "Embeds both texts of every pair, takes their cosine and prints, as one JSON object,\n"
           "Spearman and Pearson correlation for graded scores (stsb, sick, tsv with scores) or\n"
           "ROC-AUC and the best-threshold accuracy for 0/1 labels (msrp, paws, tsv).\n\n"
           "Options:\n"
           "      --data FILE      pairs to score (required)\n"
           "      --format F       %s (required)\n"
           CLI_MODEL_HELP
           "      --batch N        pairs per forward pass (64)\n"
           "      --max-tokens N   tokens kept per text (64, as in training)\n"
           "  -h, --help           this help\n",
           CLI_DATA_FORMATS);
    return EXIT_OK;
}

enum { OPT_DATA = 256, OPT_FORMAT, OPT_BATCH, OPT_MAXTOK };

static void print_json(const char *model, const char *data, dp_data_format fmt, const dp_eval_result *r)
{
    dp_jsonw w;
    dp_jsonw_init(&w, stdout);
    dp_jsonw_object_begin(&w);
    dp_jsonw_key(&w, "model");
    dp_jsonw_cstring(&w, model);
    dp_jsonw_key(&w, "data");
    dp_jsonw_cstring(&w, data);
    dp_jsonw_key(&w, "format");
    dp_jsonw_cstring(&w, dp_data_format_name(fmt));
    dp_jsonw_key(&w, "pairs");
    dp_jsonw_uint(&w, r->n);
    const char *keys[3] = {"spearman", "pearson", NULL};
    double vals[3] = {r->spearman, r->pearson, 0};
    if (!r->graded) {
        keys[0] = "roc_auc", keys[1] = "accuracy", keys[2] = "threshold";
        vals[0] = r->auc, vals[1] = r->accuracy, vals[2] = r->threshold;
    }
    for (int i = 0; i < 3 && keys[i]; i++) {
        dp_jsonw_key(&w, keys[i]);
        dp_jsonw_double(&w, vals[i]);
    }
    dp_jsonw_object_end(&w);
    dp_jsonw_newline(&w);
}

int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, OPT_DATA},   {"format", required_argument, NULL, OPT_FORMAT},
        {"model", required_argument, NULL, 'm'},       {"batch", required_argument, NULL, OPT_BATCH},
        {"max-tokens", required_argument, NULL, OPT_MAXTOK}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *model_opt = NULL;
    dp_data_format fmt = 0;
    long batch = 64, max_tokens = 64;
    int c;
    while ((c = cli_getopt("eval", argc, argv, "m:h", longopts)) != -1) {
        switch (c) {
        case OPT_DATA: data = optarg; break;
        case OPT_FORMAT:
            if (!(fmt = dp_data_format_parse(optarg)))
                return cli_usage_error("eval", "--format expects %s, got '%s'", CLI_DATA_FORMATS, optarg);
            break;
        case 'm': model_opt = optarg; break;
        case OPT_BATCH:
            if (!cli_parse_long("eval", "--batch", optarg, 1, 4096, &batch))
                return EXIT_USAGE;
            break;
        case OPT_MAXTOK:
            if (!cli_parse_long("eval", "--max-tokens", optarg, 1, 100000, &max_tokens))
                return EXIT_USAGE;
            break;
        case 'h': return usage();
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("eval", "unexpected argument '%s'", argv[optind]);
    if (!data || !fmt)
        return cli_usage_error("eval", "--data FILE and --format FORMAT are required");
    if (fmt == DP_DATA_TRIPLETS)
        return cli_usage_error("eval", "triplets have no labels to evaluate against");

    dp_model *m;
    const char *model_path;
    int ex = cli_model_load(model_opt, &m, NULL, &model_path);
    if (ex)
        return ex;
    dp_dataset ds;
    dp_dataset_init(&ds);
    dp_featset fs = {0};
    dp_net_ws *ws = NULL;
    float *cos = NULL;
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = DOPPEL_OK;
    if ((ex = cli_data_read(&ds, data, fmt)))
        goto out;
    if (ds.n == 0) {
        ex = cli_runtime_error(data, DOPPEL_ERR_EMPTY, NULL);
        goto out;
    }
    const char *what = data;
    if (!(rc = dp_featset_build(&fs, &ds, &m->cfg, (int)max_tokens, &d)) && !(rc = dp_net_ws_create(&ws, &m->cfg)) &&
        !(rc = (cos = malloc(ds.n * sizeof *cos)) ? DOPPEL_OK : DOPPEL_ERR_NOMEM)) {
        what = model_path;
        rc = dp_eval_cosines(m, ws, &fs, 0, ds.n, (int)batch, cos, &d);
    }
    dp_eval_result r;
    if (!rc)
        rc = dp_eval_metrics(&r, cos, &ds, 0, ds.n);
    if (rc) {
        ex = cli_runtime_error(what, rc, &d);
        goto out;
    }
    print_json(model_path, data, fmt, &r);
out:
    free(cos);
    dp_net_ws_free(ws);
    dp_featset_free(&fs);
    dp_dataset_free(&ds);
    dp_model_free(m);
    return ex;
}
