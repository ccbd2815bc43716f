/*
 * HTML (.html, .htm, .xhtml) into the text a reader sees: libxml2's HTML parser (no
 * network), the body's text with head, scripts, styles and markup out, entities
 * decoded, block elements separated by blank lines. The map takes every text offset
 * back to a byte offset of the original file, so reported passages point into it.
 */
#ifndef DP_IO_HTML_H
#define DP_IO_HTML_H

#include <stddef.h>

#include "io/textbuf.h"

/* out must have mapping set. DOPPEL_OK, DOPPEL_ERR_NOMEM, or DOPPEL_ERR_FORMAT with
 * *why (malloc'd). */
int dp_html_extract(const char *bytes, size_t len, dp_textbuf *out, char **why);

#endif
