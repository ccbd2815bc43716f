/*
 * doppel — text similarity and plagiarism detection.
 *
 * The only public header of libdoppel. Conventions (after zstd and libsodium):
 *  - every symbol starts with doppel_ / DOPPEL_;
 *  - handles are opaque, made by *_create and released by *_free (free accepts NULL);
 *  - functions return an int error code (DOPPEL_OK == 0), explained by doppel_strerror();
 *  - optional doppel_diag out-parameters say where an error happened (file, byte, line);
 *  - the library keeps no global state, never prints and never exits.
 * Every span is a byte offset into the original input, start inclusive, end exclusive.
 */
#ifndef DOPPEL_H
#define DOPPEL_H

#include <stddef.h>
#include <stdint.h>

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

/* Library version string, e.g. "0.1.0". */
DOPPEL_API const char *doppel_version(void);

/*
 * Where an error happened. Functions that read files or data take an optional
 * doppel_diag *; on failure they fill it (on success it is left untouched).
 * Fields that do not apply are UINT64_MAX.
 */
typedef struct doppel_diag {
    int code;
    uint64_t byte;      /* byte offset into the input */
    uint64_t line;      /* 1-based line number */
    int sys_errno;      /* errno for DOPPEL_ERR_IO, else 0 */
    char message[256];  /* detail, without the file name */
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

/* A compiled tokenizer; immutable, may be shared by many threads. */
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

/* One decoded, tokenized and sentence-split input. */
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

/* Loads and fully validates a model file (magic, version, checksum, sizes, values). */
DOPPEL_API int doppel_model_load(doppel_model **out, const char *path, doppel_diag *diag);
DOPPEL_API void doppel_model_free(doppel_model *m);
DOPPEL_API size_t doppel_model_out_dim(const doppel_model *m);
/* The free-form text stored with the model (training command, provenance); never NULL. */
DOPPEL_API const char *doppel_model_metadata(const doppel_model *m);

typedef struct doppel_encoder doppel_encoder;

/*
 * An encoder over m (which must outlive it) using up to `threads` threads per call
 * (1..64). Keep BLAS single-threaded (e.g. OPENBLAS_NUM_THREADS=1): the encoder's own
 * threads are the parallelism. One encoder may be used by many threads at once.
 */
DOPPEL_API int doppel_encoder_create(doppel_encoder **out, const doppel_model *m, int threads);
DOPPEL_API void doppel_encoder_free(doppel_encoder *e);

/*
 * Encodes texts[i] (lens[i] bytes) into row i of out [n][out_dim]. The same text gives
 * bit-identical vectors whatever the thread count or the other texts of the call.
 */
DOPPEL_API int doppel_encoder_encode(doppel_encoder *e, const char *const *texts, const size_t *lens, size_t n,
                                     float *out);

/* ===== index and sweep ================================================== */

/*
 * An index of documents that share-text checks run against: add documents one at a
 * time (each is decoded, split and encoded once), remove them, query one new
 * document against all of them (only its candidates are aligned: every document up
 * to all_pairs_limit, else those sharing its rare winnowed fingerprints and its top_k
 * nearest by document vector), or sweep every pair. An index is saved to a file
 * that remembers which model built it; loading it with another model fails with
 * DOPPEL_ERR_MODEL_MISMATCH. Results come back as a doppel_report.
 */
typedef struct doppel_index doppel_index;
typedef struct doppel_report doppel_report;

typedef struct doppel_index_opts {
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
} doppel_index_opts;

DOPPEL_API void doppel_index_opts_default(doppel_index_opts *o);

/* model NULL: lexical evidence only (verbatim and edited copies). The model is
 * borrowed and must outlive the index; threads: encoder workers (1..64).
 * opts NULL: defaults. */
DOPPEL_API int doppel_index_create(doppel_index **out, const doppel_model *model, int threads,
                                   const doppel_index_opts *opts, doppel_diag *diag);
/* Loads an index file; model must be the one that built it (NULL if none did).
 * kgram and the ignore_* options come from the file, the rest from opts. */
DOPPEL_API int doppel_index_load(doppel_index **out, const char *path, const doppel_model *model, int threads,
                                 const doppel_index_opts *opts, doppel_diag *diag);
/* Writes the index file atomically (a temporary file renamed into place). */
DOPPEL_API int doppel_index_save(const doppel_index *ix, const char *path, doppel_diag *diag);
DOPPEL_API void doppel_index_free(doppel_index *ix);

/* DOPPEL_ERR_INVALID when a fixed option differs from the index's. */
DOPPEL_API int doppel_index_set_opts(doppel_index *ix, const doppel_index_opts *opts);

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
DOPPEL_API int doppel_index_add_skipped(doppel_index *ix, const char *id, const char *reason);
/* Removes a document (or skipped entry); DOPPEL_ERR_NOT_FOUND when the id is absent. */
DOPPEL_API int doppel_index_remove(doppel_index *ix, const char *id);
/* Documents in the index (not counting skipped ones). */
DOPPEL_API size_t doppel_index_count(const doppel_index *ix);

/* One new document (not added) against every indexed one; its pairs have the query
 * as side a. */
DOPPEL_API int doppel_index_query(doppel_index *ix, const char *id, const char *bytes, size_t len,
                                  doppel_report **out, doppel_diag *diag);
/* Every pair of indexed documents, as the sweep command reports it. */
DOPPEL_API int doppel_index_sweep(doppel_index *ix, doppel_report **out, doppel_diag *diag);

enum { DOPPEL_PASSAGE_VERBATIM = 0, DOPPEL_PASSAGE_EDITED, DOPPEL_PASSAGE_PARAPHRASE };

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

/* The next reported pair, in a deterministic order; NULL after the last. Pointers
 * stay valid until doppel_report_free. */
DOPPEL_API const doppel_pair *doppel_report_next(doppel_report *r);
/* The next skipped document; NULL after the last. */
DOPPEL_API const doppel_skipped *doppel_report_next_skipped(doppel_report *r);
DOPPEL_API void doppel_report_summary(const doppel_report *r, doppel_summary *out);
DOPPEL_API void doppel_report_free(doppel_report *r);

#ifdef __cplusplus
}
#endif
#endif /* DOPPEL_H */
