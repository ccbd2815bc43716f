/*
 * Report writers: the sweep streams its results into a dp_writer, whatever the
 * format. Call order: begin, then any mix of pair / skipped, then common (passages of
 * more than max_docs documents, after all pairs), then cluster (when clusters are
 * wanted), then end with the summary, then free.
 * Formats that need the whole picture (HTML overview, terminal table sorted by score)
 * keep copies of the pairs; JSONL and CSV write as results come.
 */
#ifndef DP_REPORT_WRITER_H
#define DP_REPORT_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "doppel.h"
#include "sweep/corpus.h"
#include "sweep/result.h"

typedef enum { DP_REPORT_JSONL, DP_REPORT_CSV, DP_REPORT_HTML, DP_REPORT_TABLE, DP_REPORT_PAN } dp_report_format;

/* JSONL "summary" lines carry this; bump it when a field changes meaning or a record
 * type or field is added (2: "common" records, the summary's "common_passages" and a
 * pair's "a_offsets"/"b_offsets"). */
#define DP_REPORT_SCHEMA_VERSION 2

/*
 * The original bytes of document `id`, for the HTML side-by-side view: a malloc'd
 * buffer the writer frees. Returning an error leaves that pair without its texts
 * (the report says so, with *why when the function set it to a one-line reason that
 * lives as long as the writer) rather than failing the report.
 */
typedef int (*dp_report_text_fn)(void *ctx, const char *id, char **bytes, size_t *len, const char **why);

/* HTML: what a pane shows of a document besides its passages. */
typedef struct dp_report_marks {
    const uint64_t *excluded; /* [2 * n_excluded] [start, end) spans of text that is not evidence
                               * (template, quotations, references), ascending, in the offsets
                               * of its text */
    size_t n_excluded;
    const dp_doc_part *parts; /* a --by-dir submission's files (sweep/corpus.h), or NULL */
    size_t n_parts;
} dp_report_marks;

typedef struct dp_report_opts {
    /* CSV has no row shape for skipped documents and clusters: they are written
     * here as text lines when non-NULL (the CLI passes stderr). */
    FILE *aside;
    dp_report_text_fn text; /* HTML: the documents' texts; NULL shows no texts */
    void *text_ctx;
    const char *title;      /* HTML <title> and heading; NULL: "doppel report" */
    int columns;            /* table: the width to fit (a terminal's); 0: 80 */
    /* HTML header: what was run, as label/value pairs (command line, version, model,
     * thresholds, date); about[2*i] is a label, about[2*i+1] its value. */
    const char *const *about;
    size_t n_about;
    float threshold;        /* HTML: the pair threshold, marked on the score histogram */
    /* PAN: the directory written whole at the end (texts from `text`), replacing an existing
     * non-empty one only with force; b_is_source: side b is always a source (--reference),
     * so only side a gets detections; documents (text_ctx): the compared documents, each of
     * which gets a file (NULL: those with detections) */
    const char *out_dir;
    bool force, b_is_source;
    void (*documents)(void *ctx, const char *const **ids, size_t *n);
    /* JSONL: "extracted" when document id's offsets index text extracted from its
     * file (a .docx, a .pdf) rather than the file's bytes, else NULL; may be NULL */
    const char *(*offsets)(void *ctx, const char *id);
    /* HTML: document id's marks (text_ctx), called after its text; the arrays live until
     * the next call. May be NULL (no marks). */
    int (*marks)(void *ctx, const char *id, dp_report_marks *out);
} dp_report_opts;

typedef struct dp_writer dp_writer;

typedef struct dp_writer_ops {
    int (*begin)(dp_writer *w);
    int (*pair)(dp_writer *w, const dp_pair_result *r);
    int (*skipped)(dp_writer *w, const dp_skipped *s);
    int (*cluster)(dp_writer *w, const char *const *members, size_t n);
    int (*end)(dp_writer *w, const dp_summary *s);
    void (*destroy)(dp_writer *w); /* frees format state and w itself */
    int (*common)(dp_writer *w, const dp_common_passage *c); /* NULL: the format lists none */
} dp_writer_ops;

/* The part every format shares; a format's state struct starts with it. */
struct dp_writer {
    const dp_writer_ops *ops;
    FILE *out;
    dp_report_opts opts;
};

/* Makes a writer of `format` onto `out` (not closed by the writer). opts may be NULL. */
int dp_writer_create(dp_writer **w, dp_report_format format, FILE *out,
                     const dp_report_opts *opts, doppel_diag *diag);
void dp_writer_free(dp_writer *w);

/* Each returns DOPPEL_OK, DOPPEL_ERR_NOMEM, or DOPPEL_ERR_IO on a write error. */
int dp_writer_begin(dp_writer *w);
int dp_writer_pair(dp_writer *w, const dp_pair_result *r);
int dp_writer_skipped(dp_writer *w, const dp_skipped *s);
int dp_writer_cluster(dp_writer *w, const char *const *members, size_t n);
int dp_writer_common(dp_writer *w, const dp_common_passage *c);
int dp_writer_end(dp_writer *w, const dp_summary *s);

/* The first line of a CSV report. */
#define DP_REPORT_CSV_HEADER "a,b,score,passages,a_coverage,b_coverage\r\n"

/* Why bytes are one of the reports doppel writes (HTML, JSON Lines, CSV) and so not a
 * document, or NULL: a dp_corpus_reject_fn. */
const char *dp_report_sniff(const char *bytes, size_t len);

/* "jsonl", "csv", "html", "table", "pan" → format; false for anything else. */
bool dp_report_format_parse(const char *name, dp_report_format *out);

/* Format constructors, behind dp_writer_create. */
int dp_writer_jsonl_create(dp_writer **w);
int dp_writer_csv_create(dp_writer **w);
int dp_writer_html_create(dp_writer **w);
int dp_writer_table_create(dp_writer **w);
int dp_writer_pan_create(dp_writer **w);

/* A CSV field: quoted when it holds a comma, quote, CR or LF; quotes are doubled. */
void dp_csv_field(FILE *f, const char *s);

/* Helper for writers: DOPPEL_ERR_IO when the stream has a write error. */
int dp_writer_io_status(const dp_writer *w);

#endif
