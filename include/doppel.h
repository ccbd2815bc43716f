/*
 * doppel — text similarity and plagiarism detection.
 *
 * The only public header of libdoppel. Conventions (after zstd and libsodium):
 *  - every symbol starts with doppel_ / DOPPEL_;
 *  - handles are opaque, made by *_create and released by *_free (free accepts NULL);
 *  - functions return an int error code (DOPPEL_OK == 0), explained by doppel_strerror();
 *  - every fallible call takes an optional doppel_diag out-parameter saying what failed:
 *    the option or input at fault, and where (byte, line);
 *  - the library keeps no global state, never prints, never exits, never changes
 *    process-wide settings (umask, signals, locale) and touches no file it was not given;
 *  - options are set through a size-tagged struct (see doppel_index_opts), so a binary
 *    built against 1.0 runs with any 1.x library, and a newer one with 1.0 as long as
 *    it leaves the fields 1.0 does not know at their defaults.
 * Thread safety is stated per handle below. Every span is a byte offset into the
 * original input, start inclusive, end exclusive.
 */
#ifndef DOPPEL_H
#define DOPPEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DOPPEL_BUILDING) && defined(__GNUC__)
#define DOPPEL_API __attribute__((visibility("default")))
#else
#define DOPPEL_API
#endif

/* ===== errors and version ============================================== */

enum {
    DOPPEL_OK = 0,
    DOPPEL_ERR_INVALID,        /* invalid argument or option value */
    DOPPEL_ERR_NOMEM,          /* out of memory */
    DOPPEL_ERR_IO,             /* read/write/open failed (see errno in doppel_diag) */
    DOPPEL_ERR_ENCODING,       /* text could not be decoded */
    DOPPEL_ERR_EMPTY,          /* input has no text */
    DOPPEL_ERR_BINARY,         /* input looks like a binary file */
    DOPPEL_ERR_TOO_LARGE,      /* input exceeds a documented size limit */
    DOPPEL_ERR_REGEX,          /* PCRE2 pattern compile or match failure */
    DOPPEL_ERR_MODEL_MAGIC,    /* not a doppel model / index file */
    DOPPEL_ERR_MODEL_VERSION,  /* format version this build cannot read */
    DOPPEL_ERR_MODEL_CHECKSUM, /* file content does not match its checksum */
    DOPPEL_ERR_TRUNCATED,      /* file shorter than its header says */
    DOPPEL_ERR_CORRUPT,        /* inconsistent sizes or values in a file */
    DOPPEL_ERR_MODEL_MISMATCH, /* index built by a different model */
    DOPPEL_ERR_NOT_FOUND,      /* file, id or model not found */
    DOPPEL_ERR_FORMAT,         /* malformed data line (JSON, TSV) */
    DOPPEL_ERR_THREAD,         /* thread creation failed */
    DOPPEL_ERR_INTERRUPTED,    /* stopped by a signal / cancel request */
    DOPPEL_ERR_COUNT_          /* not an error: number of codes */
};

/* A human-readable sentence for an error code; never NULL. */
DOPPEL_API const char *doppel_strerror(int code);

/* The version of this header; doppel_version_number() is that of the library linked,
 * which may be newer (same major version: compatible). */
#define DOPPEL_VERSION_MAJOR 1
#define DOPPEL_VERSION_MINOR 4
#define DOPPEL_VERSION_PATCH 0
#define DOPPEL_VERSION_NUMBER (DOPPEL_VERSION_MAJOR * 10000 + DOPPEL_VERSION_MINOR * 100 + DOPPEL_VERSION_PATCH)

/* Library version string, e.g. "1.0.0". */
DOPPEL_API const char *doppel_version(void);
/* The library's DOPPEL_VERSION_NUMBER. */
DOPPEL_API unsigned doppel_version_number(void);

/*
 * What went wrong. Every fallible function takes an optional doppel_diag *; on failure
 * it fills all of it (on success it is left untouched). Fields that do not apply are
 * UINT64_MAX. The size is fixed for 1.x: later versions may give the reserved bytes a
 * meaning (the library zeroes them), never grow the struct.
 */
typedef struct doppel_diag {
    int code;
    uint64_t byte;      /* byte offset into the input */
    uint64_t line;      /* 1-based line number */
    int sys_errno;      /* errno for DOPPEL_ERR_IO, else 0 */
    char message[256];  /* detail naming the option or input at fault, without the file name */
    uint8_t reserved_[64];
} doppel_diag;

/* ===== text ============================================================= */

/*
 * Decoding, tokens and sentences. A document is decoded (AUTO: UTF-8, a UTF-16 or
 * UTF-8 BOM, else Windows-1252 when the bytes look like it; invalid sequences become
 * U+FFFD and are counted), split into tokens (words, numbers, single punctuation
 * characters or grapheme clusters, single CJK/Thai characters), each with an NFKC +
 * case-folded normal form, and into sentences. start/end are byte offsets into the
 * original input; dstart/dend index the decoded UTF-8 text of doppel_doc_text().
 */
