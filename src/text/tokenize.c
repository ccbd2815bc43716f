#include "text/tokenize.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/diag.h"
#include "core/grow.h"

struct dp_tokenizer {
    pcre2_code *code;
    int strip_accents;
};

/* Letters of scripts written without spaces between words: one token per character.
 * PCRE2's \\p{Han} etc. test Script_Extensions, which also holds CJK punctuation such as
 * 。 and 、; the lookahead keeps those punctuation. */
#define CJK "(?=\\p{L})[\\p{Han}\\p{Hiragana}\\p{Katakana}\\p{Thai}]"
#define LETTER "(?:(?!" CJK ")[\\p{L}\\p{M}])"

/* Capture group k set <=> kind: 1 CJK, 2 NUMBER, 3 WORD, none PUNCT.
 * Repeats are possessive (never given back, which these classes never need): a repeated
 * group otherwise keeps one backtracking frame per iteration, and a run of ~10,000
 * letters overflowed PCRE2's JIT stack, failing the whole document. */
static const char pattern[] =
    "(" CJK "\\p{M}*+)"
    "|(\\p{Nd}++(?:[.,]\\p{Nd}++)*+\\p{M}*+)"
    "|(" LETTER "++(?:['\\x{2019}]" LETTER "++)*+)"
    "|(?![\\s\\p{Cc}\\p{Cf}])\\X";

static const uint8_t kind_of_group[4] = {DP_TOK_PUNCT, DP_TOK_CJK, DP_TOK_NUMBER, DP_TOK_WORD};

int dp_tokenizer_create(dp_tokenizer **out, const dp_tokenizer_opts *opts, doppel_diag *diag)
{
    *out = NULL;
    dp_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int err;
    PCRE2_SIZE at;
    t->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                            &err, &at, NULL);
    if (!t->code) {
        PCRE2_UCHAR msg[128];
        pcre2_get_error_message(err, msg, sizeof msg);
        free(t);
        return dp_diag_set(diag, DOPPEL_ERR_REGEX, (uint64_t)at, DP_NO_POS,
                           "tokenizer pattern: %s", (const char *)msg);
    }
    /* JIT is an optimisation only: without it pcre2_match interprets the pattern. */
    (void)pcre2_jit_compile(t->code, PCRE2_JIT_COMPLETE);
    t->strip_accents = opts ? opts->strip_accents : 0;
    *out = t;
    return DOPPEL_OK;
}

void dp_tokenizer_free(dp_tokenizer *t)
{
    if (!t)
        return;
    pcre2_code_free(t->code);
    free(t);
}

static int reserve_norm(dp_tokens *o, size_t extra)
{
    if (extra > SIZE_MAX - o->norm_len)
        return DOPPEL_ERR_NOMEM;
    return DP_GROW(o->norm, o->norm_cap, o->norm_len + extra, 4096);
}

static int reserve_tokens(dp_tokens *o)
{
    return DP_GROW(o->v, o->cap, o->n + 1, 256);
}

/* U+2019 is the usual typographic apostrophe; both spellings of "don't" must match. */
static utf8proc_int32_t fold_apostrophe(utf8proc_int32_t cp, void *data)
{
    (void)data;
    return cp == 0x2019 ? 0x27 : cp;
}

/* Appends the normal form of s[0..n) plus a NUL to o->norm; *len gets its length. */
static int append_norm(dp_tokens *o, const char *s, size_t n, int strip, size_t *len)
{
    int rc = reserve_norm(o, n + 1);
    if (rc)
        return rc;
    char *dst = o->norm + o->norm_len;
    size_t i = 0;
    for (; i < n && (unsigned char)s[i] < 0x80; i++)
        dst[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    if (i == n) {
        dst[n] = '\0';
        *len = n;
        return DOPPEL_OK;
    }
    utf8proc_uint8_t *m = NULL;
    int opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD;
    if (strip)
        opts |= UTF8PROC_STRIPMARK;
    utf8proc_ssize_t k = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &m,
                                             (utf8proc_option_t)opts, fold_apostrophe, NULL);
    if (k < 0)
        return k == UTF8PROC_ERROR_NOMEM ? DOPPEL_ERR_NOMEM : DOPPEL_ERR_ENCODING;
    rc = reserve_norm(o, (size_t)k + 1);
    if (rc == DOPPEL_OK) {
        memcpy(o->norm + o->norm_len, m, (size_t)k + 1);
        *len = (size_t)k;
    }
    free(m);
    return rc;
}

int dp_tokenize(const dp_tokenizer *tk, const dp_text *text, size_t dfrom, size_t dto, dp_tokens *out)
{
    if (dto > text->len || dfrom > dto)
        return DOPPEL_ERR_INVALID;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(tk->code, NULL);
    if (!md)
        return DOPPEL_ERR_NOMEM;
    PCRE2_SPTR subject = (PCRE2_SPTR)text->utf8;
    int rc = DOPPEL_OK;
    size_t pos = dfrom;
    while (pos < dto) {
        /* the text is valid UTF-8 by construction; checking it per match would be O(n^2) */
        int m = pcre2_match(tk->code, subject, dto, pos, PCRE2_NO_UTF_CHECK, md, NULL);
        if (m == PCRE2_ERROR_NOMATCH)
            break;
        if (m < 1 || m > 4) {
            rc = m == PCRE2_ERROR_NOMEMORY ? DOPPEL_ERR_NOMEM : DOPPEL_ERR_REGEX;
            break;
        }
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t s = ov[0], e = ov[1];
        pos = e;
        size_t nlen;
        if ((rc = reserve_tokens(out)) || (rc = append_norm(out, text->utf8 + s, e - s, tk->strip_accents, &nlen)))
            break;
        if (nlen == 0)
            continue;
        if (out->norm_len + nlen + 1 > UINT32_MAX) {
            rc = DOPPEL_ERR_TOO_LARGE;
            break;
        }
        dp_token *t = &out->v[out->n++];
        t->start = dp_text_orig(text, s);
        t->end = dp_text_orig(text, e);
        t->dstart = s;
        t->dend = e;
        t->norm_off = (uint32_t)out->norm_len;
        t->norm_len = (uint32_t)nlen;
        t->kind = kind_of_group[m - 1];
        out->norm_len += nlen + 1;
    }
    pcre2_match_data_free(md);
    return rc;
}

void dp_tokens_clear(dp_tokens *t)
{
    t->n = 0;
    t->norm_len = 0;
}

void dp_tokens_free(dp_tokens *t)
{
    if (!t)
        return;
    free(t->v);
    free(t->norm);
    memset(t, 0, sizeof *t);
}
