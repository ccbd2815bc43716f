/* The model and encoder as the stages' internal types, for the commands that still drive
 * the stages directly (index, sweep, compare FILES, eval) rather than doppel.h. */
#ifndef DP_CLI_DPMODEL_H
#define DP_CLI_DPMODEL_H

#include "model/encoder.h"
#include "model/model.h"
#include "model/modelfile.h"

/* cli_model_find, then the model for encoding (an int8 embedding stays int8). info may
 * be NULL. Prints why on failure and returns EXIT_RUNTIME. */
int cli_model_load(const char *option, dp_model **out, dp_model_file_info *info, const char **path);

/* cli_model_load, then an encoder with `threads` workers, the given dp_precision and
 * single-threaded BLAS (the workers are the parallelism). */
int cli_encoder_open(const char *option, int threads, int precision, dp_model **m, dp_encoder **e,
                     const char **path);

/* --dtype, for the commands that write a model: its case in the getopt switch (setting
 * the dp_dtype var; a usage error for another name). */
#define CLI_DTYPE_CASE(cmd, opt, var)                                                          \
    case opt:                                                                                  \
        if (((var) = dp_dtype_parse(optarg)) < 0)                                              \
            return cli_usage_error(cmd, "--dtype expects fp32, fp16 or int8, got '%s'", optarg); \
        break;

#endif