typedef enum doppel_encoding {
    DOPPEL_ENC_AUTO = 0,
    DOPPEL_ENC_UTF8,
    DOPPEL_ENC_CP1252,
    DOPPEL_ENC_LATIN1
} doppel_encoding;

enum { DOPPEL_TOK_WORD = 1, DOPPEL_TOK_NUMBER, DOPPEL_TOK_PUNCT, DOPPEL_TOK_CJK };

/* A compiled tokenizer; immutable: one may be used by many threads at once. */
typedef struct doppel_tokenizer doppel_tokenizer;

/* strip_accents != 0 also removes combining marks from the normal forms. */
DOPPEL_API int doppel_tokenizer_create(doppel_tokenizer **out, int strip_accents, doppel_diag *diag);
DOPPEL_API void doppel_tokenizer_free(doppel_tokenizer *tk);

typedef struct doppel_token {
    uint64_t start, end;   /* original byte span */
    uint64_t dstart, dend; /* span in doppel_doc_text() */
    const char *norm;      /* normal form, NUL-terminated, owned by the doc */
    size_t norm_len;
    int kind;              /* DOPPEL_TOK_* */
} doppel_token;

typedef struct doppel_sentence {
    uint64_t start, end;      /* original byte span, without surrounding white space */
    uint64_t dstart, dend;    /* span in doppel_doc_text() */
    size_t tok_begin, tok_end; /* its tokens: [tok_begin, tok_end) */
} doppel_sentence;

typedef struct doppel_decode_info {
    doppel_encoding used;   /* encoding decoded (DOPPEL_ENC_UTF8 for UTF-16 input) */
    int utf16;              /* 0, 1 (UTF-16LE BOM) or 2 (UTF-16BE BOM) */
    uint64_t invalid_count; /* invalid sequences replaced by U+FFFD */
    uint64_t first_invalid; /* original byte offset of the first, UINT64_MAX if none */
} doppel_decode_info;

/* One decoded, tokenized and sentence-split input; immutable once made. */
typedef struct doppel_doc doppel_doc;

/* Invalid byte sequences do not fail (see doppel_doc_decode_info); only bad
 * arguments, out of memory and size limits do. */
DOPPEL_API int doppel_doc_create(doppel_doc **out, const doppel_tokenizer *tk, const char *bytes,
                                 size_t len, doppel_encoding enc, doppel_diag *diag);
DOPPEL_API void doppel_doc_free(doppel_doc *doc);
/* The decoded text (valid UTF-8, NUL-terminated, may contain NULs); *len its length. */
DOPPEL_API const char *doppel_doc_text(const doppel_doc *doc, size_t *len);
DOPPEL_API size_t doppel_doc_tokens(const doppel_doc *doc, const doppel_token **tokens);
DOPPEL_API size_t doppel_doc_sentences(const doppel_doc *doc, const doppel_sentence **sentences);
DOPPEL_API void doppel_doc_decode_info(const doppel_doc *doc, doppel_decode_info *info);

/* ===== encoder and model ================================================ */

/*
 * A sentence encoder: a model file (.dpm) turns each text into a unit vector of
 * doppel_model_out_dim() floats; the cosine of two vectors is their dot product.
 * Texts are UTF-8 (invalid bytes count as U+FFFD); a text is cut after its first
 * 128 tokens, so encode sentences, not whole documents.
 */
typedef struct doppel_model doppel_model;

/* Loads and fully validates a model file (magic, version, checksum, sizes, values).
 * A model is immutable: one may be shared by many threads and encoders. */
DOPPEL_API int doppel_model_load(doppel_model **out, const char *path, doppel_diag *diag);
/* Where this installation keeps its default model (DATADIR/doppel/default.dpm); the
 * file may be missing. Programs usually let $DOPPEL_MODEL or an option override it. */
DOPPEL_API const char *doppel_model_default_path(void);
DOPPEL_API void doppel_model_free(doppel_model *m);
DOPPEL_API size_t doppel_model_out_dim(const doppel_model *m);
/* The free-form text stored with the model (training command, provenance); never NULL. */
DOPPEL_API const char *doppel_model_metadata(const doppel_model *m);
/* A hash of the model's configuration and parameters: an index file records the one
 * that built it. */
DOPPEL_API uint32_t doppel_model_identity(const doppel_model *m);

/*
 * A model's hyperparameters (since 1.1). Size-tagged like the options: set size to
 * sizeof(doppel_model_info) before the call; the library fills the fields size covers.
 */
typedef struct doppel_model_info {
    size_t size;
    uint32_t format_version; /* of the model file */
    uint32_t embed_dim, hidden, layers, out_dim;
    uint32_t buckets;        /* rows of the hashed embedding table */
    uint64_t params;         /* parameter count */
    uint64_t memory_bytes;   /* bytes the parameters take when encoding (an int8 table stays int8) */
    const char *pooling;     /* "mean", "max", "meanmax", "meanmaxbag" or "attnmax"; static */
    const char *dtype;       /* the embedding table's type in the file: "fp32", "fp16", "int8"; static */
    uint64_t hash_seed;      /* seed of the token and n-gram hash */
    uint32_t minn, maxn;     /* character n-gram range in code points; minn 0: none */
    int strip_accents;       /* the model's tokens drop combining marks */
} doppel_model_info;

