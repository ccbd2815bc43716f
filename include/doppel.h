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

#ifdef __cplusplus
}
#endif
#endif /* DOPPEL_H */
