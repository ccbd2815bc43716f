/*
 * PDF through its text layer: runs `pdftotext -layout -enc UTF-8` (Debian
 * poppler-utils) as a separate program, so doppel links no PDF library. Offsets index
 * the text it prints. Without the program, for a PDF with no text layer (a scan), or
 * for one it cannot read (damaged, password-protected), the file is skipped with that
 * reason. DOPPEL_PDFTOTEXT names another program to run instead.
 */
#ifndef DP_IO_PDF_H
#define DP_IO_PDF_H

#include <stddef.h>

#include "io/textbuf.h"

/* The program run for PDFs, as looked up on PATH; NULL when it is not installed. */
char *dp_pdf_tool(void);

/* DOPPEL_OK, DOPPEL_ERR_NOMEM, or another code with *why (malloc'd). */
int dp_pdf_extract(const char *bytes, size_t len, dp_textbuf *out, char **why);

#endif