DOPPEL_API int doppel_model_get_info(const doppel_model *m, doppel_model_info *out, doppel_diag *diag);

typedef struct doppel_encoder doppel_encoder;

/*
 * An encoder over m (which must outlive it) using up to `threads` threads per call
 * (1..64). Keep BLAS single-threaded (e.g. OPENBLAS_NUM_THREADS=1): the encoder's own
 * threads are the parallelism. One encoder may be used by many threads at once.
 */
DOPPEL_API int doppel_encoder_create(doppel_encoder **out, const doppel_model *m, int threads, doppel_diag *diag);
DOPPEL_API void doppel_encoder_free(doppel_encoder *e);

/*
 * The arithmetic of the encoder's products. FP32 is the reference (what training
 * computes). INT8 multiplies the recurrent network's products in int8 (weights and
 * activations, one scale per row; sums exact): vectors within cosine 0.999 of FP32's,
 * still the same bits whatever the thread count or the other texts of a call, on a given
 * CPU. AUTO is INT8 where this CPU has a SIMD int8 kernel (x86-64 with AVX2), else FP32.
 */
typedef enum doppel_precision {
    DOPPEL_PRECISION_AUTO = 0,
    DOPPEL_PRECISION_FP32 = 1,
    DOPPEL_PRECISION_INT8 = 2,
} doppel_precision;

/* An encoder starts FP32 (as in 1.0; the doppel program encodes with AUTO). Set before
 * encoding: not while another thread encodes with e. DOPPEL_ERR_INVALID names an unknown
 * value. */
DOPPEL_API int doppel_encoder_set_precision(doppel_encoder *e, doppel_precision p, doppel_diag *diag);

/*
 * Encodes texts[i] (lens[i] bytes) into row i of out [n][out_dim]. The same text gives
 * bit-identical vectors whatever the thread count or the other texts of the call.
 */
DOPPEL_API int doppel_encoder_encode(doppel_encoder *e, const char *const *texts, const size_t *lens, size_t n,
                                     float *out, doppel_diag *diag);

/* ===== index and sweep ================================================== */

/*
 * An index of documents that share-text checks run against: add documents one at a
 * time (each is decoded, split and encoded once), remove them, query one new
 * document against all of them (only its candidates are aligned: every document up
 * to all_pairs_limit, else those sharing its rare winnowed fingerprints and its top_k
 * nearest by document vector), or sweep every pair. An index is saved to a file
 * that remembers which model built it; loading it with another model fails with
 * DOPPEL_ERR_MODEL_MISMATCH. Results come back as a doppel_report.
 *
 * Threads: the calls that read an index (doppel_index_query, _sweep, _save, _count, _id,
 * _dim, _get_opts, _doc_vector, _doc_invalid, _doc_excluded, _doc_origin) may run on one
 * index from many threads at once; a call that changes it (_add, _add_template,
 * _add_skipped, _remove, _set_opts, _set_precision, _set_progress, _set_doc_origin, _free;
 * since 1.4 _add_many and _set_reference) must not overlap any other call on that index. A report belongs to one thread.
 */
typedef struct doppel_index doppel_index;
typedef struct doppel_report doppel_report;

/*
 * Options. Always start from doppel_index_opts_init(&o, sizeof o), which writes the
 * defaults into the bytes the caller's struct has and sets size to it: the library reads
 * only the fields that size covers (the rest keep their defaults), and refuses non-zero
 * bytes past the fields it knows.
 */
typedef struct doppel_index_opts {
    size_t size;              /* sizeof(doppel_index_opts), set by doppel_index_opts_init */
    /* what documents keep: fixed when the first template or document is added */
    uint32_t kgram;           /* shortest verbatim run, in words (6) */
    int ignore_quotes;        /* text in quotation marks is not evidence (0) */
    int ignore_references;    /* a trailing references section is not evidence (0) */
    /* what is reported: may change at any time */
    float threshold;          /* pair score to report, inclusive; 0 reports every compared pair;
                               * negative (the default): 0.04 with a model, 0.03 without,
                               * calibrated on a synthetic class set */
    uint32_t min_match;       /* shorter passages, in words, are not reported (8) */
    uint32_t max_docs;        /* passages (fingerprints) in more documents are boilerplate (10) */
    uint32_t top_k;           /* nearest documents compared beyond all_pairs_limit (10) */
    uint32_t all_pairs_limit; /* up to this many documents every pair is compared (3000) */
    int all_pairs;            /* compare every pair whatever the size (0) */
    float sentence_threshold; /* sentence pair evidence, max(cosine, word overlap), inclusive;
                               * negative (the default): 0.84 with a model, 0.80 without,
                               * calibrated with the default model */
} doppel_index_opts;

