/*
 * doppel-io — reading documents from the file system for libdoppel, which itself takes
 * bytes and reads no directories. The library the doppel program reads its inputs with:
 * files and directories (walked in byte-wise name order, depth first), --by-dir
 * submissions, lists of paths and JSON Lines collections, with the program's rules for
 * what is skipped (empty, binary, unreadable, too large, symlink loops, a file reached
 * twice, malformed or repeated JSONL ids). Conventions as in <doppel.h>: opaque handles,
 * error codes, an optional doppel_diag, size-tagged options, no global state. A corpus
 * belongs to one thread at a time.
 *
 *   cc prog.c $(pkg-config --cflags --libs doppel-io doppel)
 */
#ifndef DOPPEL_IO_H
#define DOPPEL_IO_H

#include <doppel.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DOPPEL_IO_BUILDING) && defined(__GNUC__)
#define DOPPEL_IO_API __attribute__((visibility("default")))
#else
#define DOPPEL_IO_API
#endif

typedef struct doppel_corpus doppel_corpus;

/* Start from doppel_corpus_opts_default(): see doppel_index_opts for the size tag. */
typedef struct doppel_corpus_opts {
    size_t size;
    uint64_t max_bytes; /* larger documents are skipped (4 MiB) */
    int by_dir;         /* each entry directly under a path added is one document: a plain
                         * file, or a directory's files (recursively, in name order) joined
                         * with a blank line ("\n\n") between them (0) */
} doppel_corpus_opts;

DOPPEL_IO_API void doppel_corpus_opts_default(doppel_corpus_opts *o);

/* opts NULL: defaults. */
DOPPEL_IO_API int doppel_corpus_create(doppel_corpus **out, const doppel_corpus_opts *opts, doppel_diag *diag);
DOPPEL_IO_API void doppel_corpus_free(doppel_corpus *c);

/* Sources, read in the order added. A path that does not exist is DOPPEL_ERR_NOT_FOUND;
 * trouble below it (and in a list or a JSONL file) comes out as skipped entries. */
DOPPEL_IO_API int doppel_corpus_add_path(doppel_corpus *c, const char *path, doppel_diag *diag);
/* A file naming one path per line (blank lines ignored). */
DOPPEL_IO_API int doppel_corpus_add_list(doppel_corpus *c, const char *list_path, doppel_diag *diag);
/* One {"id": string or integer, "text": string} per line; a document's offsets are
 * into the UTF-8 bytes of its text; a malformed line is skipped as "FILE:LINE". */
DOPPEL_IO_API int doppel_corpus_add_jsonl(doppel_corpus *c, const char *jsonl_path, doppel_diag *diag);

typedef struct doppel_corpus_entry {
    const char *id;     /* the path as found (a --by-dir submission: its directory), or the JSONL id */
    const char *bytes;  /* a document's original bytes (NUL after the last), NULL when skipped */
    size_t len;
    const char *reason; /* NULL for a document, else why it is skipped ("binary", ...) */
    int in_submission;  /* skipped: a file left out of its by-dir submission, which goes on
                         * without it (not a skipped document) */
} doppel_corpus_entry;

/* The next document or skipped entry in *entry (valid until the next call or
 * doppel_corpus_free), or *entry NULL after the last. Fails only on out of memory or
 * when a JSONL file cannot be read further. */
DOPPEL_IO_API int doppel_corpus_next(doppel_corpus *c, const doppel_corpus_entry **entry, doppel_diag *diag);

/* Why bytes are not a text document ("empty", "binary"), or NULL when they are: the
 * rule the corpus skips by (a byte-order mark means text). Static strings. Since 1.2. */
DOPPEL_IO_API const char *doppel_sniff(const char *bytes, size_t len);

/* A whole file (a template, say) into *bytes (malloc'd, NUL after the last byte; free it
 * with free()); DOPPEL_ERR_TOO_LARGE above max_bytes (0: 4 MiB). */
DOPPEL_IO_API int doppel_read_file(const char *path, uint64_t max_bytes, char **bytes, size_t *len, doppel_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* DOPPEL_IO_H */
