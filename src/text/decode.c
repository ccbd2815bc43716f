#include "text/decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/utf8.h"

/* Windows-1252 bytes 0x80..0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Every decoder runs twice: once with buf == NULL to size the output, once to fill it. */
typedef struct sink {
    char *buf;
    size_t *orig;
    size_t n;
    size_t invalid, first_invalid;
} sink;

static void put(sink *s, int32_t cp, size_t pos)
{
    uint8_t tmp[4];
    size_t k = dp_utf8_encode(cp, tmp);
    if (s->buf) {
        memcpy(s->buf + s->n, tmp, k);
        for (size_t i = 0; i < k; i++)
            s->orig[s->n + i] = pos;
    }
    s->n += k;
}

static void put_invalid(sink *s, size_t pos)
{
    if (s->invalid++ == 0)
        s->first_invalid = pos;
    put(s, 0xFFFD, pos);
}

/* Length of the maximal subpart of an ill-formed sequence at p (>= 1): the longest
 * prefix that could still begin a well-formed sequence, else 1 byte. */
static size_t maximal_subpart(const uint8_t *p, size_t n)
{
    uint8_t b = p[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (b >= 0xC2 && b <= 0xDF)
        need = 2;
    else if (b >= 0xE0 && b <= 0xEF)
        need = 3, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    else if (b >= 0xF0 && b <= 0xF4)
        need = 4, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    else
        return 1;
    size_t i = 1;
    if (i < n && p[i] >= lo && p[i] <= hi) {
        i++;
        while (i < need && i < n && (p[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static void run_utf8(sink *s, const uint8_t *p, size_t n, size_t base)
{
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t k = dp_utf8_decode(p + i, n - i, &cp);
        if (k) {
            put(s, cp, base + i);
            i += k;
        } else {
            put_invalid(s, base + i);
            i += maximal_subpart(p + i, n - i);
        }
    }
}

static void run_single_byte(sink *s, const uint8_t *p, size_t n, int cp1252)
{
    for (size_t i = 0; i < n; i++) {
        int32_t cp = p[i];
        if (cp1252 && cp >= 0x80 && cp <= 0x9F && cp1252_c1[cp - 0x80])
            cp = cp1252_c1[cp - 0x80];
        put(s, cp, i);
    }
}

/* p and n exclude the 2-byte BOM; base = 2. */
static void run_utf16(sink *s, const uint8_t *p, size_t n, size_t base, int le)
{
    size_t i = 0;
    while (i + 1 < n) {
        uint32_t u = le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t v = le ? (uint32_t)(p[i + 2] | p[i + 3] << 8)
                            : (uint32_t)(p[i + 2] << 8 | p[i + 3]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                put(s, (int32_t)(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00)), base + i);
                i += 4;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF)
            put_invalid(s, base + i);
        else
            put(s, (int32_t)u, base + i);
        i += 2;
    }
    if (i < n)
        put_invalid(s, base + i); /* odd trailing byte */
}

/* Decides AUTO for input that is not valid UTF-8 (see decode.h). */
static dp_encoding guess(const uint8_t *p, size_t n)
{
    size_t ctrl = 0, valid_multi = 0, invalid = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (b >= 0x80 && b <= 0x9F && !cp1252_c1[b - 0x80])
            return DP_ENC_UTF8;
        if (b < 0x20 && !(b >= 0x09 && b <= 0x0D))
            ctrl++;
    }
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = dp_utf8_decode(p + i, n - i, &cp);
        if (k) {
            valid_multi += k > 1;
            i += k;
        } else {
            invalid++;
            i += maximal_subpart(p + i, n - i);
        }
    }
    if (ctrl * 100 > n || valid_multi >= invalid)
        return DP_ENC_UTF8;
    return DP_ENC_CP1252;
}

static int is_valid_utf8(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t k = dp_utf8_decode(p + i, n - i, &cp);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

enum { RUN_UTF8, RUN_CP1252, RUN_LATIN1, RUN_UTF16LE, RUN_UTF16BE };

static void run(sink *s, int how, const uint8_t *p, size_t n, size_t base)
{
    switch (how) {
    case RUN_UTF8: run_utf8(s, p, n, base); break;
    case RUN_CP1252: run_single_byte(s, p, n, 1); break;
    case RUN_LATIN1: run_single_byte(s, p, n, 0); break;
    default: run_utf16(s, p, n, base, how == RUN_UTF16LE); break;
    }
}

int dp_text_decode(dp_text *t, const char *bytes, size_t len, dp_encoding enc, doppel_diag *diag)
{
    memset(t, 0, sizeof *t);
    t->first_invalid = SIZE_MAX;
    if (enc < DP_ENC_AUTO || enc > DP_ENC_LATIN1 || (!bytes && len))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "unknown encoding");
    const uint8_t *p = (const uint8_t *)bytes;
    size_t bom = 0;
    int how;
    if (enc == DP_ENC_AUTO && len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        t->utf16 = p[0] == 0xFF ? 1 : 2;
        how = t->utf16 == 1 ? RUN_UTF16LE : RUN_UTF16BE;
        bom = 2;
        enc = DP_ENC_UTF8;
    } else if (enc == DP_ENC_CP1252 || enc == DP_ENC_LATIN1) {
        how = enc == DP_ENC_CP1252 ? RUN_CP1252 : RUN_LATIN1;
    } else {
        if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
            bom = 3;
        if (is_valid_utf8(p + bom, len - bom)) {
            /* the common case: no copy of offsets, decoded = original shifted by the BOM */
            t->utf8 = malloc(len - bom + 1);
            if (!t->utf8)
                return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
            if (len > bom)
                memcpy(t->utf8, p + bom, len - bom);
            t->utf8[len - bom] = '\0';
            t->len = len - bom;
            t->shift = bom;
            t->used = DP_ENC_UTF8;
            return DOPPEL_OK;
        }
        if (enc == DP_ENC_AUTO && !bom)
            enc = guess(p, len);
        else
            enc = DP_ENC_UTF8;
        how = enc == DP_ENC_CP1252 ? RUN_CP1252 : RUN_UTF8;
    }
    t->used = enc;

    sink s = {0};
    run(&s, how, p + bom, len - bom, bom);
    size_t n = s.n;
    s = (sink){0};
    s.buf = malloc(n + 1);
    s.orig = malloc((n + 1) * sizeof *s.orig);
    if (!s.buf || !s.orig) {
        free(s.buf);
        free(s.orig);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    run(&s, how, p + bom, len - bom, bom);
    s.buf[n] = '\0';
    s.orig[n] = len;
    t->utf8 = s.buf;
    t->orig = s.orig;
    t->len = n;
    t->invalid_count = s.invalid;
    if (s.invalid)
        t->first_invalid = s.first_invalid;
    return DOPPEL_OK;
}

size_t dp_text_orig(const dp_text *t, size_t decoded_pos)
{
    return t->orig ? t->orig[decoded_pos] : decoded_pos + t->shift;
}

size_t dp_text_decoded_pos(const dp_text *t, size_t orig_off)
{
    if (!t->orig)
        return orig_off <= t->shift ? 0 : orig_off - t->shift < t->len ? orig_off - t->shift : t->len;
    size_t lo = 0, hi = t->len; /* orig[] never decreases and orig[len] is the input length */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->orig[mid] < orig_off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void dp_text_free(dp_text *t)
{
    if (!t)
        return;
    free(t->utf8);
    free(t->orig);
    memset(t, 0, sizeof *t);
    t->first_invalid = SIZE_MAX;
}