/* Since 1.2. size: sizeof the caller's struct; never writes more bytes than that. */
DOPPEL_API void doppel_index_opts_init(doppel_index_opts *o, size_t size);
/* 1.0's form: doppel_index_opts_init for 1.0's struct (the fields up to
 * sentence_threshold), so a binary built against 1.0 keeps working when the struct grows.
 * Programs built against a newer header call doppel_index_opts_init. */
DOPPEL_API void doppel_index_opts_default(doppel_index_opts *o);

/* model NULL: lexical evidence only (verbatim and edited copies). The model is
 * borrowed and must outlive the index; threads: encoder workers (1..64).
 * opts NULL: defaults. */
DOPPEL_API int doppel_index_create(doppel_index **out, const doppel_model *model, int threads,
                                   const doppel_index_opts *opts, doppel_diag *diag);
/* Loads an index file, or a sharded index (its manifest's path: `doppel index add
 * --mpi`) as one index; model must be the one that built it (NULL if none did).
 * kgram and the ignore_* options come from the file, the rest from opts. A file of an
 * older format is refused (DOPPEL_ERR_MODEL_VERSION) with a message saying how to
 * rebuild it. */
DOPPEL_API int doppel_index_load(doppel_index **out, const char *path, const doppel_model *model, int threads,
                                 const doppel_index_opts *opts, doppel_diag *diag);
/* Writes the index file atomically: a temporary file beside path (mode 0666 less the
 * umask) renamed into place. */
DOPPEL_API int doppel_index_save(const doppel_index *ix, const char *path, doppel_diag *diag);
DOPPEL_API void doppel_index_free(doppel_index *ix);

/* DOPPEL_ERR_INVALID (diag names the option) for a value out of range or a fixed option
 * that differs from the index's once it holds documents. */
DOPPEL_API int doppel_index_set_opts(doppel_index *ix, const doppel_index_opts *opts, doppel_diag *diag);
/* The index's options (those from its file included), for the fields out->size covers:
 * call doppel_index_opts_init(out, sizeof *out) first. Thresholds left at their default read back
 * as the value in use. */
DOPPEL_API int doppel_index_get_opts(const doppel_index *ix, doppel_index_opts *out, doppel_diag *diag);
/* The arithmetic of the index's encoder (see doppel_precision): FP32 until set, as in 1.0.
 * Documents added before and after a change keep the vectors they were given. Without a
 * model there is nothing to set (DOPPEL_OK). */
DOPPEL_API int doppel_index_set_precision(doppel_index *ix, doppel_precision p, doppel_diag *diag);

/* Called as doppel_index_sweep aligns its candidate pairs (done of total); a non-zero
 * return stops the sweep, which then fails with DOPPEL_ERR_INTERRUPTED. */
typedef int (*doppel_progress_fn)(void *ctx, uint64_t done, uint64_t total);
/* fn NULL: none. */
DOPPEL_API void doppel_index_set_progress(doppel_index *ix, doppel_progress_fn fn, void *ctx);

/* Text handed out to everyone (not evidence); add templates before documents. */
DOPPEL_API int doppel_index_add_template(doppel_index *ix, const char *bytes, size_t len, doppel_diag *diag);

/*
 * Adds a document under a unique id (copied); a reference is compared with the other
 * documents but not with other references. An id already present is
 * DOPPEL_ERR_INVALID. A document without usable text fails (DOPPEL_ERR_EMPTY, ...)
 * and is listed as skipped in later sweeps.
 */
DOPPEL_API int doppel_index_add(doppel_index *ix, const char *id, const char *bytes, size_t len, int is_reference,
                                doppel_diag *diag);
/* Records a document the caller did not add (binary, unreadable) as skipped. */
DOPPEL_API int doppel_index_add_skipped(doppel_index *ix, const char *id, const char *reason, doppel_diag *diag);
/* Removes a document (or skipped entry); DOPPEL_ERR_NOT_FOUND when the id is absent. */
DOPPEL_API int doppel_index_remove(doppel_index *ix, const char *id, doppel_diag *diag);
/* Documents in the index (not counting skipped ones). */
DOPPEL_API size_t doppel_index_count(const doppel_index *ix);
/* The id of document i (0 <= i < doppel_index_count, in the order added), else NULL;
 * valid until the index changes. */
DOPPEL_API const char *doppel_index_id(const doppel_index *ix, size_t i);
/* The vector dimension of the index's documents (0 without a model). */
DOPPEL_API size_t doppel_index_dim(const doppel_index *ix);
/* Document id's vector (the normalised mean of its sentence vectors, as candidate
 * search uses it) into out[0..dim). DOPPEL_ERR_NOT_FOUND, or DOPPEL_ERR_INVALID without
 * a model or when dim is not doppel_index_dim(). */
DOPPEL_API int doppel_index_doc_vector(const doppel_index *ix, const char *id, float *out, size_t dim,
                                       doppel_diag *diag);

/* One new document (not added) against every indexed one; its pairs have the query
 * as side a. */
DOPPEL_API int doppel_index_query(doppel_index *ix, const char *id, const char *bytes, size_t len,
                                  doppel_report **out, doppel_diag *diag);
