/* What the commands that write a report share (sweep, index query): timing and closing. */
#ifndef DP_CLI_REPORT_H
#define DP_CLI_REPORT_H

#include <time.h>

#include "report/writer.h"

/* Wall seconds since t0 (CLOCK_MONOTONIC). */
double cli_seconds_since(const struct timespec *t0);

/*
 * Ends the report with its summary and puts the output in place (renamed over
 * out_path when it is a file). On success out->f is NULL and EXIT_OK is returned;
 * on failure prints a message naming out_path and returns EXIT_RUNTIME (the caller
 * still aborts the output).
 */
int cli_report_finish(dp_writer *w, dp_report_output *out, const char *out_path, const dp_summary *sum);

/*
 * The HTML report's text (dp_report_text_fn) of a document of an index, which keeps no
 * texts: the file its id names is read again (ids are paths for documents read from
 * files). A --by-dir submission's id is its directory: its files are joined again as
 * when it was indexed. What cannot be read is not shown, and *why says so.
 */
int cli_index_doc_text(const char *id, char **bytes, size_t *len, const char **why);

#endif
