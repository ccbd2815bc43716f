/* What the commands on doppel.h take from the command line, in public types: the
 * --template files, the pair-finding options, the documents to read, the report's format
 * and where it goes. */
#ifndef DP_CLI_INPUT_H
#define DP_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/output.h"
#include "doppel.h"

/* Hands one template's bytes on (doppel_index_add_template, or a sweep's own). */
typedef int (*cli_template_fn)(void *ctx, const char *bytes, size_t len, doppel_diag *diag);

/* Reads each --template file whole and hands it to add. On failure prints a message
 * naming the file and returns EXIT_RUNTIME. */
int cli_read_templates(const char *const *templates, size_t n, cli_template_fn add, void *ctx);

/* The report format as a DOPPEL_FORMAT_*: -f FORMAT when given (pan only when pan_ok),
 * else out_path's extension (NULL or "-": a table on a terminal, else JSON Lines); false
 * after printing a usage error naming cmd. */
bool cli_write_format(const char *cmd, const char *format_opt, const char *out_path, bool pan_ok, int *fmt);

/* Wall seconds since t0 (CLOCK_MONOTONIC). */
double cli_seconds_since(const struct timespec *t0);

/* The width the terminal table fits: the terminal's, else $COLUMNS, else 80. */
int cli_columns(void);

/* The pair-finding options sweep and index query share: their long-option ids, their
 * struct option entries (to put in a command's table), and their parsing. */
enum { CLI_O_MINMATCH = 512, CLI_O_MAXDOCS, CLI_O_TOPK, CLI_O_ALLPAIRS, CLI_O_SENTTHR, CLI_O_ALLPAIRSLIMIT };
#define CLI_PAIR_LONGOPTS                                                                                        \
    {"threshold", required_argument, NULL, 't'}, {"min-match", required_argument, NULL, CLI_O_MINMATCH},         \
        {"max-docs", required_argument, NULL, CLI_O_MAXDOCS}, {"top-k", required_argument, NULL, CLI_O_TOPK},    \
        {"all-pairs", no_argument, NULL, CLI_O_ALLPAIRS}, {"sentence-threshold", required_argument, NULL, CLI_O_SENTTHR}, \
        {"all-pairs-limit", required_argument, NULL, CLI_O_ALLPAIRSLIMIT}

/* Option c (with its argument) into o: 1 when it is one of CLI_PAIR_LONGOPTS, -1 when its
 * value is bad (the message printed), 0 when it is not one of them. */
int cli_pair_opt(const char *cmd, int c, const char *arg, doppel_index_opts *o);

/* A warning when a threshold of o is left at its default, which was calibrated for the
 * shipped model, and the vectors come from another (model_id, its doppel_model_identity;
 * 0: no vectors), named by what. */
void cli_warn_uncalibrated_id(const char *what, uint32_t model_id, const doppel_index_opts *o);

/* How the program reads a document: its format's text (.docx, .pdf, ... as `doppel
 * sweep` reads them), a folder as one --by-dir submission, reports refused. */
typedef struct cli_reader cli_reader;

/* keep_extracted: offsets stay in the extracted text (for an HTML report, which shows it).
 * On failure prints why and returns EXIT_RUNTIME. */
int cli_reader_open(cli_reader **out, bool keep_extracted);
void cli_reader_free(cli_reader *r);

/* A document as read. */
typedef struct cli_document {
    char *bytes;            /* NUL after the last */
    size_t len;
    bool extracted;         /* its offsets index text extracted from its file */
    doppel_doc_part *parts; /* a folder's files, else NULL */
    size_t n_parts;
    char **part_paths_;     /* owns the parts' paths */
} cli_document;

/* FILE read by r ("-": stdin, as it is); a file that is no document (binary, empty, a
 * report) is refused naming why. EXIT_OK, or EXIT_RUNTIME after printing why. */
int cli_read_document(cli_reader *r, const char *file, cli_document *doc);
void cli_document_clear(cli_document *doc);

/* The sources of one corpus: PATH arguments, --jsonl files and --list files. */
typedef struct cli_sources {
    const char *const *paths;
    int n_paths;
    const char *const *jsonl;
    size_t n_jsonl;
    const char *const *lists;
    size_t n_lists;
    const struct dp_dist *dist; /* --mpi: each process adds the lines of its byte range of the
                                 * lists (dp_corpus_add_lists); NULL: every line */
} cli_sources;

/* How a corpus is read besides its formats (as cli_reader reads a file). */
typedef struct cli_docs_opts {
    const char *const *include; /* --include globs of files found in folders (any: none given) */
    size_t n_include;
    const char *const *exclude; /* --exclude globs */
    size_t n_exclude;
    size_t max_bytes;           /* --max-bytes; 0: the default */
    bool by_dir;                /* each entry of a PATH is one document */
} cli_docs_opts;

/* The documents of a corpus, read as `doppel sweep` reads them. */
typedef struct cli_docs cli_docs;

/* One entry of a corpus, valid until the next cli_docs_next. */
typedef struct cli_doc {
    const char *id;     /* the path (a --by-dir submission's folder), or the --jsonl id */
    const char *bytes;  /* a document's bytes (NUL after the last), NULL when skipped */
    size_t len;
    const char *reason; /* NULL for a document, else why it is skipped */
    bool duplicate;     /* skipped: another name of a document read already (said, not kept) */
    bool is_path;       /* a document read from the file (or folder) its id names */
    bool extracted;     /* its offsets index text extracted from its file */
} cli_doc;

/* The corpus of src read with o (its globs must outlive *out). EXIT_OK, or EXIT_RUNTIME
 * after printing a message naming the source (the caller frees *out, NULL or not). */
int cli_docs_open(cli_docs **out, const cli_docs_opts *o, const cli_sources *src);
/* The next entry in *doc, NULL after the last. EXIT_OK, or EXIT_RUNTIME after printing
 * why (out of memory, a --jsonl file that cannot be read further). */
int cli_docs_next(cli_docs *docs, const cli_doc **doc);
void cli_docs_free(cli_docs *docs);

#endif
