/*
 * The HTML report: every passage appears as a highlight carrying its exact byte
 * offsets around exactly those (escaped) bytes, the texts survive whole once tags
 * are stripped, and the page loads nothing from outside.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/writer.h"

static const char doc_a[] = "Intro <b>bold</b> & more. The quick brown fox jumps over the "
                            "lazy dog.\nSecond line with \"quotes\" and 'apostrophes'. Tail.";
static const char doc_b[] = "Other start. the quick brown fox jumps over the lazy dog!\n"
                            "Then <b>bold</b> & more, and 'apostrophes'. End.";
static const char doc_c[] = "A third text, unrelated to the others.";

static int get_text(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    (void)ctx, (void)why;
    const char *t = strcmp(id, "dir/a.txt") == 0   ? doc_a
                    : strcmp(id, "b<&>.txt") == 0 ? doc_b
                    : strcmp(id, "c.txt") == 0     ? doc_c
                                                   : NULL;
    if (!t)
        return DOPPEL_ERR_NOT_FOUND;
    *len = strlen(t);
    *bytes = malloc(*len);
    memcpy(*bytes, t, *len);
    return DOPPEL_OK;
}

/* The byte span of needle's first occurrence in hay. */
static void span_of(const char *hay, const char *needle, uint64_t *s, uint64_t *e)
{
    const char *p = strstr(hay, needle);
    assert_non_null(p);
    *s = (uint64_t)(p - hay);
    *e = *s + strlen(needle);
}

