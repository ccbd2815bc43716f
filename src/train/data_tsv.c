#include "train/data_tsv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void dp_tsv_init(dp_tsv_reader *r, const char *data, size_t len)
{
    r->p = data;
    r->end = data + len;
    r->line = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
}

int dp_tsv_next(dp_tsv_reader *r, dp_span *line)
{
    if (r->p >= r->end)
        return 0;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    const char *e = nl ? nl : r->end;
    line->s = r->p;
    line->len = (size_t)(e - r->p);
    if (line->len && line->s[line->len - 1] == '\r')
        line->len--;
    r->p = nl ? nl + 1 : r->end;
    r->line++;
    return 1;
}

int dp_tsv_split(dp_span line, dp_span *f, int max)
{
    int n = 0;
    const char *p = line.s, *end = line.s + line.len;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *e = tab ? tab : end;
        if (n < max)
            f[n] = (dp_span){p, (size_t)(e - p)};
        n++;
        if (!tab)
            return n;
        p = tab + 1;
    }
}

int dp_span_number(dp_span s, double *out)
{
    char buf[64];
    if (s.len == 0 || s.len >= sizeof buf || s.s[0] == ' ' || s.s[0] == '\t')
        return 0;
    memcpy(buf, s.s, s.len);
    buf[s.len] = '\0';
    char *e;
    double v = strtod(buf, &e);
    if (*e != '\0' || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

int dp_span_is(dp_span s, const char *word)
{
    return strlen(word) == s.len && strncasecmp(s.s, word, s.len) == 0;
}
