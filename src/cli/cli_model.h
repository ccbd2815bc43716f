/* Finding and loading the model for the commands that need one (info, embed, pairs, compare). */
#ifndef DP_CLI_MODEL_H
#define DP_CLI_MODEL_H

#include "model/model.h"
#include "model/modelfile.h"

/* Text for --help, listing the search order. */
#define CLI_MODEL_HELP                                                                  \
    "  -m, --model FILE   model file; otherwise $DOPPEL_MODEL, then the installed\n"     \
    "                     default.dpm, then corpora/models/default.dpm of the source\n" \
    "                     tree\n"

/*
 * Chooses the model (option may be NULL) and loads it. On failure prints a message that
 * names the file, or every place looked at when none was found, and returns EXIT_RUNTIME.
 * *path is the chosen file name (not to be freed). info may be NULL.
 */
int cli_model_load(const char *option, dp_model **out, dp_model_file_info *info, const char **path);

#endif
