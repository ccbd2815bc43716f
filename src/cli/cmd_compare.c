/* doppel compare: the cosine of two texts (two files, or --text A B). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_model.h"
#include "cli/commands.h"
#include "core/diag.h"
#include "core/readfile.h"

int cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"text", no_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL;
    int literal = 0, c;
    while ((c = cli_getopt("compare", argc, argv, "m:th", longopts)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        case 't': literal = 1; break;
        case 'h':
            printf("Usage: doppel compare [OPTIONS] FILE_A FILE_B\n"
                   "       doppel compare [OPTIONS] --text TEXT_A TEXT_B\n\n"
                   "Prints the cosine similarity of two texts, each encoded as one sentence\n"
                   "(the first 128 tokens count; use 'doppel pairs' for many pairs).\n\n"
                   "Options:\n" CLI_MODEL_HELP "  -t, --text         the arguments are the texts, not file names\n"
                   "  -h, --help         this help\n");
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("compare", "expects two %s, got %d", literal ? "texts" : "files", argc - optind);

    char *data[2] = {NULL, NULL};
    size_t lens[2];
    const char *texts[2];
    int rc = EXIT_OK;
    for (int i = 0; i < 2 && !rc; i++) {
        const char *arg = argv[optind + i];
        if (literal) {
            texts[i] = arg, lens[i] = strlen(arg);
            continue;
        }
        doppel_diag d;
        dp_diag_clear(&d);
        int err = dp_read_file(arg, (size_t)1 << 30, &data[i], &lens[i], &d);
        if (err)
            rc = cli_runtime_error(arg, err, &d);
        texts[i] = data[i];
    }
    dp_model *m = NULL;
    dp_encoder *e = NULL;
    const char *mpath;
    if (!rc)
        rc = cli_encoder_open(model_opt, 1, &m, &e, &mpath);
    if (!rc) {
        size_t od = m->cfg.out_dim;
        float *v = malloc(2 * od * sizeof *v);
        doppel_diag d;
        dp_diag_clear(&d);
        int err = v ? dp_encoder_encode(e, texts, lens, 2, v, &d) : DOPPEL_ERR_NOMEM;
        if (err)
            rc = cli_runtime_error(NULL, err, &d);
        else
            printf("%.6f\n", cli_cosine(v, v + od, od));
        free(v);
    }
    dp_encoder_free(e);
    dp_model_free(m);
    free(data[0]), free(data[1]);
    return rc;
}
