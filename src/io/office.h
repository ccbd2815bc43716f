/*
 * Word processor documents: .docx (Office Open XML) and .odt (OpenDocument), each a
 * zip of XML members, into their text. Offsets into the result index the extracted
 * text (there is no one file whose bytes the words are).
 *
 * docx: word/document.xml paragraphs (tables and text boxes included), runs, tabs and
 * breaks; tracked changes as accepted (deletions out, insertions in); comments and
 * field codes out; then the footnotes and endnotes. odt: content.xml paragraphs,
 * headings and lists; tracked deletions and annotations out; notes after the body.
 * Paragraphs are separated by a blank line.
 */
#ifndef DP_IO_OFFICE_H
#define DP_IO_OFFICE_H

#include <stddef.h>

#include "io/textbuf.h"

/* DOPPEL_OK with the text in *out; DOPPEL_ERR_NOMEM; or another code with *why
 * (malloc'd) saying why the file cannot be read (corrupt, encrypted, bomb, malformed). */
int dp_docx_extract(const char *bytes, size_t len, dp_textbuf *out, char **why);
int dp_odt_extract(const char *bytes, size_t len, dp_textbuf *out, char **why);

#endif