/* Every pair of indexed documents, as the sweep command reports it. */
DOPPEL_API int doppel_index_sweep(doppel_index *ix, doppel_report **out, doppel_diag *diag);

enum { DOPPEL_PASSAGE_VERBATIM = 0, DOPPEL_PASSAGE_EDITED, DOPPEL_PASSAGE_PARAPHRASE };
/* "verbatim", "edited", "paraphrase" (as doppel's reports print them); NULL for another value. */
DOPPEL_API const char *doppel_passage_kind_name(int kind);

/* A passage: byte spans in each document's original bytes. */
typedef struct doppel_passage {
    uint64_t a_start, a_end;
    uint64_t b_start, b_end;
    float score; /* similarity of the two spans, [0,1] */
    int kind;    /* DOPPEL_PASSAGE_* */
} doppel_passage;

typedef struct doppel_pair {
    const char *a, *b;  /* ids; b is the reference when one side is */
    float score;        /* pair score in [0,1] */
    float a_coverage;   /* share of a's words covered by passages, [0,1] */
    float b_coverage;
    const doppel_passage *passages;
    size_t n_passages;
} doppel_pair;

typedef struct doppel_skipped {
    const char *id;
    const char *reason;
} doppel_skipped;

typedef struct doppel_summary {
    size_t documents;      /* documents compared (a query counts the indexed ones) */
    size_t skipped;
    size_t pairs_compared;
    size_t pairs_reported;
} doppel_summary;

/*
 * A common passage (since 1.2): text held by more than max_docs documents (a paragraph a
 * whole class copied, boilerplate) is no pair's evidence, so a report lists it once with
 * every document holding it; a query's report, the text the query shares with more than
 * max_docs indexed documents (the query a member, last). Spans are bytes of each
 * document's original bytes, sentence-aligned. size is the library's sizeof(doppel_common):
 * a field a later 1.x appends is there only when size covers it.
 */
typedef struct doppel_common_member {
    const char *id;
    uint64_t start, end;
} doppel_common_member;

typedef struct doppel_common {
    size_t size;
    const doppel_common_member *members; /* one per document, in document order */
    size_t n_members;                    /* > max_docs */
} doppel_common;

/* The report's next common passage; NULL after the last. Pointers stay valid until
 * doppel_report_free. Since 1.2. */
DOPPEL_API const doppel_common *doppel_report_next_common(doppel_report *r);
/* How many common passages the report holds (doppel_summary has no field for it). Since 1.2. */
DOPPEL_API size_t doppel_report_common_count(const doppel_report *r);

/* The next reported pair, in a deterministic order; NULL after the last. Pointers
 * stay valid until doppel_report_free. */
DOPPEL_API const doppel_pair *doppel_report_next(doppel_report *r);
/* The next skipped document; NULL after the last. */
DOPPEL_API const doppel_skipped *doppel_report_next_skipped(doppel_report *r);
DOPPEL_API void doppel_report_summary(const doppel_report *r, doppel_summary *out);
DOPPEL_API void doppel_report_free(doppel_report *r);

/*
 * Writes the report as doppel's JSON Lines report (the README's "Report schema"; what
 * `doppel sweep -f jsonl` writes): the skipped entries and the pairs not yet handed out by
 * doppel_report_next_skipped and doppel_report_next (which this call then hands out), the
 * common passages not yet handed out by doppel_report_next_common (since 1.2; before, none
 * were), then the summary with the run's wall time. DOPPEL_ERR_IO when out fails. Since 1.1.
 */
DOPPEL_API int doppel_report_write_jsonl(doppel_report *r, FILE *out, doppel_diag *diag);

/* ===== since 1.2: reports in every format; a document's decoding ======= */

/* The formats of doppel's reports: JSON Lines (the README's "Report schema"), CSV, the
 * side-by-side HTML report and the terminal table. */
enum { DOPPEL_FORMAT_JSONL = 0, DOPPEL_FORMAT_CSV, DOPPEL_FORMAT_HTML, DOPPEL_FORMAT_TABLE };
/* Since 1.3: PAN's detection XML (the plagiarism-detection shared tasks' format), one file
 * per document in the directory doppel_write_opts.out_dir, offsets in code points. */
enum { DOPPEL_FORMAT_PAN = DOPPEL_FORMAT_TABLE + 1 };

/* The original bytes of document id for the HTML report's panes: *bytes malloc'd, the
 * writer frees it with free(). A non-zero return leaves that pair's panes without text
 * rather than failing the report, which says so, with *why when the function set it (a
 * one-line reason that lives until the write returns). */
typedef int (*doppel_text_fn)(void *ctx, const char *id, char **bytes, size_t *len, const char **why);

/* A file of a --by-dir submission within its document's text (as <doppel_io.h> joins them). */
typedef struct doppel_doc_part {
    const char *path;
    uint64_t start, len; /* its bytes within the document's */
} doppel_doc_part;

