/*
 * The HTML report: one self-contained static page (inline CSS and SVG, no scripts,
 * no external resources). It holds an overview table of pairs sorted by score, each
 * document's highest similarity, a similarity graph of the flagged documents, the
 * clusters and skipped documents, and for every pair both texts side by side with
 * matching passages highlighted in matching colours and linked to each other.
 *
 * Every highlight is an <a class="hl"> carrying data-passage, data-start and
 * data-end: the passage's byte offsets in that document's original bytes. Texts are
 * shown decoded as the sweep decoded them (text/decode.h: UTF-16, Windows-1252, ...),
 * each highlight around the decoded characters of its original bytes; sequences the
 * decoder could not read appear as U+FFFD.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "report/collect.h"
#include "report/writer.h"
#include "text/decode.h"

#define HTML_COLOURS 8
/* Beyond this many documents the graph shows only the most similar ones. */
#define HTML_GRAPH_MAX_NODES 120

typedef struct {
    dp_writer base;
    dp_collect c;
} html_writer;

/* Text and attribute escaping in one: &, <, >, " and ' become entities; invalid
 * UTF-8 and control characters other than tab and line ends become U+FFFD. */
static void esc(FILE *f, const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '&': fputs("&amp;", f); break;
            case '<': fputs("&lt;", f); break;
            case '>': fputs("&gt;", f); break;
            case '"': fputs("&quot;", f); break;
            case '\'': fputs("&#39;", f); break;
            default:
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                    fputs("\xEF\xBF\xBD", f);
                else
                    fputc(c, f);
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t n = dp_utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            fputs("\xEF\xBF\xBD", f);
            i++;
        } else {
            fwrite(p + i, 1, n, f);
            i += n;
        }
    }
}

static void esc_str(FILE *f, const char *s) { esc(f, s, strlen(s)); }

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".sides{display:flex;gap:1em}.side{flex:1;min-width:0}"
    "pre.text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #ddd;padding:.6em;"
    "max-height:40em;overflow:auto;font:13px/1.4 ui-monospace,monospace}"
    "a.hl{color:inherit;text-decoration:none;border-radius:2px}"
    "a.hl:target{outline:2px solid #000}"
    ".c0{background:#ffd54f}.c1{background:#81d4fa}.c2{background:#a5d6a7}"
    ".c3{background:#f48fb1}.c4{background:#ce93d8}.c5{background:#ffab91}"
    ".c6{background:#80cbc4}.c7{background:#e6ee9c}"
    "svg text{font:10px sans-serif}section.pair{margin-top:2em}";

/* Per-document rows of the overview: highest score and number of pairs. */
typedef struct {
    const char *id;
    float best;
    size_t pairs;
} doc_row;

static int by_id(const void *x, const void *y)
{
    return strcmp(((const doc_row *)x)->id, ((const doc_row *)y)->id);
}

static int by_best(const void *x, const void *y)
{
    const doc_row *a = x, *b = y;
    if (a->best != b->best)
        return a->best > b->best ? -1 : 1;
    return strcmp(a->id, b->id);
}

static doc_row *find_doc(doc_row *rows, size_t n, const char *id)
{
    doc_row key = {id, 0, 0};
    return bsearch(&key, rows, n, sizeof *rows, by_id);
}

/* The distinct documents of all pairs with their best score, sorted by id. */
static doc_row *doc_rows(const dp_collect *c, size_t *n_out)
{
    doc_row *rows = malloc((2 * c->n_pairs + 1) * sizeof *rows);
    if (!rows)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < c->n_pairs; i++) {
        rows[n++] = (doc_row){c->pairs[i].a, 0, 0};
        rows[n++] = (doc_row){c->pairs[i].b, 0, 0};
    }
    qsort(rows, n, sizeof *rows, by_id);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(rows[u - 1].id, rows[i].id) != 0)
            rows[u++] = rows[i];
    for (size_t i = 0; i < c->n_pairs; i++) {
        const char *ids[2] = {c->pairs[i].a, c->pairs[i].b};
        for (int s = 0; s < 2; s++) {
            doc_row *r = find_doc(rows, u, ids[s]);
            if (!r) /* cannot happen: every id was added above */
                continue;
            r->pairs++;
            if (c->pairs[i].score > r->best)
                r->best = c->pairs[i].score;
        }
    }
    *n_out = u;
    return rows;
}

