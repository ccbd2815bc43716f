/*
 * The sweep's side of format extraction (src/io): which documents' offsets index
 * extracted text, taking an HTML file's offsets back to its bytes in the pairs
 * reported, and --dump-text.
 */
#ifndef DP_CLI_EXTRACT_H
#define DP_CLI_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/lms.h"
#include "io/reader.h"
#include "sweep/corpus.h"
#include "sweep/result.h"

typedef struct cli_extract {
    dp_io_reader *reader;
    const char *dump_dir; /* --dump-text, or NULL */
    bool keep_extracted;  /* offsets stay in the extracted text (the HTML report shows it) */
    dp_docsrc *docs;      /* by document number; zeroed for documents read as text */
    size_t n_docs, cap_docs;
    dp_passage *buf;      /* on_pair's translated passages */
    size_t cap_buf;
    dp_common_member *cbuf; /* on_common's */
    size_t cap_cbuf;
} cli_extract;

/* Sets up the reader and, with dump_dir, makes that directory (it may exist). On
 * failure prints a message and returns EXIT_RUNTIME. */
int cli_extract_init(cli_extract *x, const dp_extract_opts *opts, const char *dump_dir, bool keep_extracted);
void cli_extract_free(cli_extract *x);

/* The corpus options that read through the extraction. */
void cli_extract_hook(cli_extract *x, dp_corpus_opts *co);

/* --lms: a reader of the exports at paths[0, n), extracting through x. On failure
 * prints a message naming the export and returns EXIT_RUNTIME. */
int cli_lms_open(dp_lms **lms, dp_lms_kind kind, bool all_attempts, const dp_corpus_opts *co, cli_extract *x,
                 char *const *paths, int n);

/* How the offsets of the documents among items[0, n) read (dp_io_reader_take_many):
 * call once they are read (dp_corpus_load_many), before the next are. EXIT_OK, or
 * EXIT_RUNTIME after printing why. */
int cli_extract_take(cli_extract *x, const dp_corpus_item *items, size_t n, dp_docsrc *srcs);

/*
 * Document `num` of the sweep was added from `doc`, whose offsets read as *src
 * (cli_extract_take; taken over and zeroed): records it and writes its text under
 * --dump-text. Call with added false when the sweep refused it (it is forgotten).
 * EXIT_OK, or EXIT_RUNTIME after printing why.
 */
int cli_extract_doc(cli_extract *x, size_t num, const dp_corpus_item *doc, dp_docsrc *src, bool added);

/* Document num (of an index, not read here) has offsets into text extracted from its
 * file. DOPPEL_OK or DOPPEL_ERR_NOMEM. */
int cli_extract_mark(cli_extract *x, size_t num);

/* Document num's record (NULL when none was made). */
const dp_docsrc *cli_extract_record(const cli_extract *x, size_t num);

/* --mpi, rank 0: document num's record as the rank that read it made it (segs taken
 * over). DOPPEL_OK or DOPPEL_ERR_NOMEM. */
int cli_extract_put(cli_extract *x, size_t num, bool extracted, dp_textseg *segs, size_t n_segs);

/* --mpi: document num was dropped (an id another rank read first); the records after it
 * move down one. */
void cli_extract_remove(cli_extract *x, size_t num);

/* The pair to report: r itself, or a copy whose passages are in file bytes for
 * documents with a map (NULL when out of memory). */
const dp_pair_result *cli_extract_pair(cli_extract *x, const dp_pair_result *r, uint32_t a, uint32_t b,
                                       dp_pair_result *copy);

/* The same for a common passage; num_of gives a member's document number (or SIZE_MAX). */
const dp_common_passage *cli_extract_common(cli_extract *x, const dp_common_passage *c,
                                            size_t (*num_of)(void *ctx, const char *id), void *ctx,
                                            dp_common_passage *copy);

/* Whether document num's offsets in a report need its record here (they index extracted
 * text, or are taken back to the file's bytes): not a plain text document. */
bool cli_extract_maps(const cli_extract *x, size_t num);

/* "extracted" when document num's offsets index extracted text, else NULL. */
const char *cli_extract_offsets(const cli_extract *x, size_t num);

#endif
