/*
 * Tab-separated lines without any quoting (STS files hold bare quote characters): a
 * field is everything between two tabs. Lines end at LF; a CR before it is dropped; a
 * UTF-8 byte-order mark at the start of the input is skipped.
 */
#ifndef DP_TRAIN_DATA_TSV_H
#define DP_TRAIN_DATA_TSV_H

#include <stddef.h>

typedef struct dp_span {
    const char *s;
    size_t len;
} dp_span;

typedef struct dp_tsv_reader {
    const char *p, *end;
    size_t line; /* 1-based number of the line last returned */
} dp_tsv_reader;

void dp_tsv_init(dp_tsv_reader *r, const char *data, size_t len);

/* The next line (without its CR/LF) into *line; 0 at the end of the input. A final line
 * without LF counts; an empty input has no lines. */
int dp_tsv_next(dp_tsv_reader *r, dp_span *line);

/* Splits line at tabs into f[0..max); returns the number of fields in the line (which
 * may exceed max: the rest are not stored). */
int dp_tsv_split(dp_span line, dp_span *f, int max);

/* Parses the whole field as a finite decimal number (strtod syntax, no surrounding
 * space). Returns 0 if it is not one. */
int dp_span_number(dp_span s, double *out);

/* 1 if the field equals word, ASCII case-insensitively. */
int dp_span_is(dp_span s, const char *word);

#endif