/* HTML: what a document's pane shows besides its passages. */
typedef struct doppel_marks {
    const uint64_t *excluded;     /* [2 * n_excluded] [start, end) spans that are not evidence
                                   * (doppel_index_doc_excluded), ascending */
    size_t n_excluded;
    const doppel_doc_part *parts; /* a submission's files, or NULL */
    size_t n_parts;
} doppel_marks;

/* Size-tagged: doppel_write_opts_init(&o, sizeof o) first, which writes no more than the
 * bytes it is given (a binary built against this header runs with any later 1.x). */
typedef struct doppel_write_opts {
    size_t size;
    int format;          /* DOPPEL_FORMAT_* (JSONL) */
    const char *title;   /* HTML title and heading; NULL: "doppel report" */
    int columns;         /* the table's width, e.g. the terminal's; 0: 80 */
    doppel_text_fn text; /* HTML: the documents' texts; NULL: none shown */
    void *text_ctx;
    FILE *aside;         /* CSV has no rows for skipped entries: written here as text lines
                          * when not NULL */
    /* HTML: document id's marks, called after its text (ctx: text_ctx); the arrays live
     * until the next call. NULL: none. */
    int (*marks)(void *ctx, const char *id, doppel_marks *out);
    /* JSONL: non-zero when document id's offsets index text extracted from its file (a
     * .docx, a .pdf) rather than the file's bytes (ctx: text_ctx). NULL: none is. */
    int (*extracted)(void *ctx, const char *id);
    int all_scores;      /* HTML: the score histogram counts every compared pair (the
                          * report keeps their scores), not only the reported ones (0) */
    float threshold;     /* HTML: the pair threshold, marked on the histogram (0) */
    double seconds;      /* the summary's wall time, e.g. the whole program's; negative
                          * (the default): the query's or sweep's that made the report */
    /* since 1.3 */
    const char *const *about; /* HTML header: what was run, as label/value pairs: about[2i] a
                               * label, about[2i + 1] its value; NULL: none */
    size_t n_about;           /* pairs in about */
    const char *out_dir;      /* DOPPEL_FORMAT_PAN: the directory written (whole, atomically, at
                               * the end) in place of the FILE, which gets nothing */
    int force;                /* PAN: replace a non-empty out_dir (0: refused at the end,
                               * DOPPEL_ERR_INVALID) */
    int b_is_source;          /* PAN: side b of every pair is a source (a reference), so only
                               * side a's file lists detections (0) */
    /* PAN: the compared documents, each of which gets a file (ctx: text_ctx); NULL: those
     * with detections. The array lives until the writer ends. */
    void (*documents)(void *ctx, const char *const **ids, size_t *n);
} doppel_write_opts;

/* The defaults into the first size bytes of *o, and size into o->size. */
DOPPEL_API void doppel_write_opts_init(doppel_write_opts *o, size_t size);

/*
 * Writes the report as doppel writes it (`doppel sweep -f FORMAT`): the skipped entries,
 * the pairs and the common passages not yet handed out by doppel_report_next_skipped,
 * doppel_report_next and doppel_report_next_common (which this call then hands out), then
 * the summary with the run's wall time (opts->seconds). opts NULL: JSON Lines, as
 * doppel_report_write_jsonl. DOPPEL_ERR_INVALID names an option out of range;
 * DOPPEL_ERR_IO when out fails. The text function is called on the calling thread.
 */
DOPPEL_API int doppel_report_write(doppel_report *r, const doppel_write_opts *opts, FILE *out, doppel_diag *diag);

/* How many invalid byte sequences decoding document id replaced by U+FFFD, and the
 * original byte offset of the first (UINT64_MAX: none); 0 for a document loaded from an
 * index file, which does not keep them. DOPPEL_ERR_NOT_FOUND when id is not indexed. A
 * reading call (see the index's thread rules). */
DOPPEL_API int doppel_index_doc_invalid(const doppel_index *ix, const char *id, uint64_t *count, uint64_t *first,
                                        doppel_diag *diag);

/* Document id's text that is not evidence (template, quotations, references: its excluded
 * sentences) as [start, end) byte spans, adjacent ones merged: *n is their number, and
 * when cap >= *n they are written to spans[0 .. 2 * *n) (else DOPPEL_ERR_TOO_LARGE; cap 0
 * and spans NULL asks for *n). DOPPEL_ERR_NOT_FOUND when id is not indexed. */
DOPPEL_API int doppel_index_doc_excluded(const doppel_index *ix, const char *id, uint64_t *spans, size_t cap,
                                         size_t *n, doppel_diag *diag);

/* Where an indexed document came from, as the program that added it recorded it.
 * Size-tagged like doppel_model_info. */
typedef struct doppel_doc_origin {
    size_t size;
    const char *source;   /* its file, as recorded (doppel relative to the index's folder);
                           * NULL: none; valid until the index changes */
    int extracted;        /* its offsets index text extracted from the file */
    int has_checksum;     /* text_crc and text_len are known (0: from an older index file) */
    uint32_t text_crc;    /* CRC-32C of the bytes it was prepared from */
    uint64_t text_len;
} doppel_doc_origin;

DOPPEL_API int doppel_index_doc_origin(const doppel_index *ix, const char *id, doppel_doc_origin *out,
                                       doppel_diag *diag);
