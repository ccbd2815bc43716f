/*
 * Reading a corpus into documents: an id and the original bytes of each.
 *
 * Sources are added first (PATHs walked recursively, --list files, --jsonl files),
 * which records only names; dp_corpus_next then yields one document at a time, so
 * at most one document's bytes are held here. Order is deterministic: sources in
 * the order added, files of a directory by byte-wise name order, depth first.
 *
 * Nothing about one bad document is fatal: empty, binary, unreadable, oversized
 * files, symlink loops, broken links and malformed --jsonl lines come out of
 * dp_corpus_next as skipped items with a reason, in order with the documents.
 * A file reached twice (named twice, or through a symlink: the same device and
 * inode) is one document, the later path skipped; a repeated id (--jsonl) is
 * skipped as "FILE:LINE" naming where the id was first seen.
 *
 * --by-dir: each entry directly under a PATH is one submission (a directory: all its
 * files, recursively, in name order; a plain file: itself). Its files are joined with
 * DP_CORPUS_PART_SEPARATOR between them, and parts[] maps the joined bytes back to
 * files: part i is bytes [start, start + len) of the document, byte 0 of file
 * parts[i].path. Offsets in a by-dir document are into the joined bytes; the
 * separator bytes belong to no file. Files of a submission should share one
 * encoding (each is checked for being binary or empty on its own).
 */
#ifndef DP_SWEEP_CORPUS_H
#define DP_SWEEP_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doppel.h"

/* Default for --max-bytes: documents above this are skipped. */
#define DP_CORPUS_DEFAULT_MAX_BYTES ((size_t)4 << 20)
/* How much of a file's start is inspected for NUL and control bytes. */
#define DP_CORPUS_SNIFF_BYTES 8192
/* Between the files of a by-dir submission, so words never run across files. */
#define DP_CORPUS_PART_SEPARATOR "\n\n"

/* Why bytes are not a document of the corpus though they are text (e.g. a report this
 * program wrote), or NULL. */
typedef const char *(*dp_corpus_reject_fn)(const char *bytes, size_t len);

/*
 * A reader for files that are not plain text (the program's format extraction: .docx,
 * .pdf, ...). It sets *handled when the file is its own, and then either *bytes and *len
 * (malloc'd text, NUL after the last byte) or *reason (malloc'd: why the file is
 * skipped); returns DOPPEL_OK, or DOPPEL_ERR_NOMEM. The text is then checked like a
 * file's bytes (empty, binary, reject), so the reader should apply reject to the file's
 * own bytes itself.
 */
typedef int (*dp_corpus_read_fn)(void *ctx, const char *path, size_t max_bytes, char **bytes, size_t *len,
                                 char **reason, bool *handled);

typedef struct dp_corpus_opts {
    size_t max_bytes; /* 0: DP_CORPUS_DEFAULT_MAX_BYTES */
    bool by_dir;
    /* Files found by walking a directory (not those named as PATHs or in a --list) are
     * taken when their name matches an include pattern (any, when there is none) and no
     * exclude pattern; fnmatch(3) patterns, matched against the file's name, or against
     * its whole path when the pattern holds a '/'. */
    const char *const *include;
    size_t n_include;
    const char *const *exclude;
    size_t n_exclude;
    dp_corpus_reject_fn reject; /* NULL: none; a rejected file is skipped with its reason */
    dp_corpus_read_fn read; /* NULL: every file is text */
    void *read_ctx;
    /* A repeated id is the caller's to find (a run split across processes, each reading
     * a share): dp_corpus_next yields it as a document, with item->where set. */
    bool ids_elsewhere;
} dp_corpus_opts;

typedef struct dp_doc_part {
    char *path;
    uint64_t start, len;
} dp_doc_part;

typedef enum { DP_CORPUS_DOC, DP_CORPUS_SKIPPED, DP_CORPUS_END } dp_corpus_item_kind;

