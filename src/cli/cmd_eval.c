/* doppel eval: how well a model's cosine tracks the labels of a pair data set. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "cli/cli.h"
#include "cli/cli_data.h"
#include "cli/cli_dpmodel.h"
#include "cli/cli_model.h"
#include "cli/commands.h"
#include "core/diag.h"
#include "core/jsonw.h"
#include "model/encoder.h"
#include "train/evaluate.h"
#include "train/tfidf.h"

static int usage(void)
{
    printf("Usage: doppel eval --data FILE --format FORMAT [OPTIONS]\n\n"
           "Embeds both texts of every pair as `doppel embed` does, takes their cosine and prints, as one JSON object,\n"
           "Spearman and Pearson correlation for graded scores (stsb, sick, tsv with scores) or\n"
           "ROC-AUC and the best-threshold accuracy for 0/1 labels (msrp, paws, tsv, topic: the\n"
           "topic check corpora/models/selection/topic_check.tsv, paraphrases against pairs on one\n"
           "topic that mean something else).\n"
           "With --baseline tfidf no model is used: the cosine is that of character 3-5-gram TF-IDF\n"
           "vectors (n-grams of each lowercased word padded with spaces, sublinear tf, idf fitted on\n"
           "the evaluated texts), the same numbers as corpora/models/tfidf_baseline.py.\n\n"
           "Options:\n"
           "      --data FILE        pairs to score (required)\n"
           "      --format F         %s\n"
           "                         (required)\n"
           CLI_MODEL_HELP
           "      --baseline tfidf   the lexical baseline instead of a model (also: --tfidf)\n"
           "      --threads N        encoder threads (default " CLI_STR(CLI_DEFAULT_THREADS) ")\n"
           "      --precision P      the encoder's arithmetic: fp32 (default: the model's\n"
           "                         own figures), int8 or auto (what other commands encode\n"
           "                         with)\n"
           CLI_HELP_HELP,
           CLI_DATA_FORMATS);
    return EXIT_OK;
}

enum { OPT_DATA = 256, OPT_FORMAT, OPT_THREADS, OPT_BASELINE, OPT_TFIDF };

/* model NULL: the TF-IDF baseline. */
static void print_json(const char *model, const char *data, dp_data_format fmt, const dp_eval_result *r)
{
    dp_jsonw w;
    dp_jsonw_init(&w, stdout);
    dp_jsonw_object_begin(&w);
    dp_jsonw_key(&w, model ? "model" : "baseline");
    dp_jsonw_cstring(&w, model ? model : "tfidf");
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
        {"model", required_argument, NULL, 'm'},       {"threads", required_argument, NULL, OPT_THREADS},
        {"baseline", required_argument, NULL, OPT_BASELINE}, {"tfidf", no_argument, NULL, OPT_TFIDF},
        {"help", no_argument, NULL, 'h'},              CLI_PRECISION_OPTION,
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *model_opt = NULL;
    int tfidf = 0;
    dp_data_format fmt = 0;
    long threads = CLI_DEFAULT_THREADS;
    int c, precision = DP_PRECISION_FP32;
    while ((c = cli_getopt("eval", argc, argv, "m:h", longopts)) != -1) {
        switch (c) {
        case OPT_DATA: data = optarg; break;
        case OPT_FORMAT:
            if (!(fmt = dp_data_format_parse(optarg)))
                return cli_usage_error("eval", "--format expects %s, got '%s'", CLI_DATA_FORMATS, optarg);
            break;
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("eval", precision)
        case OPT_THREADS:
            if (!cli_parse_long("eval", "--threads", optarg, 1, DP_ENCODER_MAX_THREADS, &threads))
                return EXIT_USAGE;
            break;
        case OPT_BASELINE:
            if (strcmp(optarg, "tfidf") != 0)
                return cli_usage_error("eval", "--baseline expects tfidf, got '%s'", optarg);
            tfidf = 1;
            break;
        case OPT_TFIDF: tfidf = 1; break;
        case 'h': return usage();
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("eval", "unexpected argument '%s'", argv[optind]);
    if (!data || !fmt)
        return cli_usage_error("eval", "--data FILE and --format FORMAT are required");
    if (fmt == DP_DATA_TRIPLETS || fmt == DP_DATA_GROUPS || fmt == DP_DATA_PROSE || fmt == DP_DATA_BROWN)
        return cli_usage_error("eval", "%s data has no labels to evaluate against", dp_data_format_name(fmt));
    if (tfidf && model_opt)
        return cli_usage_error("eval", "--baseline tfidf uses no model: drop --model");

    dp_model *m = NULL;
    const char *model_path = NULL;
    int ex = tfidf ? EXIT_OK : cli_model_load(model_opt, &m, NULL, &model_path);
    if (ex)
        return ex;
    dp_dataset ds;
    dp_dataset_init(&ds);
    dp_encoder *enc = NULL;
    double *cos = NULL;
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
    openblas_set_num_threads(1); /* the encoder's threads are the parallelism */
    if (!(cos = malloc(ds.n * sizeof *cos)))
        rc = DOPPEL_ERR_NOMEM;
    else if (tfidf)
        rc = dp_tfidf_cosines(&ds, 0, ds.n, cos, &d);
    else if (!(rc = dp_encoder_create(&enc, m, (int)threads, &d)) &&
             !(rc = dp_encoder_set_precision(enc, (dp_precision)precision, &d))) {
        what = model_path;
        rc = dp_eval_cosines(enc, m->cfg.out_dim, &ds, 0, ds.n, cos, &d);
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
    dp_encoder_free(enc);
    dp_dataset_free(&ds);
    dp_model_free(m);
    return ex;
}
