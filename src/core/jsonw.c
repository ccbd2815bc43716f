#include "core/jsonw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

void dp_jsonw_init(dp_jsonw *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->first[0] = true;
}

/* Separator before a value: a comma between siblings, nothing after a key. */
static void before_value(dp_jsonw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        fputc(',', w->out);
    w->first[w->depth] = false;
}

static void open_container(dp_jsonw *w, char c)
{
    before_value(w);
    if (w->depth + 1 >= DP_JSONW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    fputc(c, w->out);
    w->first[++w->depth] = true;
}

static void close_container(dp_jsonw *w, char c)
{
    if (w->depth == 0 || w->after_key) {
        w->failed = true;
        return;
    }
    w->depth--;
    fputc(c, w->out);
}

void dp_jsonw_object_begin(dp_jsonw *w) { open_container(w, '{'); }
void dp_jsonw_object_end(dp_jsonw *w) { close_container(w, '}'); }
void dp_jsonw_array_begin(dp_jsonw *w) { open_container(w, '['); }
void dp_jsonw_array_end(dp_jsonw *w) { close_container(w, ']'); }

static void write_escaped(FILE *out, const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    fputc('"', out);
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '"': fputs("\\\"", out); break;
            case '\\': fputs("\\\\", out); break;
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            case '\b': fputs("\\b", out); break;
            case '\f': fputs("\\f", out); break;
            default:
                if (c < 0x20 || c == 0x7F)
                    fprintf(out, "\\u%04x", c);
                else
                    fputc(c, out);
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t n = dp_utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            fputs("\\ufffd", out);
            i++;
        } else if (cp == 0x2028 || cp == 0x2029) {
            /* valid JSON, but breaks JavaScript readers of the HTML report */
            fprintf(out, "\\u%04x", (unsigned)cp);
            i += n;
        } else {
            fwrite(p + i, 1, n, out);
            i += n;
        }
    }
    fputc('"', out);
}

void dp_jsonw_key(dp_jsonw *w, const char *key)
{
    if (w->after_key || w->depth == 0) {
        w->failed = true;
        return;
    }
    before_value(w);
    write_escaped(w->out, key, strlen(key));
    fputc(':', w->out);
    w->after_key = true;
}

void dp_jsonw_string(dp_jsonw *w, const char *s, size_t len)
{
    before_value(w);
    write_escaped(w->out, s, len);
}

void dp_jsonw_cstring(dp_jsonw *w, const char *s) { dp_jsonw_string(w, s, strlen(s)); }

void dp_jsonw_int(dp_jsonw *w, int64_t v)
{
    before_value(w);
    fprintf(w->out, "%lld", (long long)v);
}

void dp_jsonw_uint(dp_jsonw *w, uint64_t v)
{
    before_value(w);
    fprintf(w->out, "%llu", (unsigned long long)v);
}

/* The shortest %.{1..max}g of v that reads back to v: as a double, or, when as_float,
 * as the float v holds (so a float's score prints as 0.156962, not its double noise). */
static void write_shortest(dp_jsonw *w, double v, int max, bool as_float)
{
    before_value(w);
    if (!isfinite(v)) {
        fputs("null", w->out);
        return;
    }
    char buf[32];
    for (int prec = 1; prec <= max; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (as_float ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, w->out);
}

void dp_jsonw_double(dp_jsonw *w, double v) { write_shortest(w, v, 17, false); }
void dp_jsonw_float(dp_jsonw *w, float v) { write_shortest(w, v, 9, true); }

void dp_jsonw_bool(dp_jsonw *w, bool v)
{
    before_value(w);
    fputs(v ? "true" : "false", w->out);
}

void dp_jsonw_null(dp_jsonw *w)
{
    before_value(w);
    fputs("null", w->out);
}

void dp_jsonw_newline(dp_jsonw *w)
{
    if (w->depth != 0 || w->after_key)
        w->failed = true;
    fputc('\n', w->out);
    w->first[0] = true;
}

bool dp_jsonw_ok(const dp_jsonw *w) { return !w->failed && !ferror(w->out); }
