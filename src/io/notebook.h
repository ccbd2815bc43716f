/*
 * Markdown and Jupyter notebooks.
 *
 * Markdown is text: offsets stay bytes of the file. With ignore_code, fenced code
 * blocks (``` or ~~~, fences included) become spaces, line ends kept, so that the
 * offsets of everything else are unchanged.
 *
 * A notebook (.ipynb, nbformat 4) gives its markdown and code cells in order, a blank
 * line between cells; outputs, raw cells and metadata are out. Offsets index that text.
 */
#ifndef DP_IO_NOTEBOOK_H
#define DP_IO_NOTEBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "io/textbuf.h"

/* Blanks fenced code blocks in text[0, len) in place. */
void dp_markdown_blank_code(char *text, size_t len);

/* DOPPEL_OK, DOPPEL_ERR_NOMEM, or DOPPEL_ERR_FORMAT with *why (malloc'd). With
 * ignore_code, code cells are out. */
int dp_ipynb_extract(const char *bytes, size_t len, bool ignore_code, dp_textbuf *out, char **why);

#endif