/* One result of dp_corpus_next; every pointer is owned by the item. */
typedef struct dp_corpus_item {
    dp_corpus_item_kind kind;
    char *id;              /* DOC and SKIPPED */
    char *reason;          /* SKIPPED: why, e.g. "binary", "symlink loop" */
    char *bytes;           /* DOC: original bytes, NUL after the last (not counted) */
    size_t len;
    dp_doc_part *parts;    /* DOC in by-dir mode, else NULL */
    size_t n_parts;
    bool in_submission;    /* SKIPPED: a file left out of its --by-dir submission, which
                            * goes on without it (not a skipped document) */
    bool is_path;          /* DOC: the id is the path of its file or --by-dir folder (not a
                            * --jsonl id) */
    bool duplicate;        /* SKIPPED: another name of a document read already (the same
                            * file, a repeated --jsonl id), not a document of its own */
    char *where;           /* DOC with ids_elsewhere: "FILE:LINE" of a --jsonl line, else
                            * the id: how a skipped repeat is named, and where it was first */
    bool pending;          /* DOC from dp_corpus_next_unread: not read yet (a file: its id
                            * only; a --jsonl line: bytes are the line's) */
    const char *jsonl;     /* a --jsonl line's file (the corpus's string), else NULL */
    uint64_t lineno;       /* and its line number, from 1 */
} dp_corpus_item;

typedef struct dp_corpus dp_corpus;

int dp_corpus_create(dp_corpus **c, const dp_corpus_opts *opts);
void dp_corpus_free(dp_corpus *c);

/* A file or a directory (walked now, names only). A PATH that does not exist is an
 * error (DOPPEL_ERR_NOT_FOUND with diag); trouble below it becomes skipped items. */
int dp_corpus_add_path(dp_corpus *c, const char *path, doppel_diag *diag);
/* One --by-dir submission (a directory's files, or a plain file), joined as
 * dp_corpus_add_path joins each entry under its PATH; trouble becomes skipped items. */
int dp_corpus_add_submission(dp_corpus *c, const char *path);
/* One path per line (blank lines ignored); missing paths become skipped items.
 * Fails only when the list itself cannot be read. */
int dp_corpus_add_list(dp_corpus *c, const char *list_path, doppel_diag *diag);
/*
 * --list files laid end to end (B bytes in all) and split in byte ranges, for a run split
 * across n processes: process k adds the paths of the lines whose first byte lies in bytes
 * [B·k/n, B·(k+1)/n) (each file's byte 0 starts a line), as dp_corpus_add_list adds a
 * list's lines, reading only its range (and the line that crosses its end); k = 0, n = 1
 * adds every line of every file. The lists are added after every other source, so that
 * the units they make are the corpus's last. Each process stats every list (its size), so
 * a list that cannot be opened fails on every process (*at: which list, and diag); with
 * n > 1 so does a list that is not a regular file (a pipe is read once).
 */
int dp_corpus_add_lists(dp_corpus *c, const char *const *lists, size_t n_lists, size_t k, size_t n,
                        size_t *at, doppel_diag *diag);
/* The units dp_corpus_add_lists made (the corpus's last): one per file, submission or
 * skipped path of its lines. */
uint64_t dp_corpus_listed_units(const dp_corpus *c);

/*
 * A file reached twice across processes (one named on two lines of a --list, in the
 * ranges of two processes) is one document, as in one process. dp_corpus_listed_files
 * first finds the files this corpus holds twice, then lists its listed files and
 * submissions left (*files malloc'd, *n; unit: the entry's number among the listed
 * units; id: the corpus's string); the caller finds those of one device and inode across
 * the processes and makes each but the first of the job skipped, "the same file as"
 * `first`, by dp_corpus_same_file (which passes over a unit that is no file). Both before
 * the first dp_corpus_next; they fail only on out-of-memory.
 */
typedef struct dp_corpus_file {
    uint64_t dev, ino;
    const char *id;
    uint64_t unit;
} dp_corpus_file;
int dp_corpus_listed_files(dp_corpus *c, dp_corpus_file **files, size_t *n);
int dp_corpus_same_file(dp_corpus *c, uint64_t unit, const char *first);
/* One {"id": string or integer, "text": string} object per line, read lazily by
 * dp_corpus_next; a malformed line is a skipped item with id "FILE:LINE".
 * Offsets into such a document are into the UTF-8 bytes of its text. */
int dp_corpus_add_jsonl(dp_corpus *c, const char *jsonl_path, doppel_diag *diag);

/*
 * One line of a --jsonl file (line end included or not), line `lineno` of `file`, into
 * a zeroed *item: a document; a skipped item, with id "FILE:LINE" when the line is
 * malformed (not JSON, no string or integer "id", an empty id or one holding a NUL, no
 * string "text") or the document's id when its text is too large, empty or binary; or
 * DP_CORPUS_END when the line is blank. max_bytes 0: the default. Fails only on
 * out-of-memory. (dp_corpus_next reads lines longer than a text of max_bytes could
 * need, \uXXXX escapes and all, only to skip them as too large.)
 */
