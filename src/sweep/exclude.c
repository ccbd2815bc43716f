#include "sweep/exclude.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"

/* Quote characters: opening ones, and the closing one each expects. */
static int32_t closing_quote(int32_t cp)
{
    switch (cp) {
    case '"': return '"';
    case 0x201C: return 0x201D; /* “ ” */
    case 0x201E: return 0x201C; /* „ “ */
    case 0x00AB: return 0x00BB; /* « » */
    default: return 0;
    }
}

static int blank_line_at(const char *s, size_t len, size_t i)
{
    /* i is at a line end; another line end after only spaces/tabs makes a blank line */
    size_t j = i + 1;
    if (s[i] == '\r' && j < len && s[j] == '\n')
        j++;
    while (j < len && (s[j] == ' ' || s[j] == '\t'))
        j++;
    return j < len && (s[j] == '\n' || s[j] == '\r');
}

void dp_mark_quoted(const dp_text *text, const dp_tokens *toks, uint8_t *mark)
{
    const char *s = text->utf8;
    size_t len = text->len, t = 0, i = 0;
    int32_t want = 0;   /* the closing quote awaited, 0 outside quotes */
    size_t open_at = 0; /* decoded offset where the quotation began */
    while (i <= len) {
        int32_t cp = 0;
        size_t n = i < len ? dp_utf8_decode((const uint8_t *)s + i, len - i, &cp) : 1;
        if (n == 0)
            n = 1;
        int ends = 0;
        if (i == len)
            ends = 1;
        else if (want && cp == want)
            ends = 1;
        else if (want && (s[i] == '\n' || s[i] == '\r') && blank_line_at(s, len, i))
            ends = 1;
        if (want && ends) {
            /* tokens strictly inside [open_at, i) */
            while (t < toks->n && toks->v[t].dstart < open_at)
                t++;
            while (t < toks->n && toks->v[t].dend <= i)
                mark[t++] = 1;
            want = 0;
        } else if (!want && i < len && closing_quote(cp)) {
            want = closing_quote(cp);
            open_at = i + n;
        }
        i += n;
    }
}

static const char *const headings[] = {"references", "bibliography", "works cited", "sources",
                                       "literature cited"};

/* Does the line s[from..to) read as a references heading? */
static int is_heading(const char *s, size_t from, size_t to)
{
    while (from < to && isspace((unsigned char)s[from]))
        from++;
    while (to > from && (isspace((unsigned char)s[to - 1]) || s[to - 1] == ':'))
        to--;
    for (size_t h = 0; h < sizeof headings / sizeof headings[0]; h++)
        if (to - from == strlen(headings[h]) && strncasecmp(s + from, headings[h], to - from) == 0)
            return 1;
    return 0;
}

size_t dp_mark_references(const dp_text *text, const dp_tokens *toks, uint8_t *mark)
{
    const char *s = text->utf8;
    size_t len = text->len, found = SIZE_MAX;
    for (size_t line = 0; line < len;) {
        size_t end = line;
        while (end < len && s[end] != '\n' && s[end] != '\r')
            end++;
        if (line >= len / 2 && is_heading(s, line, end))
            found = line; /* the last such heading wins */
        line = end + 1;
    }
    if (found == SIZE_MAX)
        return toks->n;
    size_t first = toks->n;
    for (size_t t = 0; t < toks->n; t++)
        if (toks->v[t].dstart >= found) {
            mark[t] = 1;
            if (first == toks->n)
                first = t;
        }
    return first;
}
