/*
 * A small streaming JSON writer. Values are written as they come, so a report of
 * any size never sits in memory. Strings are escaped per RFC 8259; invalid UTF-8
 * bytes are written as U+FFFD so the output is always valid JSON.
 */
#ifndef DP_CORE_JSONW_H
#define DP_CORE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DP_JSONW_MAX_DEPTH 32

typedef struct dp_jsonw {
    FILE *out;
    int depth;
    bool first[DP_JSONW_MAX_DEPTH]; /* no value written yet at this depth */
    bool after_key;                 /* next value completes a "key": pair */
    bool failed;                    /* nesting misuse or a write error */
} dp_jsonw;

void dp_jsonw_init(dp_jsonw *w, FILE *out);
void dp_jsonw_object_begin(dp_jsonw *w);
void dp_jsonw_object_end(dp_jsonw *w);
void dp_jsonw_array_begin(dp_jsonw *w);
void dp_jsonw_array_end(dp_jsonw *w);
void dp_jsonw_key(dp_jsonw *w, const char *key);
void dp_jsonw_string(dp_jsonw *w, const char *s, size_t len);
void dp_jsonw_cstring(dp_jsonw *w, const char *s);
void dp_jsonw_int(dp_jsonw *w, int64_t v);
void dp_jsonw_uint(dp_jsonw *w, uint64_t v);
/* Shortest round-trip form; NaN and infinities (not JSON) are written as null. */
void dp_jsonw_double(dp_jsonw *w, double v);
/* The same for a float: the shortest form that reads back to the same float. */
void dp_jsonw_float(dp_jsonw *w, float v);
void dp_jsonw_bool(dp_jsonw *w, bool v);
void dp_jsonw_null(dp_jsonw *w);
/* Ends a top-level value with '\n' (JSON Lines). */
void dp_jsonw_newline(dp_jsonw *w);
/* true when nothing went wrong so far (no misuse, no write error). */
bool dp_jsonw_ok(const dp_jsonw *w);

#endif
