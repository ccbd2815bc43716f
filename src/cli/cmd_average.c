/* doppel average: a weighted average of two models of one architecture (model/average.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_dpmodel.h"
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/diag.h"
#include "model/average.h"
#include "model/modelfile.h"

/* The averaged model's table storage unless --dtype says otherwise. */
#define DEFAULT_DTYPE DP_DTYPE_INT8

static int usage(void)
{
    printf("Usage: doppel average A B --weight T -o FILE [--dtype T]\n\n"
           "Writes the model (1 - T) * A + T * B, parameter by parameter (A and B of one\n"
           "architecture, e.g. a model and one trained on from it).\n\n"
           "Options:\n"
           "      --weight T         the weight of B, 0..1 (required)\n"
           "  -o, --output FILE      model file to write (required)\n"
           "      --dtype T          embedding storage: fp32, fp16 or int8 (%s)\n" CLI_HELP_HELP,
           dp_dtype_name(DEFAULT_DTYPE));
    return EXIT_OK;
}

enum { OPT_WEIGHT = 256, OPT_DTYPE };

int cmd_average(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"weight", required_argument, NULL, OPT_WEIGHT},
        {"output", required_argument, NULL, 'o'},
        {"dtype", required_argument, NULL, OPT_DTYPE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    double weight = -1;
    int dtype = DEFAULT_DTYPE, c;
    while ((c = cli_getopt("average", argc, argv, "o:h", longopts)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_WEIGHT:
            if (!cli_parse_double("average", "--weight", optarg, 0, 1, &weight))
                return EXIT_USAGE;
            break;
        CLI_DTYPE_CASE("average", OPT_DTYPE, dtype)
        case 'h': return usage();
        default: return EXIT_USAGE;
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("average", "expects two model files A and B");
    if (!output)
        return cli_usage_error("average", "-o FILE is required");
    if (weight < 0)
        return cli_usage_error("average", "--weight T is required");
    const char *pa = argv[optind], *pb = argv[optind + 1];
    doppel_diag d;
    dp_diag_clear(&d);
    dp_model *a = NULL, *b = NULL, *m = NULL;
    int rc = dp_model_load(&a, pa, &d);
    if (rc)
        return cli_runtime_error(pa, rc, &d);
    if ((rc = dp_model_load(&b, pb, &d))) {
        dp_model_free(a);
        return cli_runtime_error(pb, rc, &d);
    }
    rc = dp_model_average(&m, a, b, (float)weight, &d);
    dp_model_free(a);
    dp_model_free(b);
    if (rc)
        return cli_runtime_error(NULL, rc, &d);
    char meta[96];
    snprintf(meta, sizeof meta, "doppel average: weight %g of the second model", weight);
    dp_atomic_remove_stale(output);
    rc = dp_model_save(m, output, (dp_dtype)dtype, meta, &d);
    dp_model_free(m);
    if (rc)
        return cli_runtime_error(output, rc, &d);
    return EXIT_OK;
}
