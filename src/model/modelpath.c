#include "model/modelpath.h"

#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "doppel_config.h"

const char *doppel_model_default_path(void) { return DOPPEL_DATADIR "/default.dpm"; }

int dp_model_path_find(dp_model_path *res, const char *option, const char *env, const char *const *defaults,
                       size_t ndefaults, doppel_diag *diag)
{
    memset(res, 0, sizeof *res);
    if (option && *option) {
        res->path = option, res->source = "--model";
        return DOPPEL_OK;
    }
    if (env && *env) {
        res->path = env, res->source = "$DOPPEL_MODEL";
        return DOPPEL_OK;
    }
    for (size_t i = 0; i < ndefaults && i < DP_MODELPATH_MAX_TRIED; i++) {
        res->tried[res->ntried++] = defaults[i];
        if (access(defaults[i], F_OK) == 0) {
            res->path = defaults[i], res->source = "default";
            return DOPPEL_OK;
        }
    }
    return dp_diag_set(diag, DOPPEL_ERR_NOT_FOUND, DP_NO_POS, DP_NO_POS,
                       "no model given (--model FILE or $DOPPEL_MODEL) and none at the %zu default locations",
                       res->ntried);
}
