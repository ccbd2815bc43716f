/*
 * Format extraction wired into corpus reading: dp_io_reader_read is the corpus's
 * read hook (sweep/corpus.h), and dp_io_reader_take says, for each document the
 * corpus yields, how its offsets read (bytes of the file, or of the extracted text)
 * and, for an HTML file, the map back to the file's bytes.
 */
#ifndef DP_IO_READER_H
#define DP_IO_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "io/extract.h"
#include "sweep/corpus.h"

/* How one document's offsets read. */
typedef struct dp_docsrc {
    const char *format; /* of a one-file document; NULL for text or several files */
    bool extracted;     /* offsets index the extracted text */
    dp_textseg *segs;   /* an HTML file: text offsets -> file bytes (owned) */
    size_t n_segs;
} dp_docsrc;

typedef struct dp_io_reader dp_io_reader;

int dp_io_reader_create(dp_io_reader **r, const dp_extract_opts *opts);
void dp_io_reader_free(dp_io_reader *r);

/* Files whose own bytes this rejects (a report doppel wrote) are skipped with its
 * reason before any extraction (the corpus sees only their text). */
void dp_io_reader_reject(dp_io_reader *r, dp_corpus_reject_fn reject);

/* The corpus read hook (ctx: the reader). */
int dp_io_reader_read(void *ctx, const char *path, size_t max_bytes, char **bytes, size_t *len, char **reason,
                      bool *handled);

/* Extracts bytes of a file named `name` (not read from disk: a member of an archive)
 * as the read hook would, recording it under `name`. */
int dp_io_reader_convert(dp_io_reader *r, const char *name, const char *bytes, size_t len, size_t max_bytes,
                         char **text, size_t *text_len, char **reason, bool *handled);

/* Records that file `name` (an archive member) has no offsets of its own: a document
 * joining it has offsets into its extracted text. */
int dp_io_reader_note(dp_io_reader *r, const char *name);

/* How the offsets of `doc` (a document dp_corpus_next or the LMS reader just
 * yielded) read; forgets what it recorded of the files read so far. */
int dp_io_reader_take(dp_io_reader *r, const dp_corpus_item *doc, dp_docsrc *out);
/* The same for the documents among items[0, n), read together (dp_corpus_load on
 * several threads: the read hook records under a lock): outs[i] for items[i] (zeroed
 * for one that is not a document); then forgets the rest. */
int dp_io_reader_take_many(dp_io_reader *r, const dp_corpus_item *items, size_t n, dp_docsrc *outs);
void dp_docsrc_free(dp_docsrc *d);

/* Text offset `off` of a document with this source as a byte offset of its file
 * (start or end of a span); unchanged unless the document has a map. */
uint64_t dp_docsrc_start(const dp_docsrc *d, uint64_t off);
uint64_t dp_docsrc_end(const dp_docsrc *d, uint64_t off);

#endif
