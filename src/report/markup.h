/* Escaping text for HTML and XML (the HTML report, PAN's detection files). */
#ifndef DP_REPORT_MARKUP_H
#define DP_REPORT_MARKUP_H

#include <stddef.h>
#include <stdio.h>

/* Text and attribute escaping in one: &, <, >, " and ' become entities; invalid
 * UTF-8 and control characters other than tab and line ends become U+FFFD. */
void dp_markup_escape(FILE *f, const char *s, size_t len);

#endif