/* Records where document id came from: o->source (copied; NULL: none) and o->extracted,
 * as o->size covers them; the checksum fields are the library's own, made when the
 * document was added, and are not read. Saved with the index; doppel_index_doc_origin
 * reads them back. DOPPEL_ERR_NOT_FOUND when id is not indexed. Since 1.2. */
DOPPEL_API int doppel_index_set_doc_origin(doppel_index *ix, const char *id, const doppel_doc_origin *o,
                                           doppel_diag *diag);

/* What an index file (or a sharded index's manifest) says of itself, read without
 * loading it. Size-tagged like doppel_model_info: set size to sizeof first; the library
 * fills the fields size covers. */
typedef struct doppel_index_file_info {
    size_t size;
    uint32_t format_version; /* of the file (of the first shard) */
    int has_model;           /* built with a model: model_id is its doppel_model_identity */
    uint32_t model_id;
    uint32_t dim;            /* vector dimension (0 without a model) */
    uint32_t kgram;
    uint64_t documents, templates, skipped;
    uint32_t shards;         /* 0: one index file; else the shards its manifest lists */
} doppel_index_file_info;

/* Reads only the header(s): whether a model is needed, whether a file is an index at all
 * (DOPPEL_ERR_MODEL_MAGIC when not). No checksum is checked (doppel_index_load does). */
DOPPEL_API int doppel_index_peek(const char *path, doppel_index_file_info *info, doppel_diag *diag);

/* doppel_index_load without the model that built it (any index): its documents can be
 * swept, listed, removed and saved, but none added or queried (DOPPEL_ERR_MODEL_MISMATCH). */
DOPPEL_API int doppel_index_load_unencoded(doppel_index **out, const char *path, int threads,
                                           const doppel_index_opts *opts, doppel_diag *diag);

/* ===== since 1.3: a report written as results come ===================== */

/*
 * A report writer fed one result at a time (what `doppel sweep` streams its pairs into), for
 * results that are no doppel_report: several queries' pairs in one report, say. Calls in
 * this order: any mix of _skipped and _pair, then _common, then _cluster, then _end once;
 * then _free (which, without _end, leaves a PAN directory unwritten). JSON Lines and CSV are
 * written as results come; the other formats keep copies and write at _end. Each returns
 * DOPPEL_OK, DOPPEL_ERR_NOMEM, or DOPPEL_ERR_IO when out (or the PAN directory) fails. A
 * writer belongs to one thread.
 */
typedef struct doppel_writer doppel_writer;

/* opts as doppel_report_write's (NULL: JSON Lines); its pointers must outlive the writer.
 * The format's opening (the CSV header) is written here. */
DOPPEL_API int doppel_writer_create(doppel_writer **w, const doppel_write_opts *opts, FILE *out, doppel_diag *diag);
DOPPEL_API int doppel_writer_skipped(doppel_writer *w, const doppel_skipped *s, doppel_diag *diag);
DOPPEL_API int doppel_writer_pair(doppel_writer *w, const doppel_pair *p, doppel_diag *diag);
DOPPEL_API int doppel_writer_common(doppel_writer *w, const doppel_common *c, doppel_diag *diag);
/* A group of documents joined by reported pairs (`doppel sweep --clusters`). */
DOPPEL_API int doppel_writer_cluster(doppel_writer *w, const char *const *ids, size_t n, doppel_diag *diag);

/* The report's closing line. Size-tagged: doppel_write_summary_init(&s, sizeof s) first. */
typedef struct doppel_write_summary {
    size_t size;
    size_t documents, skipped, pairs_compared, pairs_reported;
    size_t common_passages;   /* common passages listed */
    double seconds;           /* the run's wall time (0) */
    /* HTML: [n_score_bins] every compared pair's score, bin k holding [k, k + 1) /
     * n_score_bins (1 in the last), for the histogram; NULL: the reported pairs' */
    const uint64_t *score_bins;
    size_t n_score_bins;
} doppel_write_summary;

DOPPEL_API void doppel_write_summary_init(doppel_write_summary *s, size_t size);
/* Writes the summary (and, for HTML, the table and PAN, everything kept); out is left to
 * the caller to flush or close (where a full disk shows). */
DOPPEL_API int doppel_writer_end(doppel_writer *w, const doppel_write_summary *s, doppel_diag *diag);
DOPPEL_API void doppel_writer_free(doppel_writer *w);

/* ===== since 1.3: near-duplicate clusters (doppel sweep --dedup) ======== */

/*
 * Deduplicating an archive: documents numbered 0..n-1 by the caller (doppel_index_id's
 * order, say), joined by pairs whose similarity reaches a threshold and grouped by complete
 * link: two groups merge only when every member of one is similar to every member of the
 * other, so a document similar to two unrelated ones cannot chain them together. Pairs are
 * taken strongest first, so the clusters never depend on the order they were added in. Each
 * cluster keeps one document, the one with the most words (ties: the smallest id by
 * strcmp), and drops the others. A dedup belongs to one thread.
 */
