#include "io/notebook.h"

#include <jansson.h>
#include <string.h>

#include "doppel.h"
#include "io/zipread.h"

/* A fence line: up to 3 spaces, then 3 or more backticks or tildes; *ch and *n say which. */
static bool fence(const char *p, const char *end, char *ch, size_t *n)
{
    size_t ind = 0;
    while (ind < 3 && p + ind < end && p[ind] == ' ')
        ind++;
    p += ind;
    if (p >= end || (*p != '`' && *p != '~'))
        return false;
    size_t k = 0;
    while (p + k < end && p[k] == *p)
        k++;
    if (k < 3)
        return false;
    *ch = *p, *n = k;
    return true;
}

void dp_markdown_blank_code(char *text, size_t len)
{
    char *p = text, *end = text + len;
    char open_ch = 0;
    size_t open_n = 0;
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        char *next = eol ? eol + 1 : end;
        char ch;
        size_t n;
        bool is_fence = fence(p, next, &ch, &n);
        bool blank = open_ch != 0;
        if (!open_ch && is_fence) {
            open_ch = ch, open_n = n, blank = true;
        } else if (open_ch && is_fence && ch == open_ch && n >= open_n) {
            open_ch = 0; /* the closing fence, blanked too */
        }
        if (blank)
            for (char *q = p; q < next; q++)
                if (*q != '\n' && *q != '\r')
                    *q = ' ';
        p = next;
    }
}

/* A cell's source: a string, or an array of strings (lines). */
static void add_source(const json_t *src, dp_textbuf *out)
{
    if (json_is_string(src)) {
        dp_textbuf_add(out, json_string_value(src), json_string_length(src), 0, 0);
        return;
    }
    size_t i;
    const json_t *line;
    json_array_foreach(src, i, line) if (json_is_string(line))
        dp_textbuf_add(out, json_string_value(line), json_string_length(line), 0, 0);
}

int dp_ipynb_extract(const char *bytes, size_t len, bool ignore_code, dp_textbuf *out, char **why)
{
    *why = NULL;
    json_error_t err;
    json_t *nb = json_loadb(bytes, len, 0, &err);
    if (!nb) {
        *why = dp_io_printf("malformed notebook JSON at line %d: %s", err.line, err.text);
        return *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
    }
    const json_t *cells = json_object_get(nb, "cells");
    int rc = DOPPEL_OK;
    if (!json_is_array(cells)) {
        *why = dp_io_printf("not a Jupyter notebook (nbformat 4): no \"cells\" array");
        rc = *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
    } else {
        size_t i;
        const json_t *cell;
        json_array_foreach(cells, i, cell) {
            const char *type = json_string_value(json_object_get(cell, "cell_type"));
            if (!type || !(strcmp(type, "markdown") == 0 || (strcmp(type, "code") == 0 && !ignore_code)))
                continue;
            dp_textbuf_break(out, "\n\n", 0);
            add_source(json_object_get(cell, "source"), out);
        }
        if (out->failed)
            rc = DOPPEL_ERR_NOMEM;
    }
    json_decref(nb);
    return rc;
}
