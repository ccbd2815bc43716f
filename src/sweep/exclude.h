/*
 * Text that is not evidence of copying: quotations (--ignore-quotes) and a trailing
 * References / Bibliography / Works Cited section (--ignore-references). Both work on
 * the decoded text and mark tokens, so fingerprints and sentences both skip them.
 */
#ifndef DP_SWEEP_EXCLUDE_H
#define DP_SWEEP_EXCLUDE_H

#include <stdint.h>

#include "text/decode.h"
#include "text/tokenize.h"

/* Sets mark[i] = 1 for every token inside double quotation marks: "…", “…”, „…“, «…».
 * An unclosed quote ends at the next blank line. */
void dp_mark_quoted(const dp_text *text, const dp_tokens *toks, uint8_t *mark);

/* Sets mark[i] = 1 for every token after a heading line "References", "Bibliography",
 * "Works Cited", "Sources" or "Literature Cited" (any case, optional colon) that starts
 * in the second half of the text. Returns the token index where the section starts,
 * or toks->n when there is none. */
size_t dp_mark_references(const dp_text *text, const dp_tokens *toks, uint8_t *mark);

#endif
