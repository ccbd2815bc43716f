/* What the commands that write a report share (sweep, index query): timing and closing. */
#ifndef DP_CLI_REPORT_H
#define DP_CLI_REPORT_H

#include <time.h>

#include "cli/cli_input.h"
#include "core/output.h"
#include "report/writer.h"
#include "sweep/sweep.h"

/* Option c (with its argument) into so: 1 when it is one of CLI_PAIR_LONGOPTS, -1 when its
 * value is bad (the message printed), 0 when it is not one of them. */
int cli_pair_option(const char *cmd, int c, const char *arg, dp_sweep_opts *so);

/* A warning when a threshold of so is left at its default, which was calibrated for the
 * shipped model, and the vectors come from another, named by what: model when it is loaded,
 * else model_id, the dp_model_identity an index recorded (0: no vectors). The model is
 * hashed only when a default is in use. */
void cli_warn_uncalibrated(const char *what, const dp_model *model, uint32_t model_id, const dp_sweep_opts *so);

/* The report format: --format's name when given, else the output file's extension, else
 * a table on a terminal and JSON Lines otherwise. False (message printed) for an unknown
 * --format, or pan (a directory of files) where the command has no pan_ok. */
bool cli_report_format(const char *cmd, const char *format_opt, const char *out_path, bool pan_ok,
                       dp_report_format *fmt);

/* CPU seconds (user and system, every thread) this process has used. */
double cli_cpu_seconds(void);


/*
 * Ends the report with its summary and puts the output in place (renamed over
 * out_path when it is a file). On success out->f is NULL and EXIT_OK is returned;
 * on failure prints a message naming out_path and returns EXIT_RUNTIME (the caller
 * still aborts the output).
 */
int cli_report_finish(doppel_writer *w, dp_output *out, const char *out_path, const doppel_write_summary *sum);

/* Sets m's grey spans to document d's excluded text, held in *buf (grown as needed, the
 * caller frees it). DOPPEL_OK or DOPPEL_ERR_NOMEM. */
int cli_marks_excluded(const dp_sweep_doc *d, uint64_t **buf, size_t *cap, doppel_marks *m);

#endif
