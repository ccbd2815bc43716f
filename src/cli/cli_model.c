#include "cli/cli_model.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "model/modelpath.h"

int cli_model_load(const char *option, dp_model **out, dp_model_file_info *info, const char **path)
{
    *out = NULL;
    *path = NULL;
    const char *defaults[DP_MODELPATH_MAX_TRIED];
    size_t nd = dp_model_default_paths(defaults);
    dp_model_path mp;
    doppel_diag d;
    dp_diag_clear(&d);
    if (dp_model_path_find(&mp, option, getenv("DOPPEL_MODEL"), defaults, nd, &d) != DOPPEL_OK) {
        fprintf(stderr, "doppel: no model found. Looked for:\n  --model FILE (not given)\n"
                        "  $DOPPEL_MODEL (not set)\n");
        for (size_t i = 0; i < mp.ntried; i++)
            fprintf(stderr, "  %s (no such file)\n", mp.tried[i]);
        fprintf(stderr, "Give a model with --model FILE, or create one with 'doppel train' or "
                        "'doppel init-model'.\n");
        return EXIT_RUNTIME;
    }
    *path = mp.path;
    int rc = dp_model_load_info(out, info, mp.path, &d);
    if (rc)
        return cli_runtime_error(mp.path, rc, &d);
    return EXIT_OK;
}
