/*
 * The input layer's entry point: which format a file is (from its name) and its text.
 *
 *   format  read as                                offsets index
 *   .docx   Word paragraphs, notes                 the extracted text
 *   .odt    OpenDocument paragraphs, notes         the extracted text
 *   .html .htm .xhtml  the body's text             the original file's bytes
 *   .md     as is (fenced code blanked with --ignore-code)  the file's bytes
 *   .ipynb  markdown and code cells                the extracted text
 *   .pdf    the text layer, by pdftotext           the extracted text
 *   other   as is (doppel's text decoding)         the file's bytes
 */
#ifndef DP_IO_EXTRACT_H
#define DP_IO_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "io/textbuf.h"

/* Files of extracted formats are read up to this size (pictures make a .docx large);
 * --max-bytes then applies to their text. */
#define DP_EXTRACT_MAX_FILE ((size_t)64 << 20)

typedef struct dp_extract_opts {
    bool ignore_code; /* .md fenced code and .ipynb code cells are out */
} dp_extract_opts;

typedef struct dp_extracted {
    dp_textbuf text;     /* UTF-8; for HTML with a map back to the file's bytes */
    const char *format;  /* "docx", "odt", "html", "md", "ipynb", "pdf" */
    bool extracted;      /* offsets index the text, not the file */
} dp_extracted;

/* The format of a file by its name's extension, or NULL when it is read as text. */
const char *dp_extract_format(const char *name, const dp_extract_opts *o);

/*
 * The text of bytes[0, len) in `format`. DOPPEL_OK with *out filled (free with
 * dp_extracted_free); DOPPEL_ERR_NOMEM; or another code with *why (malloc'd), the
 * reason to skip the file.
 */
int dp_extract(const char *format, const char *bytes, size_t len, const dp_extract_opts *o, dp_extracted *out,
               char **why);
void dp_extracted_free(dp_extracted *e);

/* One line per format for --help: what it reads and what it needs. */
extern const char dp_extract_help[];

#endif