/* Independent escaping of ASCII text, as the page must show it. */
static char *escape(const char *s, size_t n)
{
    char *out = malloc(6 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': o += sprintf(o, "&amp;"); break;
        case '<': o += sprintf(o, "&lt;"); break;
        case '>': o += sprintf(o, "&gt;"); break;
        case '"': o += sprintf(o, "&quot;"); break;
        case '\'': o += sprintf(o, "&#39;"); break;
        default: *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

/* Strips tags and decodes the five entities: what a browser shows as text. */
static char *visible_text(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    static const struct { const char *ent; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    for (size_t i = 0; i < n;) {
        if (s[i] == '<') {
            while (i < n && s[i] != '>')
                i++;
            i++;
            continue;
        }
        int matched = 0;
        for (size_t k = 0; k < 5 && !matched; k++) {
            size_t l = strlen(ents[k].ent);
            if (strncmp(s + i, ents[k].ent, l) == 0) {
                *o++ = ents[k].c;
                i += l;
                matched = 1;
            }
        }
        if (!matched)
            *o++ = s[i++];
    }
    *o = '\0';
    return out;
}

static char *render(const dp_pair_result *pairs, size_t n, dp_report_text_fn text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    dp_report_opts opts = {.text = text, .title = "Class <7>"};
    dp_writer *w = NULL;
    assert_int_equal(dp_writer_create(&w, DP_REPORT_HTML, f, &opts, NULL), DOPPEL_OK);
    assert_int_equal(dp_writer_begin(w), DOPPEL_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(dp_writer_pair(w, &pairs[i]), DOPPEL_OK);
    dp_skipped sk = {"img.png", "binary <NUL bytes>"};
    assert_int_equal(dp_writer_skipped(w, &sk), DOPPEL_OK);
    dp_summary sum = {3, 1, 3, n, 0.5, 0, NULL, 0};
    assert_int_equal(dp_writer_end(w, &sum), DOPPEL_OK);
    dp_writer_free(w);
    fclose(f);
    return buf;
}

/* The <pre> of one side of pair number `pair_no` (1-based, in score order). */
static const char *side_pre(const char *html, size_t pair_no, char side, size_t *len)
{
    char key[64];
    snprintf(key, sizeof key, "<template id=\"tpl-%zu\"><section class=\"pair\">", pair_no);
    const char *sec = strstr(html, key);
    assert_non_null(sec);
    snprintf(key, sizeof key, "<pre class=\"text\" data-side=\"%c\">", side);
    const char *pre = strstr(sec, key);
    assert_non_null(pre);
    pre += strlen(key);
    const char *end = strstr(pre, "</pre>");
    assert_non_null(end);
    *len = (size_t)(end - pre);
    return pre;
}

static void check_highlight(const char *pre, size_t pre_len, size_t idx, uint64_t s, uint64_t e,
                            const char *doc, uint64_t shown_from)
{
    char key[128];
    snprintf(key, sizeof key, "data-passage=\"%zu\" data-start=\"%llu\" data-end=\"%llu\"", idx,
             (unsigned long long)s, (unsigned long long)e);
    const char *at = strstr(pre, key);
    assert_non_null(at);
    assert_true(at < pre + pre_len);
    const char *content = strchr(at, '>') + 1;
    const char *close = strstr(content, "</a>");
    char *want = escape(doc + shown_from, (size_t)(e - shown_from));
    assert_int_equal((size_t)(close - content), strlen(want));
    assert_memory_equal(content, want, strlen(want));
    free(want);
}

static void test_spans_and_texts(void **state)
{
    (void)state;
    dp_passage p[3];
    span_of(doc_a, "quick brown fox jumps over the lazy dog", &p[0].a_start, &p[0].a_end);
    span_of(doc_b, "quick brown fox jumps over the lazy dog", &p[0].b_start, &p[0].b_end);
    span_of(doc_a, "<b>bold</b> & more", &p[1].a_start, &p[1].a_end);
    span_of(doc_b, "<b>bold</b> & more", &p[1].b_start, &p[1].b_end);
    span_of(doc_a, "'apostrophes'", &p[2].a_start, &p[2].a_end);
    span_of(doc_b, "'apostrophes'", &p[2].b_start, &p[2].b_end);
    for (int i = 0; i < 3; i++)
        p[i].score = 1, p[i].kind = (uint8_t)i;
    dp_pair_result pairs[2] = {
        {"c.txt", "missing.txt", 0.2f, 0.1f, 0.1f, NULL, 0},
        {"dir/a.txt", "b<&>.txt", 0.9f, 0.7f, 0.6f, p, 3},
    };
    char *html = render(pairs, 2, get_text);

    /* Sorted by score: the a/b pair is number 1. */
    for (int side = 0; side < 2; side++) {
        const char *doc = side ? doc_b : doc_a;
        size_t len;
        const char *pre = side_pre(html, 1, side ? 'b' : 'a', &len);
        for (size_t i = 0; i < 3; i++) {
            uint64_t s = side ? p[i].b_start : p[i].a_start, e = side ? p[i].b_end : p[i].a_end;
            check_highlight(pre, len, i, s, e, doc, s);
        }
        char *vis = visible_text(pre, len);
        assert_string_equal(vis, doc);
        free(vis);
    }
    /* Matching colours on the two sides, a visible kind and score label, a legend entry. */
    size_t same = 0;
    for (const char *s = html; (s = strstr(s, "<a class=\"hl c1\" href=\"#pair-1\" data-label=\"2 edited 1.00\" "
                                              "data-passage=\"1\"")); s++)
        same++;
    assert_int_equal(same, 2);
    assert_non_null(strstr(html, "<button type=\"button\" class=\"c1\" data-passage=\"1\">2: edited 1.000"));
    /* Ids, title and reasons are escaped; a missing text is said, not fatal. */
    assert_non_null(strstr(html, "<title>Class &lt;7&gt;</title>"));
    assert_non_null(strstr(html, "b&lt;&amp;&gt;.txt"));
    assert_null(strstr(html, "b<&>.txt"));
    assert_non_null(strstr(html, "img.png: binary &lt;NUL bytes&gt;"));
    assert_non_null(strstr(html, "(text not available)"));
    /* Groups picture: one edge per pair, one node per document. */
    size_t lines = 0, circles = 0;
    for (const char *s = html; (s = strstr(s, "stroke=\"#b71c1c\" stroke-opacity")); s++)
        lines++;
    for (const char *s = html; (s = strstr(s, "<circle ")); s++)
        circles++;
    assert_int_equal(lines, 2);
    assert_int_equal(circles, 4);
    /* Self-contained: nothing fetched from anywhere. */
    static const char *const external[] = {"http", "src=", "<link", "<script src", "url(", "@import", "fetch("};
    for (size_t i = 0; i < sizeof external / sizeof external[0]; i++)
        assert_null(strstr(html, external[i]));
    free(html);
}

/* Overlapping passages on one side: marks never nest, offsets stay whole. */
static void test_overlap(void **state)
{
    (void)state;
    dp_passage p[2] = {{6, 30, 0, 24, 1, 0}, {20, 40, 30, 50, 1, 1}};
    dp_pair_result pair = {"dir/a.txt", "b<&>.txt", 0.5f, 0.3f, 0.4f, p, 2};
    char *html = render(&pair, 1, get_text);
    size_t len;
    const char *pre = side_pre(html, 1, 'a', &len);
    check_highlight(pre, len, 0, 6, 30, doc_a, 6);
    check_highlight(pre, len, 1, 20, 40, doc_a, 30);
    char *vis = visible_text(pre, len);
    assert_string_equal(vis, doc_a);
    free(vis);
    free(html);
}

/* doc_a as a --by-dir submission of two files, the second starting inside passage 0
 * ("fox"), and its second line greyed (not evidence). */
static uint64_t grey[2];
static char one[] = "dir/a.txt/one.txt", two[] = "dir/a.txt/two.txt";
static dp_doc_part parts[2] = {{one, 0, 0}, {two, 0, 0}};

static int get_marks(void *ctx, const char *id, dp_report_marks *m)
{
    (void)ctx;
    *m = (dp_report_marks){0};
    if (strcmp(id, "dir/a.txt") == 0)
        *m = (dp_report_marks){grey, 1, parts, 2};
    return DOPPEL_OK;
}

static size_t count(const char *s, size_t n, const char *needle)
{
    size_t k = 0;
    for (const char *p = s; (p = strstr(p, needle)) && p < s + n; p++)
        k++;
    return k;
}

/* Files named where they start, grey spans, a passage cut by a file boundary written as
 * two pieces (the first labelled); the histogram from the summary's bins. */
static void test_marks(void **state)
{
    (void)state;
    uint64_t s, e;
    span_of(doc_a, "Second line with \"quotes\"", &grey[0], &grey[1]);
    span_of(doc_a, "fox", &s, &e);
    parts[1].start = s;
    dp_passage p = {0, 0, 0, 0, 1, DP_PASSAGE_VERBATIM};
    span_of(doc_a, "quick brown fox jumps over the lazy dog", &p.a_start, &p.a_end);
    span_of(doc_b, "quick brown fox jumps over the lazy dog", &p.b_start, &p.b_end);
    dp_pair_result pair = {"dir/a.txt", "b<&>.txt", 0.5f, 0.3f, 0.4f, &p, 1};
    char *buf = NULL;
    size_t buf_len = 0;
    FILE *f = open_memstream(&buf, &buf_len);
    dp_report_opts opts = {.text = get_text, .marks = get_marks, .threshold = 0.25f};
    dp_writer *w = NULL;
    assert_int_equal(dp_writer_create(&w, DP_REPORT_HTML, f, &opts, NULL), DOPPEL_OK);
    assert_int_equal(dp_writer_pair(w, &pair), DOPPEL_OK);
    uint64_t bins[20] = {[1] = 40, [2] = 7, [10] = 1};
    dp_summary sum = {10, 0, 48, 1, 0.5, 0, bins, 20};
    assert_int_equal(dp_writer_end(w, &sum), DOPPEL_OK);
    dp_writer_free(w);
    fclose(f);

    size_t len;
    const char *pre = side_pre(buf, 1, 'a', &len);
    /* the visible text: each file's name where it starts, then the text unchanged */
    char *vis = visible_text(pre, len), want[512];
    snprintf(want, sizeof want, "one.txt%.*stwo.txt%s", (int)s, doc_a, doc_a + s);
    assert_string_equal(vis, want);
    free(vis);
    /* the passage in two pieces, the first labelled, the file name between them */
    assert_int_equal(count(pre, len, "data-passage=\"0\""), 2);
    assert_int_equal(count(pre, len, "data-label="), 1);
    const char *cut = strstr(pre, "<span class=\"part\"");
    assert_non_null(cut);
    assert_non_null(strstr(cut + 1, "<span class=\"part\" title=\"a file of this submission\">two.txt</span><a class=\"hl c0\""));
    /* the grey span holds exactly the second line (escaped), with its title */
    char *esc_grey = escape(doc_a + grey[0], (size_t)(grey[1] - grey[0])), key[256];
    snprintf(key, sizeof key, "\">%s</span>", esc_grey);
    const char *g = strstr(pre, "<span class=\"excl\" title=\"not evidence");
    assert_non_null(g);
    assert_non_null(strstr(g, key));
    assert_int_equal(count(pre, len, "<span class=\"excl\""), 1);
    free(esc_grey);
    assert_non_null(strstr(buf, "class=\"note excl-note\""));
    /* side b has no marks */
    pre = side_pre(buf, 1, 'b', &len);
    assert_int_equal(count(pre, len, "class=\"part\""), 0);
    assert_int_equal(count(pre, len, "class=\"excl\""), 0);
    /* every compared pair in the histogram, not only the reported one */
    assert_non_null(strstr(buf, "data-pairs=\"48\""));
    assert_non_null(strstr(buf, "All 48 compared pairs by score"));
    assert_non_null(strstr(buf, "data-count=\"40\""));
    assert_non_null(strstr(buf, "<line class=\"threshold\" x1=\"190.0\""));
    free(buf);
}

/* "Le café noir.\n" in UTF-16LE with a BOM, and "Un café noir." in Windows-1252. */
static const char doc_u16[] = "\xFF\xFEL\0e\0 \0c\0a\0f\0\xE9\0 \0n\0o\0i\0r\0.\0\n\0";
static const char doc_cp[] = "Un caf\xE9 noir.";

static int get_encoded(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    (void)ctx;
    if (strcmp(id, "gone") == 0) {
        *why = "reason <x>";
        return DOPPEL_ERR_NOT_FOUND;
    }
    const char *t = strcmp(id, "u16.txt") == 0 ? doc_u16 : doc_cp;
    *len = t == doc_u16 ? sizeof doc_u16 - 1 : sizeof doc_cp - 1;
    *bytes = malloc(*len);
    memcpy(*bytes, t, *len);
    return DOPPEL_OK;
}

/* Texts are shown decoded, highlights around the characters of their original offsets;
 * a text the caller cannot give is said with its reason. */
static void test_decoded_texts(void **state)
{
    (void)state;
    /* "café" is original bytes [8, 16) of the UTF-16 text (after the BOM), [3, 7) of the cp1252 one */
    dp_passage p = {8, 16, 3, 7, 1, DP_PASSAGE_VERBATIM};
    dp_pair_result pairs[2] = {{"u16.txt", "cp.txt", 0.9f, 0.3f, 0.3f, &p, 1},
                               {"cp.txt", "gone", 0.1f, 0, 0, NULL, 0}};
    char *html = render(pairs, 2, get_encoded);
    size_t len;
    const char *pre = side_pre(html, 1, 'a', &len);
    char *vis = visible_text(pre, len);
    assert_string_equal(vis, "Le caf\xC3\xA9 noir.\n");
    free(vis);
    assert_non_null(strstr(pre, "data-start=\"8\" data-end=\"16\" data-kind=\"verbatim\" "
                                "title=\"verbatim 1.000\">caf\xC3\xA9</a> noir."));
    pre = side_pre(html, 1, 'b', &len);
    vis = visible_text(pre, len);
    assert_string_equal(vis, "Un caf\xC3\xA9 noir.");
    free(vis);
    assert_non_null(strstr(pre, "data-start=\"3\" data-end=\"7\" data-kind=\"verbatim\" "
                                "title=\"verbatim 1.000\">caf\xC3\xA9</a> noir."));
    assert_null(strstr(html, "\xEF\xBF\xBD"));
    assert_non_null(strstr(html, "<p class=\"note\">(text not available: reason &lt;x&gt;)</p>"));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans_and_texts),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_marks),
        cmocka_unit_test(test_decoded_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
