#include "io/html.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "doppel.h"
#include "io/zipread.h"

typedef struct html_state {
    htmlParserCtxtPtr ctxt;
    const char *src;
    size_t len;
    dp_textbuf *out;
    uint64_t last; /* source offset where the previous parser event ended */
    int hidden;    /* depth inside elements whose text is not shown */
} html_state;

static uint64_t here(const html_state *s)
{
    long n = xmlByteConsumed(s->ctxt);
    return n < 0 ? s->last : (uint64_t)n > s->len ? s->len : (uint64_t)n;
}

static bool hidden_element(const char *name)
{
    static const char *const names[] = {"head", "script", "style", "noscript", "template", "title",
                                        "iframe", "object", "svg", "math"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(name, names[i]))
            return true;
    return false;
}

/* Elements after which the text breaks (blank line), or breaks a line (br). */
static const char *separator_of(const char *name)
{
    static const char *const blocks[] = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table",
        "blockquote", "pre", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
        "figcaption", "hr", "address", "body", "caption", "details", "summary", "form", "fieldset"};
    if (!strcasecmp(name, "br"))
        return "\n";
    if (!strcasecmp(name, "td") || !strcasecmp(name, "th"))
        return "\t";
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (!strcasecmp(name, blocks[i]))
            return "\n\n";
    return NULL;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    (void)atts;
    html_state *s = ctx;
    uint64_t at = here(s);
    if (hidden_element((const char *)name))
        s->hidden++;
    else if (!s->hidden) {
        const char *sep = separator_of((const char *)name);
        if (sep)
            dp_textbuf_break(s->out, sep, s->last);
    }
    s->last = at;
}

static void on_end(void *ctx, const xmlChar *name)
{
    html_state *s = ctx;
    uint64_t at = here(s);
    if (hidden_element((const char *)name)) {
        if (s->hidden)
            s->hidden--;
    } else if (!s->hidden) {
        const char *sep = separator_of((const char *)name);
        if (sep)
            dp_textbuf_break(s->out, sep, s->last);
    }
    s->last = at;
}

/*
 * Text the parser delivers ends at the current input position; it is matched back
 * against the original bytes from there: bytes that match (the usual case in UTF-8
 * files) map one to one; a carriage return the parser dropped is stepped over; what is
 * left at the front (an entity such as "&amp;", or text in another encoding) maps as
 * one segment to the source bytes before the matched part.
 */
static void on_text(void *ctx, const xmlChar *ch, int n)
{
    html_state *s = ctx;
    uint64_t end = here(s), lo = s->last;
    s->last = end;
    if (s->hidden || n <= 0)
        return;
    const char *t = (const char *)ch;
    bool space = true; /* layout whitespace between blocks adds nothing */
    for (int k = 0; k < n && space; k++)
        space = t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r';
    if (space && (s->out->len == 0 || s->out->text[s->out->len - 1] == '\n'))
        return;
    if (end < lo)
        lo = end;
    /* match from the end: runs of equal bytes, recorded front to back afterwards */
    enum { MAX_RUNS = 64 };
    struct run {
        uint64_t src; /* source offset of the run */
        size_t t, n;  /* its text offset in ch, and length */
    } runs[MAX_RUNS];
    size_t nr = 0, i = (size_t)n;
    uint64_t pos = end;
    while (i > 0 && pos > lo && nr < MAX_RUNS) {
        char c = s->src[pos - 1];
        if (c == '\r') {
            bool lone = pos >= s->len || s->src[pos] != '\n';
            if (lone && t[i - 1] == '\n') { /* a lone CR read as LF: one byte each */
                pos--, i--;
                runs[nr++] = (struct run){pos, i, 1};
            } else if (lone) {
                break;
            } else {
                pos--; /* the CR of a CRLF, dropped by the parser */
            }
            continue;
        }
        if (c != t[i - 1])
            break;
        size_t k = 0;
        while (i > k && pos - k > lo && s->src[pos - k - 1] == t[i - k - 1] && s->src[pos - k - 1] != '\r')
            k++;
        pos -= k, i -= k;
        runs[nr++] = (struct run){pos, i, k};
    }
    if (i > 0) { /* the unmatched front: from its '&' if an entity, else from lo */
        uint64_t from = pos;
        while (from > lo && s->src[from - 1] != '&')
            from--;
        if (from == lo || s->src[from - 1] != '&')
            from = lo < pos && s->src[lo] == '>' ? lo + 1 : lo;
        else
            from--;
        dp_textbuf_add(s->out, t, i, from, pos - from);
    }
    while (nr > 0) {
        nr--;
        dp_textbuf_add(s->out, t + runs[nr].t, runs[nr].n, runs[nr].src, runs[nr].n);
    }
}

static void on_other(void *ctx, const xmlChar *value)
{
    (void)value;
    html_state *s = ctx;
    s->last = here(s);
}

static void on_cdata(void *ctx, const xmlChar *value, int n)
{
    (void)value, (void)n;
    html_state *s = ctx; /* script and style bodies */
    s->last = here(s);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    (void)target, (void)data;
    html_state *s = ctx;
    s->last = here(s);
}

static bool valid_utf8(const char *s, size_t len)
{
    int32_t cp;
    for (size_t i = 0, k; i < len; i += k)
        if (!(k = dp_utf8_decode((const uint8_t *)s + i, len - i, &cp)))
            return false;
    return true;
}

int dp_html_extract(const char *bytes, size_t len, dp_textbuf *out, char **why)
{
    *why = NULL;
    if (len > INT32_MAX) {
        *why = dp_io_printf("too large for the HTML parser");
        return *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
    }
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(bytes, (int)len);
    if (!ctxt)
        return DOPPEL_ERR_NOMEM;
    static htmlSAXHandler sax; /* zero but for the callbacks below, set each time */
    htmlSAXHandler h;
    memcpy(&h, &sax, sizeof h);
    h.startElement = on_start;
    h.endElement = on_end;
    h.characters = on_text;
    h.ignorableWhitespace = on_text;
    h.cdataBlock = on_cdata;
    h.comment = on_other;
    h.processingInstruction = on_pi;
    html_state s = {ctxt, bytes, len, out, 0, 0};
    htmlSAXHandlerPtr old = (htmlSAXHandlerPtr)ctxt->sax;
    ctxt->sax = &h;
    ctxt->userData = &s;
    /* libxml2 reads HTML without a declared charset as Latin-1; text that is valid
     * UTF-8 is UTF-8 (pure ASCII reads the same either way) */
    if (valid_utf8(bytes, len))
        xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
    htmlParseDocument(ctxt);
    ctxt->sax = old;
    xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = NULL;
    htmlFreeParserCtxt(ctxt);
    return out->failed ? DOPPEL_ERR_NOMEM : DOPPEL_OK;
}