static void write_pairs_table(FILE *f, const dp_collect *c)
{
    fputs("<h2>Pairs</h2>\n", f);
    if (!c->n_pairs) {
        fputs("<p>No similar pairs were found.</p>\n", f);
        return;
    }
    fputs("<table class=\"pairs\"><tr><th>#</th><th>score</th><th>document a</th>"
          "<th>document b</th><th>passages</th><th>coverage a</th><th>coverage b</th></tr>\n",
          f);
    for (size_t i = 0; i < c->n_pairs; i++) {
        const dp_collected_pair *p = &c->pairs[i];
        fprintf(f, "<tr><td><a href=\"#pair-%zu\">%zu</a></td><td class=\"num\">%.3f</td><td>",
                i + 1, i + 1, (double)p->score);
        esc_str(f, p->a);
        fputs("</td><td>", f);
        esc_str(f, p->b);
        fprintf(f, "</td><td class=\"num\">%zu</td><td class=\"num\">%.0f%%</td>"
                   "<td class=\"num\">%.0f%%</td></tr>\n",
                p->n_passages, 100.0 * (double)p->a_coverage, 100.0 * (double)p->b_coverage);
    }
    fputs("</table>\n", f);
}

static void write_docs_table(FILE *f, const doc_row *by_score, size_t n)
{
    if (!n)
        return;
    fputs("<h2>Documents</h2>\n<table class=\"docs\"><tr><th>document</th>"
          "<th>highest similarity</th><th>pairs</th></tr>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        esc_str(f, by_score[i].id);
        fprintf(f, "</td><td class=\"num\">%.3f</td><td class=\"num\">%zu</td></tr>\n",
                (double)by_score[i].best, by_score[i].pairs);
    }
    fputs("</table>\n", f);
}

/* The last two path components ("s07/essay.txt"), for short node labels: files of a class
 * set often share their base name. The full id is in the tooltip. */
static const char *base_name(const char *id)
{
    const char *end = id + strlen(id), *s = end;
    int slashes = 0;
    while (s > id && slashes < 2)
        if (*--s == '/' && s + 1 < end)
            slashes++;
    return slashes == 2 ? s + 1 : id;
}

/*
 * Similarity graph: the most similar documents on a circle, an edge per pair whose
 * darkness and width grow with the score; edges link to the pair's section.
 * rows is sorted by best score; the first `shown` are drawn.
 */
static void write_graph(FILE *f, const dp_collect *c, doc_row *rows, size_t n_rows)
{
    size_t shown = n_rows < HTML_GRAPH_MAX_NODES ? n_rows : HTML_GRAPH_MAX_NODES;
    if (shown < 2)
        return;
    const double size = 640, cx = size / 2, cy = size / 2, radius = size / 2 - 90;
    /* Node positions by id: sort the shown rows by id for lookup, index = angle. */
    doc_row *nodes = malloc(shown * sizeof *nodes);
    if (!nodes)
        return;
    memcpy(nodes, rows, shown * sizeof *nodes);
    for (size_t i = 0; i < shown; i++)
        nodes[i].pairs = i; /* reuse: position on the circle, by score rank */
    qsort(nodes, shown, sizeof *nodes, by_id);
    fputs("<h2>Similarity graph</h2>\n", f);
    if (shown < n_rows)
        fprintf(f, "<p>The %zu documents with the highest similarity of %zu.</p>\n", shown,
                n_rows);
    fprintf(f, "<svg class=\"graph\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
               "role=\"img\">\n", size, size, size, size);
    for (size_t i = 0; i < c->n_pairs; i++) {
        const doc_row *a = find_doc(nodes, shown, c->pairs[i].a);
        const doc_row *b = find_doc(nodes, shown, c->pairs[i].b);
        if (!a || !b)
            continue;
        double ta = 2 * M_PI * (double)a->pairs / (double)shown;
        double tb = 2 * M_PI * (double)b->pairs / (double)shown;
        double s = c->pairs[i].score;
        fprintf(f, "<a href=\"#pair-%zu\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                   "stroke=\"#b71c1c\" stroke-opacity=\"%.2f\" stroke-width=\"%.1f\"><title>",
                i + 1, cx + radius * cos(ta), cy + radius * sin(ta), cx + radius * cos(tb),
                cy + radius * sin(tb), 0.15 + 0.85 * s, 1 + 5 * s);
        esc_str(f, c->pairs[i].a);
        fputs(" \xE2\x80\x94 ", f);
        esc_str(f, c->pairs[i].b);
        fprintf(f, ": %.3f</title></line></a>\n", s);
    }
    for (size_t i = 0; i < shown; i++) {
        double t = 2 * M_PI * (double)nodes[i].pairs / (double)shown;
        double x = cx + radius * cos(t), y = cy + radius * sin(t);
        fprintf(f, "<g><circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1565c0\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
                x, y, cx + (radius + 8) * cos(t), cy + (radius + 8) * sin(t) + 3,
                cos(t) >= 0 ? "start" : "end");
        esc_str(f, base_name(nodes[i].id));
        fputs("</text><title>", f);
        esc_str(f, nodes[i].id);
        fprintf(f, ": %.3f</title></g>\n", (double)nodes[i].best);
    }
    fputs("</svg>\n", f);
    free(nodes);
}

