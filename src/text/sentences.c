#include "text/sentences.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/grow.h"
#include "core/utf8.h"

/* Normal forms (case-folded) of words after which a '.' does not end a sentence. */
static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "prof", "rev", "hon", "st", "mt", "gen", "col", "capt", "lt",
    "sgt", "sen", "rep", "gov", "pres", "vs", "cf", "fig", "figs", "eq", "approx", "ca",
    "no", "nos", "p", "pp", "vol", "ch", "sec", "art", "ed", "eds", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
};

static int is_abbreviation(const char *norm)
{
    for (size_t i = 0; i < sizeof abbreviations / sizeof *abbreviations; i++)
        if (strcmp(norm, abbreviations[i]) == 0)
            return 1;
    return 0;
}

/* Terminal punctuation: NFKC turns ！？… ‼ ⁇ ⁈ ⁉ into runs of . ! ? and ｡ into 。 */
static int is_terminal(const dp_tokens *t, size_t i)
{
    if (t->v[i].kind != DP_TOK_PUNCT)
        return 0;
    const char *s = dp_token_norm(t, i);
    if (strcmp(s, "\xE3\x80\x82") == 0)
        return 1;
    return strspn(s, ".!?") == t->v[i].norm_len;
}

static int is_closing(const dp_tokens *t, size_t i)
{
    static const char *const closers[] = {
        "\"", "'", ")", "]", "}", "\xE2\x80\x9D" /* ” */, "\xC2\xBB" /* » */,
        "\xE2\x80\xBA" /* › */, "\xE3\x80\x8D" /* 」 */, "\xE3\x80\x8F" /* 』 */,
        "\xE3\x80\x8B" /* 》 */, "\xE3\x80\x89" /* 〉 */,
    };
    if (t->v[i].kind != DP_TOK_PUNCT)
        return 0;
    const char *s = dp_token_norm(t, i);
    for (size_t k = 0; k < sizeof closers / sizeof *closers; k++)
        if (strcmp(s, closers[k]) == 0)
            return 1;
    return 0;
}

static int adjacent(const dp_tokens *t, size_t a, size_t b)
{
    return t->v[a].dend == t->v[b].dstart;
}

static utf8proc_category_t first_category(const dp_text *text, const dp_token *tok)
{
    int32_t cp = 0;
    dp_utf8_decode((const uint8_t *)text->utf8 + tok->dstart, tok->dend - tok->dstart, &cp);
    return utf8proc_category(cp);
}

static int single_letter(const dp_tokens *t, size_t i)
{
    const dp_token *k = &t->v[i];
    if (k->kind != DP_TOK_WORD)
        return 0;
    int32_t cp;
    return dp_utf8_decode((const uint8_t *)dp_token_norm(t, i), k->norm_len, &cp) == k->norm_len;
}

/* The '.' at index i follows a word it does not end the sentence after. */
static int dot_after_abbreviation(const dp_text *text, const dp_tokens *t, size_t i)
{
    if (i == 0 || !adjacent(t, i - 1, i) || t->v[i - 1].kind != DP_TOK_WORD)
        return 0;
    size_t w = i - 1;
    if (is_abbreviation(dp_token_norm(t, w)))
        return 1;
    if (!single_letter(t, w))
        return 0;
    utf8proc_category_t c = first_category(text, &t->v[w]);
    if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
        return 1; /* an initial */
    return w >= 2 && adjacent(t, w - 1, w) && strcmp(dp_token_norm(t, w - 1), ".") == 0 &&
           adjacent(t, w - 2, w - 1) && single_letter(t, w - 2); /* e.g. i.e. */
}

/* Two or more line ends (or a paragraph separator) in the gap between tokens. */
static int paragraph_break(const dp_text *text, size_t from, size_t to)
{
    const unsigned char *s = (const unsigned char *)text->utf8;
    int lines = 0;
    for (size_t i = from; i < to && lines < 2; i++) {
        if (s[i] == '\n') {
            lines++;
        } else if (s[i] == '\r') {
            lines++;
            if (i + 1 < to && s[i + 1] == '\n')
                i++;
        } else if (s[i] == 0xC2 && i + 1 < to && s[i + 1] == 0x85) {
            lines++; /* NEL */
        } else if (s[i] == 0xE2 && i + 2 < to && s[i + 1] == 0x80 && s[i + 2] == 0xA9) {
            lines += 2; /* PARAGRAPH SEPARATOR */
        }
    }
    return lines >= 2;
}

static int push(const dp_tokens *t, size_t b, size_t e, dp_sentences *out)
{
    while (b < e) {
        size_t end = e - b > DP_SENTENCE_MAX_TOKENS ? b + DP_SENTENCE_MAX_TOKENS : e;
        if (DP_GROW(out->v, out->cap, out->n + 1, 64))
            return DOPPEL_ERR_NOMEM;
        out->v[out->n++] = (dp_sentence){
            .start = t->v[b].start, .end = t->v[end - 1].end,
            .dstart = t->v[b].dstart, .dend = t->v[end - 1].dend,
            .tok_begin = b, .tok_end = end,
        };
        b = end;
    }
    return DOPPEL_OK;
}

/* Does the terminal run [i, j] (closers included up to j) end the sentence? */
static int ends_sentence(const dp_text *text, const dp_tokens *t, size_t i, size_t run_end, size_t j)
{
    size_t next = j + 1;
    if (next == t->n)
        return 1;
    utf8proc_category_t c = first_category(text, &t->v[next]);
    if (c == UTF8PROC_CATEGORY_LL)
        return 0;
    int dots_only = 1;
    size_t ndots = 0;
    for (size_t k = i; k <= run_end; k++) {
        const char *s = dp_token_norm(t, k);
        dots_only &= strspn(s, ".") == t->v[k].norm_len;
        ndots += t->v[k].norm_len;
    }
    if (dots_only && ndots == 1 && dot_after_abbreviation(text, t, i))
        return 0;
    if (dots_only && ndots > 1)
        return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
    return 1;
}

int dp_split_sentences(const dp_text *text, const dp_tokens *toks, dp_sentences *out)
{
    size_t begin = 0, i = 0, n = toks->n;
    int rc = DOPPEL_OK;
    while (i < n && rc == DOPPEL_OK) {
        if (i > begin && paragraph_break(text, toks->v[i - 1].dend, toks->v[i].dstart)) {
            rc = push(toks, begin, i, out);
            begin = i;
        }
        if (!is_terminal(toks, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && is_terminal(toks, j + 1) && adjacent(toks, j, j + 1))
            j++;
        size_t run_end = j;
        while (j + 1 < n && is_closing(toks, j + 1) && adjacent(toks, j, j + 1))
            j++;
        if (rc == DOPPEL_OK && ends_sentence(text, toks, i, run_end, j)) {
            rc = push(toks, begin, j + 1, out);
            begin = j + 1;
        }
        i = j + 1;
    }
    if (rc == DOPPEL_OK && begin < n)
        rc = push(toks, begin, n, out);
    return rc;
}

void dp_sentences_free(dp_sentences *s)
{
    if (!s)
        return;
    free(s->v);
    memset(s, 0, sizeof *s);
}