typedef struct doppel_dedup doppel_dedup;

/* The default threshold (the covered share of the smaller document) with the default
 * model's vectors (lexical 0) or with lexical evidence only (lexical 1), and the max_docs
 * of a sweep that finds near-duplicates (a passage in more documents is common text, a
 * header or a licence, not what makes two documents near-duplicates). */
DOPPEL_API float doppel_dedup_default_threshold(int lexical);
DOPPEL_API uint32_t doppel_dedup_default_max_docs(void);

/* A reported pair's near-duplicate similarity: the words both sides' passages cover (the
 * fewer of the two) as a share of the smaller document; a_words, b_words: each document's
 * words (doppel_index_doc_words). Report pairs from this threshold: a pair's score is at
 * least its similarity. */
DOPPEL_API float doppel_dedup_similarity(const doppel_pair *p, uint64_t a_words, uint64_t b_words);

/* threshold in [0, 1]: pairs below it are ignored. */
DOPPEL_API int doppel_dedup_create(doppel_dedup **out, size_t documents, float threshold, doppel_diag *diag);
DOPPEL_API void doppel_dedup_free(doppel_dedup *d);
/* A similar pair (a != b, both < documents); a pair given twice keeps its larger similarity. */
DOPPEL_API int doppel_dedup_add(doppel_dedup *d, size_t a, size_t b, float similarity, doppel_diag *diag);

/* Clusters the pairs added (none may be added after). ids[documents] and words[documents]
 * are read now and by doppel_dedup_write: they must live until then. */
DOPPEL_API int doppel_dedup_cluster(doppel_dedup *d, const char *const *ids, const uint64_t *words,
                                    doppel_diag *diag);
/* Clusters of two or more documents, ordered by their kept document's number. */
DOPPEL_API size_t doppel_dedup_count(const doppel_dedup *d);

typedef struct doppel_dedup_member {
    uint32_t doc;     /* its number */
    float similarity; /* with the kept document (1 for the kept one itself) */
} doppel_dedup_member;

/* Cluster c's *n members: the kept document first, then the dropped ones by number; NULL
 * when c is not below doppel_dedup_count. Valid until doppel_dedup_free. */
DOPPEL_API const doppel_dedup_member *doppel_dedup_members(const doppel_dedup *d, size_t c, size_t *n);

/* Writes the clusters as `doppel sweep --dedup -f FORMAT` does: JSONL (a cluster per line:
 * keep, drop, members; then a summary), CSV (cluster,id,action,words,similarity) or the
 * table (DOPPEL_ERR_INVALID for another format, or before doppel_dedup_cluster); skipped:
 * the documents the run skipped, for the summary. DOPPEL_ERR_IO when out fails. */
DOPPEL_API int doppel_dedup_write(const doppel_dedup *d, int format, size_t skipped, FILE *out, doppel_diag *diag);

/* Document id's words (what coverages are shares of). DOPPEL_ERR_NOT_FOUND when id is not
 * indexed. A reading call. */
DOPPEL_API int doppel_index_doc_words(const doppel_index *ix, const char *id, uint64_t *words, doppel_diag *diag);

/* ===== since 1.4: documents added in blocks; groups; reference marks ==== */

/* One document for doppel_index_add_many: what doppel_index_add takes, its group, and
 * what came of it. */
typedef struct doppel_add_item {
    const char *id;
    const char *bytes;
    size_t len;
    int is_reference;
    uint32_t group;   /* 0: none; documents of one group are never compared with each other
                       * (one student's attempts). Kept while the index lives: an index file
                       * does not record groups */
    int rc;           /* out: what doppel_index_add would return for it */
    doppel_diag diag; /* out: why, when rc is not DOPPEL_OK */
} doppel_add_item;

/*
 * doppel_index_add of items[0 .. n) in that order, their documents decoded, tokenized and
 * encoded at once on the index's threads (doppel_index_create's): the same documents,
 * numbers and vectors as added one at a time, whatever the threads. item_size is
 * sizeof(doppel_add_item) as the caller's header declares it (the array's stride; bytes
 * past the fields this library knows must be zero). Each item's outcome is in its rc and
 * diag: a document without usable text is listed as skipped, as doppel_index_add does; an
 * id already indexed, or given by an earlier item of the call, is DOPPEL_ERR_INVALID.
 * Returns DOPPEL_ERR_INVALID (diag names the argument) or DOPPEL_ERR_NOMEM with nothing
 * added, else DOPPEL_OK. A call that changes the index.
 */
DOPPEL_API int doppel_index_add_many(doppel_index *ix, doppel_add_item *items, size_t n, size_t item_size,
                                     doppel_diag *diag);

/* Marks document id as a reference (compared with the others, not with other references)
 * or not: the documents of an index file used as earlier submissions, say. Saved with the
 * index. DOPPEL_ERR_NOT_FOUND when id is not indexed. A call that changes the index. */
DOPPEL_API int doppel_index_set_reference(doppel_index *ix, const char *id, int is_reference, doppel_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* DOPPEL_H */