/* One side's passages ordered by start offset (ties by index). */
typedef struct {
    uint64_t start, end;
    size_t idx;
} span;

static int by_start(const void *x, const void *y)
{
    const span *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Where original byte offset `off` (clamped to the input) falls in the decoded text. */
static size_t decoded_at(const dp_text *t, uint64_t off)
{
    size_t n = dp_text_orig(t, t->len);
    return dp_text_decoded_pos(t, off < n ? (size_t)off : n);
}

/*
 * Writes one document's decoded text with its passages highlighted. Passages should
 * not overlap on one side; if they do, a later one shows only its part beyond the
 * earlier (data-start/data-end still give its full extent), so marks never nest.
 */
static int write_side(FILE *f, size_t pair_no, char side, const dp_collected_pair *p,
                      const dp_text *t)
{
    span *sp = malloc((p->n_passages ? p->n_passages : 1) * sizeof *sp);
    if (!sp)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < p->n_passages; i++) {
        const dp_passage *q = &p->passages[i];
        sp[i] = side == 'a' ? (span){q->a_start, q->a_end, i} : (span){q->b_start, q->b_end, i};
    }
    qsort(sp, p->n_passages, sizeof *sp, by_start);
    char other = side == 'a' ? 'b' : 'a';
    fprintf(f, "<pre class=\"text\" data-side=\"%c\">", side);
    const char *text = t->utf8;
    size_t pos = 0; /* decoded bytes written so far */
    for (size_t i = 0; i < p->n_passages; i++) {
        size_t s = decoded_at(t, sp[i].start), e = decoded_at(t, sp[i].end);
        s = s > pos ? s : pos;
        e = e > s ? e : s;
        esc(f, text + pos, s - pos);
        const dp_passage *q = &p->passages[sp[i].idx];
        fprintf(f, "<a class=\"hl c%zu\" id=\"pair-%zu-%c-%zu\" href=\"#pair-%zu-%c-%zu\" "
                   "data-passage=\"%zu\" data-start=\"%llu\" data-end=\"%llu\" "
                   "data-kind=\"%s\" title=\"%s %.3f\">",
                sp[i].idx % HTML_COLOURS, pair_no, side, sp[i].idx, pair_no, other, sp[i].idx,
                sp[i].idx, (unsigned long long)sp[i].start, (unsigned long long)sp[i].end,
                dp_passage_kind_name(q->kind), dp_passage_kind_name(q->kind), (double)q->score);
        esc(f, text + s, e - s);
        fputs("</a>", f);
        pos = e;
    }
    esc(f, text + pos, t->len - pos);
    fputs("</pre>\n", f);
    free(sp);
    return DOPPEL_OK;
}

