/*
 * Which model file to use. Order: the --model option, then $DOPPEL_MODEL, then each
 * default location the program gives (doppel_model_default_path(), the installed one,
 * first; the library knows no other). An explicit choice (option or variable) is
 * used as given, even if missing, so a typo is reported rather than silently replaced.
 * The caller passes the environment value, so the library reads no global state.
 */
#ifndef DP_MODEL_MODELPATH_H
#define DP_MODEL_MODELPATH_H

#include <stddef.h>

#include "doppel.h"

#define DP_MODELPATH_MAX_TRIED 4

typedef struct dp_model_path {
    const char *path;                         /* the chosen file, or NULL if none found */
    const char *source;                       /* "--model", "$DOPPEL_MODEL", "default" */
    const char *tried[DP_MODELPATH_MAX_TRIED]; /* default locations looked at, in order */
    size_t ntried;
} dp_model_path;

/*
 * Chooses a model file: option or env (each may be NULL or "") win; otherwise the first of
 * defaults[0..ndefaults) that exists. DOPPEL_OK with res->path set, or DOPPEL_ERR_NOT_FOUND
 * with res->tried listing every place looked at (and a summary in diag).
 */
int dp_model_path_find(dp_model_path *res, const char *option, const char *env, const char *const *defaults,
                       size_t ndefaults, doppel_diag *diag);

#endif