int dp_corpus_jsonl_line(const char *line, size_t len, const char *file, uint64_t lineno, size_t max_bytes,
                         dp_corpus_item *item);

/*
 * The next document or skipped entry, or DP_CORPUS_END. Clears *item first (it must
 * be zeroed or hold a previous result). Fails only on out-of-memory or when a
 * --jsonl file cannot be read further.
 */
int dp_corpus_next(dp_corpus *c, dp_corpus_item *item, doppel_diag *diag);

/*
 * dp_corpus_next, but a file (not a --by-dir submission) or a --jsonl line is yielded
 * unread, as a pending document (item->pending) for dp_corpus_load_many, so that several
 * are read at once; skipped entries and submissions come out as from dp_corpus_next.
 */
int dp_corpus_next_unread(dp_corpus *c, dp_corpus_item *item, doppel_diag *diag);

/*
 * The pending items among items[0, n) (from dp_corpus_next_unread, in that order) read
 * on up to `threads` threads at once (through the read hook, which must then be safe to
 * call from several threads), each becoming what dp_corpus_next would have yielded in
 * its place: a document, a skipped entry, or a skipped repeat of an id yielded before
 * (repeats are found in the items' order, so the outcome is the same whatever
 * `threads`). Other items are left as they are. Fails only on out-of-memory.
 */
int dp_corpus_load_many(dp_corpus *c, dp_corpus_item *items, size_t n, size_t threads, doppel_diag *diag);

/* A repeated id's skip reason, into buf[size]: the id and where it was first seen. */
void dp_corpus_duplicate_reason(char *buf, size_t size, const char *id, const char *first);
void dp_corpus_item_clear(dp_corpus_item *item);

/* How many files and submissions are still to be read: the total for "N of M" progress
 * (some may yet be skipped). *exact is false when a --jsonl file, whose lines are not
 * counted ahead, is among them. */
size_t dp_corpus_planned(const dp_corpus *c, bool *exact);

/* Why bytes are not a text document ("empty", "binary"), or NULL when they are.
 * A byte-order mark means text (UTF-16 has NUL bytes); so do NULs on alternate
 * bytes only (UTF-16 without a mark). */
const char *dp_corpus_sniff(const char *bytes, size_t len);

/* The file and offset within it of byte `off` of a by-dir document; false when
 * off falls on a separator or beyond the end. */
bool dp_doc_locate(const dp_doc_part *parts, size_t n_parts, uint64_t off, size_t *part,
                   uint64_t *file_off);

/*
 * A share of the corpus, for a run split across processes. The corpus is cut into units
 * in reading order: each file or --by-dir submission (with its skipped files), each
 * skipped entry, each --jsonl line (a --jsonl file that cannot be read is one unit).
 * dp_corpus_count_units counts them (reading every --jsonl file to count its lines);
 * after dp_corpus_restrict, dp_corpus_next yields only what units [first, last) give,
 * in order: other files are passed over unread, other --jsonl lines are read only to
 * find where they end, never parsed (with chunks, below: only those of the chunk where
 * the share starts). Call before the first dp_corpus_next.
 */
int dp_corpus_count_units(const dp_corpus *c, uint64_t *n);
void dp_corpus_restrict(dp_corpus *c, uint64_t first, uint64_t last);

/*
 * --jsonl files split in byte ranges, so that no process reads a whole file to count its
 * lines: chunk k of n of a file of B bytes is bytes [B·k/n, B·(k+1)/n), holding the lines
 * that start there. Process k counts its chunk of each --jsonl file
 * (dp_corpus_chunk_lines: lines[j] for the j-th of the dp_corpus_jsonl_count files,
 * UINT64_MAX for one it cannot read), and every process hands every count to
 * dp_corpus_set_chunks (lines[k * files + j]); then dp_corpus_count_units reads no
 * --jsonl file, and dp_corpus_next starts each at the chunk holding its share's first line
 * (its line numbers those of the whole file), passing over unread what lies before.
 * dp_corpus_set_chunks fails only on out-of-memory.
 */
size_t dp_corpus_jsonl_count(const dp_corpus *c);
void dp_corpus_chunk_lines(const dp_corpus *c, size_t k, size_t n, uint64_t *lines);
int dp_corpus_set_chunks(dp_corpus *c, size_t n, const uint64_t *lines);

#endif