static int write_pair_section(html_writer *w, size_t i)
{
    FILE *f = w->base.out;
    const dp_collected_pair *p = &w->c.pairs[i];
    fprintf(f, "<section class=\"pair\" id=\"pair-%zu\"><h3>%zu. ", i + 1, i + 1);
    esc_str(f, p->a);
    fputs(" \xE2\x80\x94 ", f);
    esc_str(f, p->b);
    fprintf(f, ": %.3f</h3>\n<div class=\"sides\">\n", (double)p->score);
    const char *ids[2] = {p->a, p->b};
    for (int s = 0; s < 2; s++) {
        fputs("<div class=\"side\"><h4>", f);
        esc_str(f, ids[s]);
        fputs("</h4>\n", f);
        char *bytes = NULL;
        size_t len = 0;
        const char *why = NULL;
        if (!w->base.opts.text ||
            w->base.opts.text(w->base.opts.text_ctx, ids[s], &bytes, &len, &why) != DOPPEL_OK) {
            fputs("<p class=\"note\">(text not available", f);
            if (why) {
                fputs(": ", f);
                esc_str(f, why);
            }
            fputs(")</p>\n", f);
        } else {
            /* decoded as the sweep decoded it, so original offsets map to the same characters */
            dp_text t;
            int rc = dp_text_decode(&t, bytes, len, DP_ENC_AUTO, NULL);
            free(bytes);
            if (rc == DOPPEL_OK)
                rc = write_side(f, i + 1, s == 0 ? 'a' : 'b', p, &t);
            dp_text_free(&t);
            if (rc != DOPPEL_OK)
                return rc;
        }
        fputs("</div>\n", f);
    }
    fputs("</div></section>\n", f);
    return DOPPEL_OK;
}

static int ht_begin(dp_writer *w) { return DOPPEL_OK; }

static int ht_pair(dp_writer *w, const dp_pair_result *r)
{
    return dp_collect_pair(&((html_writer *)w)->c, r);
}

static int ht_skipped(dp_writer *w, const dp_skipped *s)
{
    return dp_collect_skipped(&((html_writer *)w)->c, s);
}

static int ht_cluster(dp_writer *w, const char *const *members, size_t n)
{
    return dp_collect_cluster(&((html_writer *)w)->c, members, n);
}

static void write_lists(FILE *f, const dp_collect *c)
{
    if (c->n_clusters) {
        fputs("<h2>Clusters</h2>\n<ol class=\"clusters\">\n", f);
        for (size_t i = 0; i < c->n_clusters; i++) {
            fputs("<li>", f);
            for (size_t j = 0; j < c->clusters[i].n; j++) {
                fputs(j ? ", " : "", f);
                esc_str(f, c->clusters[i].members[j]);
            }
            fputs("</li>\n", f);
        }
        fputs("</ol>\n", f);
    }
    if (c->n_skipped) {
        fputs("<h2>Skipped</h2>\n<ul class=\"skipped\">\n", f);
        for (size_t i = 0; i < c->n_skipped; i++) {
            fputs("<li>", f);
            esc_str(f, c->skipped[i].id);
            fputs(": ", f);
            esc_str(f, c->skipped[i].reason);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
}

static int ht_end(dp_writer *base, const dp_summary *s)
{
    html_writer *w = (html_writer *)base;
    FILE *f = base->out;
    dp_collect *c = &w->c;
    dp_collect_sort(c);
    size_t n_rows = 0;
    doc_row *rows = doc_rows(c, &n_rows);
    if (!rows)
        return DOPPEL_ERR_NOMEM;
    qsort(rows, n_rows, sizeof *rows, by_best);
    const char *title = base->opts.title ? base->opts.title : "doppel report";
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"generator\" content=\"doppel\">\n<title>", f);
    esc_str(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head><body>\n<h1>", style);
    esc_str(f, title);
    fprintf(f, "</h1>\n<p class=\"summary\">%zu documents, %zu skipped, %zu pairs compared, "
               "%zu reported, %.2f s.</p>\n",
            s->documents, s->skipped, s->pairs_compared, s->pairs_reported, s->seconds);
    write_pairs_table(f, c);
    write_docs_table(f, rows, n_rows);
    write_graph(f, c, rows, n_rows);
    free(rows);
    write_lists(f, c);
    if (c->n_pairs)
        fputs("<h2>Passages</h2>\n", f);
    for (size_t i = 0; i < c->n_pairs; i++) {
        int rc = write_pair_section(w, i);
        if (rc != DOPPEL_OK)
            return rc;
    }
    fputs("</body></html>\n", f);
    return dp_writer_io_status(base);
}

static void ht_destroy(dp_writer *base)
{
    dp_collect_free(&((html_writer *)base)->c);
    free(base);
}

static const dp_writer_ops html_ops = {ht_begin, ht_pair, ht_skipped, ht_cluster, ht_end,
                                       ht_destroy, NULL};

int dp_writer_html_create(dp_writer **out)
{
    html_writer *w = calloc(1, sizeof *w);
    if (!w)
        return DOPPEL_ERR_NOMEM;
    w->base.ops = &html_ops;
    *out = &w->base;
    return DOPPEL_OK;
}
