/*
 * The HTML report: one self-contained page (inline CSS, SVG and script, no external
 * resources, works from file://). A header says what was run; the overview has the
 * pairs table (sortable by any column, filtered by a score slider and a name), a
 * histogram of the reported pairs' scores with the threshold marked, each document's
 * highest score, and groups of documents joined by reported pairs as a list and a
 * picture; then the passages common to many documents. Each pair's side-by-side view
 * is an inert <template>, put on the page only when the pair is opened (a row's link,
 * #pair-N), so thousands of pairs cost the browser no layout until they are viewed.
 *
 * Every highlight is an <a class="hl"> carrying data-passage, data-start and
 * data-end: the passage's byte offsets in that document's original bytes; its kind
 * and score show as a label (CSS, from data-label, so the pane's text stays the
 * document's). Texts are shown decoded as the sweep decoded them (text/decode.h:
 * UTF-16, Windows-1252, ...), each highlight around the decoded characters of its
 * original bytes; sequences the decoder could not read appear as U+FFFD. Clicking a
 * passage (or Enter on it) scrolls both panes to it; a view opens at its first passage.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/collect.h"
#include "report/markup.h"
#include "report/writer.h"
#include "text/decode.h"

#define HTML_COLOURS 8
/* At most this many documents are drawn in the groups picture; the rest are counted. */
#define HTML_GRAPH_MAX_NODES 300
/* Histogram bins over [0, 1]. */
#define HTML_BINS 20

typedef struct {
    dp_writer base;
    dp_collect c;
} html_writer;

static void esc(FILE *f, const char *s, size_t len) { dp_markup_escape(f, s, len); }

static void esc_str(FILE *f, const char *s) { esc(f, s, strlen(s)); }

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
    "th button{font:inherit;font-weight:bold;background:none;border:0;cursor:pointer;padding:0}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "dl.about{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}dl.about dd{margin:0}"
    ".filters{margin:.5em 0}.filters label{margin-right:1.5em}"
    ".sides{display:flex;gap:1em}.side{flex:1;min-width:0}"
    "pre.text{position:relative;white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #ddd;"
    "padding:.6em;height:34em;overflow:auto;font:13px/1.5 ui-monospace,monospace}"
    "a.hl{color:inherit;text-decoration:none;border-radius:2px;cursor:pointer}"
    "a.hl[data-label]::before{content:attr(data-label);font:bold 10px system-ui,sans-serif;background:#333;color:#fff;"
    "border-radius:2px;padding:0 .3em;margin-right:.2em}"
    "a.hl.active{outline:2px solid #000}"
    ".legend{display:flex;flex-wrap:wrap;gap:.4em;margin:.4em 0}"
    ".legend button{font:12px system-ui,sans-serif;border:1px solid #999;border-radius:3px;cursor:pointer}"
    ".c0{background:#ffd54f}.c1{background:#81d4fa}.c2{background:#a5d6a7}"
    ".c3{background:#f48fb1}.c4{background:#ce93d8}.c5{background:#ffab91}"
    ".c6{background:#80cbc4}.c7{background:#e6ee9c}"
    "svg text{font:10px sans-serif}#view:empty{display:none}#view{margin-top:1em;border-top:2px solid #333}"
    ".note{color:#555}"
    ".excl{color:#888;background:#eee}"
    ".part{display:block;margin:.6em 0 .2em;padding:.1em .4em;border-top:2px solid #555;background:#f4f4f4;"
    "font:bold 12px system-ui,sans-serif}";

/* Sorting, filtering and the pair view (opened from #pair-N); no network, no libraries. */
static const char script[] =
    "(function(){'use strict';\n"
    "var rows=[].slice.call(document.querySelectorAll('table.pairs tbody tr'));\n"
    "var minS=document.getElementById('min-score'),name=document.getElementById('name-filter'),"
    "shown=document.getElementById('shown');\n"
    "function filter(){var m=parseFloat(minS.value),t=name.value.toLowerCase(),n=0;"
    "document.getElementById('min-score-value').textContent=m.toFixed(2);"
    "rows.forEach(function(r){var ok=parseFloat(r.dataset.score)>=m&&"
    "(!t||r.dataset.a.toLowerCase().indexOf(t)>=0||r.dataset.b.toLowerCase().indexOf(t)>=0);"
    "r.hidden=!ok;if(ok)n++;});shown.textContent=n;}\n"
    "if(minS){minS.addEventListener('input',filter);name.addEventListener('input',filter);}\n"
    "[].forEach.call(document.querySelectorAll('table.pairs th button'),function(b){"
    "b.addEventListener('click',function(){var k=b.dataset.key,num=b.dataset.num==='1',"
    "dir=b.dataset.dir==='asc'?'desc':'asc';b.dataset.dir=dir;"
    "rows.sort(function(x,y){var u=x.dataset[k],v=y.dataset[k],c=num?parseFloat(u)-parseFloat(v):"
    "u.localeCompare(v);return dir==='asc'?c:-c;});"
    "var tb=document.querySelector('table.pairs tbody');rows.forEach(function(r){tb.appendChild(r);});});});\n"
    "function scrollTo(el){var pane=el.closest('pre');pane.scrollTop=Math.max(0,el.offsetTop-24);}\n"
    "function show(view,k){[].forEach.call(view.querySelectorAll('a.hl'),function(e){"
    "e.classList.toggle('active',e.dataset.passage===k);});"
    "[].forEach.call(view.querySelectorAll('pre.text'),function(pre){"
    "var e=pre.querySelector('a.hl[data-passage=\"'+k+'\"]');if(e)scrollTo(e);});}\n"
    "var view=document.getElementById('view');\n"
    "function open(){var m=/^#pair-(\\d+)/.exec(location.hash);if(!m)return;"
    "var t=document.getElementById('tpl-'+m[1]);if(!t)return;"
    "view.replaceChildren(t.content.cloneNode(true));"
    "var first=view.querySelector('a.hl');if(first)show(view,first.dataset.passage);"
    "view.scrollIntoView();}\n"
    "view.addEventListener('click',function(ev){var e=ev.target.closest('a.hl,.legend button');"
    "if(!e)return;ev.preventDefault();show(view,e.dataset.passage);});\n"
    "window.addEventListener('hashchange',open);open();\n"
    "})();\n";

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
    fputs("<h2 id=\"pairs\">Pairs</h2>\n", f);
    if (!c->n_pairs) {
        fputs("<p>No similar pairs were found.</p>\n", f);
        return;
    }
    fprintf(f, "<div class=\"filters\"><label>lowest score <input type=\"range\" id=\"min-score\" min=\"0\" "
               "max=\"1\" step=\"0.01\" value=\"0\"> <output id=\"min-score-value\">0.00</output></label>"
               "<label>document name <input type=\"search\" id=\"name-filter\"></label>"
               "<span><output id=\"shown\">%zu</output> of %zu pairs shown</span></div>\n",
            c->n_pairs, c->n_pairs);
    static const char *const cols[][3] = {{"n", "1", "#"}, {"score", "1", "score"}, {"a", "0", "document a"},
                                          {"b", "0", "document b"}, {"passages", "1", "passages"},
                                          {"cova", "1", "coverage a"}, {"covb", "1", "coverage b"}};
    fputs("<table class=\"pairs\"><thead><tr>", f);
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        fprintf(f, "<th><button type=\"button\" data-key=\"%s\" data-num=\"%s\" title=\"sort\">%s</button></th>",
                cols[k][0], cols[k][1], cols[k][2]);
    fputs("</tr></thead><tbody>\n", f);
    for (size_t i = 0; i < c->n_pairs; i++) {
        const dp_owned_pair *p = &c->pairs[i];
        fprintf(f, "<tr data-n=\"%zu\" data-score=\"%.4f\" data-passages=\"%zu\" data-cova=\"%.4f\" "
                   "data-covb=\"%.4f\" data-a=\"",
                i + 1, (double)p->score, p->n_passages, (double)p->a_coverage, (double)p->b_coverage);
        esc_str(f, p->a);
        fputs("\" data-b=\"", f);
        esc_str(f, p->b);
        fprintf(f, "\"><td><a href=\"#pair-%zu\">%zu</a></td><td class=\"num\">%.3f</td><td>", i + 1, i + 1,
                (double)p->score);
        esc_str(f, p->a);
        fputs("</td><td>", f);
        esc_str(f, p->b);
        fprintf(f, "</td><td class=\"num\">%zu</td><td class=\"num\">%.0f%%</td>"
                   "<td class=\"num\">%.0f%%</td></tr>\n",
                p->n_passages, 100.0 * (double)p->a_coverage, 100.0 * (double)p->b_coverage);
    }
    fputs("</tbody></table>\n", f);
}

/*
 * Bars of the pairs' scores over [0, 1], the threshold as a line: every compared pair when
 * the summary has their bins, else the reported pairs in HTML_BINS bins. Bar heights are
 * on a square-root scale, so a few high-scoring pairs stay visible beside thousands of
 * low ones; each bar's title gives its count.
 */
static void write_histogram(FILE *f, const dp_collect *c, double threshold, const dp_summary *s)
{
    uint64_t own[HTML_BINS] = {0}, top = 1, total = 0;
    const uint64_t *bins = s->score_bins ? s->score_bins : own;
    size_t n_bins = s->score_bins ? s->n_score_bins : HTML_BINS;
    for (size_t i = 0; !s->score_bins && i < c->n_pairs; i++) {
        int k = (int)(c->pairs[i].score * HTML_BINS);
        own[k < 0 ? 0 : k >= HTML_BINS ? HTML_BINS - 1 : k]++;
    }
    for (size_t k = 0; k < n_bins; k++)
        top = bins[k] > top ? bins[k] : top, total += bins[k];
    if (!total)
        return;
    const double w = 600, h = 160, left = 40, bottom = 24, bw = w / (double)n_bins;
    if (s->score_bins)
        fprintf(f, "<h2>Scores</h2>\n<p class=\"note\">All %llu compared pairs by score (bar heights on a "
                   "square-root scale; a bar's title gives its count); the %zu at or above the threshold are "
                   "reported.</p>\n", (unsigned long long)total, s->pairs_reported);
    else
        fputs("<h2>Scores</h2>\n<p class=\"note\">Reported pairs by score (bar heights on a square-root "
              "scale); pairs below the threshold are not reported.</p>\n", f);
    fprintf(f, "<svg class=\"histogram\" width=\"%.0f\" height=\"%.0f\" role=\"img\" data-pairs=\"%llu\" "
               "aria-label=\"histogram of pair scores\">\n", left + w + 20, h + bottom + 10, (unsigned long long)total);
    for (size_t k = 0; k < n_bins; k++) {
        double bh = (h - 10) * sqrt((double)bins[k] / (double)top);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1565c0\" "
                   "data-count=\"%llu\"><title>%.2f-%.2f: %llu pairs</title></rect>\n",
                left + (double)k * bw + 1, h - bh, bw - 2, bh, (unsigned long long)bins[k], (double)k / (double)n_bins,
                (double)(k + 1) / (double)n_bins, (unsigned long long)bins[k]);
    }
    for (int k = 0; k <= 10; k += 2)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.1f</text>\n", left + k * w / 10,
                h + 14, k / 10.0);
    fprintf(f, "<text x=\"%.1f\" y=\"10\" text-anchor=\"end\">%llu</text>\n", left - 4, (unsigned long long)top);
    double tx = left + threshold * w;
    fprintf(f, "<line class=\"threshold\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b71c1c\" stroke-width=\"2\" "
               "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"#b71c1c\">threshold %.3g</text>\n",
            tx, tx, h, tx + 4, h - 4 > 20 ? 20.0 : h - 4, threshold);
    fputs("</svg>\n", f);
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

/* The index of id in rows (sorted by id; id is one of them). */
static size_t row_of(const doc_row *rows, size_t n, const char *id)
{
    const doc_row key = {id, 0, 0}, *r = bsearch(&key, rows, n, sizeof *rows, by_id);
    return r ? (size_t)(r - rows) : 0;
}

static size_t find_root(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* A group of documents joined by reported pairs (a connected component). */
typedef struct {
    size_t root, n;  /* members: the rows whose find_root is root */
    size_t strongest; /* the pair of the highest score within */
} group;

static int by_size(const void *x, const void *y)
{
    const group *a = x, *b = y;
    return a->n != b->n ? (a->n < b->n ? 1 : -1) : (a->root > b->root) - (a->root < b->root);
}

/*
 * The groups as a list (members, strongest link) and a picture: each group in a cell of
 * its own, members on a circle, a line per reported pair darker and wider with its score,
 * labels outside the circle and inside the cell; at most HTML_GRAPH_MAX_NODES documents
 * drawn, the rest counted. rows is sorted by id.
 */
static int write_groups(FILE *f, const dp_collect *c, const doc_row *rows, size_t n_rows)
{
    if (!c->n_pairs)
        return DOPPEL_OK;
    size_t *up = malloc(n_rows * sizeof *up), *pos = malloc(n_rows * sizeof *pos);
    group *g = malloc(n_rows * sizeof *g);
    if (!up || !pos || !g) {
        free(up), free(pos), free(g);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n_rows; i++)
        up[i] = i;
    for (size_t i = 0; i < c->n_pairs; i++) {
        size_t x = find_root(up, row_of(rows, n_rows, c->pairs[i].a));
        size_t y = find_root(up, row_of(rows, n_rows, c->pairs[i].b));
        if (x != y)
            up[x > y ? x : y] = x < y ? x : y;
    }
    size_t n_groups = 0;
    for (size_t i = 0; i < n_rows; i++)
        if (find_root(up, i) == i)
            g[n_groups++] = (group){i, 0, SIZE_MAX};
    for (size_t i = 0; i < n_rows; i++) /* pos: a member's place within its group */
        for (size_t k = 0; k < n_groups; k++)
            if (g[k].root == find_root(up, i)) {
                pos[i] = g[k].n++;
                break;
            }
    for (size_t i = 0; i < c->n_pairs; i++) { /* pairs are by score: the first of a group is its strongest */
        size_t r = find_root(up, row_of(rows, n_rows, c->pairs[i].a));
        for (size_t k = 0; k < n_groups; k++)
            if (g[k].root == r && g[k].strongest == SIZE_MAX)
                g[k].strongest = i;
    }
    qsort(g, n_groups, sizeof *g, by_size);
    fprintf(f, "<h2>Groups</h2>\n<p class=\"note\">Documents joined by reported pairs: %zu groups.</p>\n"
               "<ol class=\"groups\">\n", n_groups);
    for (size_t k = 0; k < n_groups; k++) {
        fprintf(f, "<li>%zu documents: ", g[k].n);
        size_t shown = 0;
        for (size_t i = 0; i < n_rows; i++)
            if (find_root(up, i) == g[k].root) {
                fputs(shown++ ? ", " : "", f);
                esc_str(f, rows[i].id);
            }
        const dp_owned_pair *s = &c->pairs[g[k].strongest];
        fprintf(f, "; strongest link <a href=\"#pair-%zu\">%.3f</a></li>\n", g[k].strongest + 1, (double)s->score);
    }
    fputs("</ol>\n", f);
    /* the picture: 3 cells a row */
    const double cw = 300, ch = 260, rad = 70;
    size_t drawn = 0, cells = 0;
    for (size_t k = 0; k < n_groups && drawn + g[k].n <= HTML_GRAPH_MAX_NODES; k++)
        drawn += g[k].n, cells++;
    size_t rows_of_cells = (cells + 2) / 3;
    fprintf(f, "<svg class=\"groups\" width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"groups of documents\">\n",
            3 * cw, rows_of_cells * ch);
    for (size_t k = 0; k < cells; k++) {
        double ox = (double)(k % 3) * cw + cw / 2, oy = (double)(k / 3) * ch + ch / 2;
        double r = g[k].n == 2 ? rad / 2 : rad;
        /* edges first, under the nodes */
        for (size_t i = 0; i < c->n_pairs; i++) {
            size_t x = row_of(rows, n_rows, c->pairs[i].a);
            size_t y = row_of(rows, n_rows, c->pairs[i].b);
            if (find_root(up, x) != g[k].root)
                continue;
            double tx = 2 * M_PI * (double)pos[x] / (double)g[k].n, ty = 2 * M_PI * (double)pos[y] / (double)g[k].n;
            double sc = c->pairs[i].score;
            fprintf(f, "<a href=\"#pair-%zu\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b71c1c\" "
                       "stroke-opacity=\"%.2f\" stroke-width=\"%.1f\"><title>%.3f</title></line></a>\n",
                    i + 1, ox + r * cos(tx), oy + r * sin(tx), ox + r * cos(ty), oy + r * sin(ty), 0.25 + 0.75 * sc,
                    1 + 5 * sc, sc);
        }
        for (size_t i = 0; i < n_rows; i++) {
            if (find_root(up, i) != g[k].root)
                continue;
            double t = 2 * M_PI * (double)pos[i] / (double)g[k].n, x = ox + r * cos(t), y = oy + r * sin(t);
            fprintf(f, "<g><circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1565c0\"/>"
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
                    x, y, x + 8 * cos(t), y + 8 * sin(t) + 3, fabs(cos(t)) < 0.3 ? "middle" : cos(t) > 0 ? "start" : "end");
            esc_str(f, base_name(rows[i].id));
            fputs("</text><title>", f);
            esc_str(f, rows[i].id);
            fputs("</title></g>\n", f);
        }
    }
    fputs("</svg>\n", f);
    if (cells < n_groups)
        fprintf(f, "<p class=\"note\">%zu more groups (%zu documents) are in the list, not drawn.</p>\n",
                n_groups - cells, n_rows - drawn);
    free(up), free(pos), free(g);
    return DOPPEL_OK;
}

/* One side's passages ordered by start offset (ties by index). */
typedef struct {
    uint64_t start, end;
    size_t idx;
} span;

static int cmp_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

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

/* Opens a piece of passage k (sp[k]); its first piece carries the label. */
static void open_passage(FILE *f, size_t pair_no, const dp_owned_pair *p, const span *sp, bool first)
{
    const dp_passage *q = &p->passages[sp->idx];
    fprintf(f, "<a class=\"hl c%zu\" href=\"#pair-%zu\"", sp->idx % HTML_COLOURS, pair_no);
    if (first)
        fprintf(f, " data-label=\"%zu %s %.2f\"", sp->idx + 1, dp_passage_kind_name(q->kind), (double)q->score);
    fprintf(f, " data-passage=\"%zu\" data-start=\"%llu\" data-end=\"%llu\" data-kind=\"%s\" title=\"%s %.3f\">",
            sp->idx, (unsigned long long)sp->start, (unsigned long long)sp->end, dp_passage_kind_name(q->kind),
            dp_passage_kind_name(q->kind), (double)q->score);
}

/* The name a --by-dir part is shown by: its path below the submission's folder. */
static const char *part_name(const char *id, const char *path)
{
    size_t n = strlen(id);
    return strncmp(path, id, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/*
 * Writes one document's decoded text with its passages highlighted, the text that is not
 * evidence greyed (m->excluded) and, for a --by-dir submission, each file's name where it
 * starts. Passages should not overlap on one side; if they do, a later one shows only its
 * part beyond the earlier (data-start/data-end still give its full extent). Marks never
 * nest across each other: a passage crossing a grey span or a file boundary is written as
 * pieces (the first one labelled).
 */
static int write_side(FILE *f, size_t pair_no, char side, const dp_owned_pair *p, const dp_text *t,
                      const char *id, const dp_report_marks *m)
{
    size_t n_cuts = 2 * p->n_passages + 2 * m->n_excluded + m->n_parts + 2;
    span *sp = malloc((p->n_passages ? p->n_passages : 1) * sizeof *sp);
    size_t *ps = malloc((p->n_passages ? p->n_passages : 1) * 2 * sizeof *ps), *cuts = malloc(n_cuts * sizeof *cuts);
    if (!sp || !ps || !cuts) {
        free(sp), free(ps), free(cuts);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t i = 0; i < p->n_passages; i++) {
        const dp_passage *q = &p->passages[i];
        sp[i] = side == 'a' ? (span){q->a_start, q->a_end, i} : (span){q->b_start, q->b_end, i};
    }
    qsort(sp, p->n_passages, sizeof *sp, by_start);
    /* passages in decoded bytes, each clamped to start where the previous ended */
    size_t nc = 0, prev = 0;
    for (size_t i = 0; i < p->n_passages; i++) {
        size_t s = decoded_at(t, sp[i].start), e = decoded_at(t, sp[i].end);
        s = s > prev ? s : prev;
        e = e > s ? e : s;
        ps[2 * i] = s, ps[2 * i + 1] = e, prev = e;
        cuts[nc++] = s, cuts[nc++] = e;
    }
    for (size_t i = 0; i < 2 * m->n_excluded; i++)
        cuts[nc++] = decoded_at(t, m->excluded[i]);
    for (size_t i = 0; i < m->n_parts; i++)
        cuts[nc++] = decoded_at(t, m->parts[i].start);
    cuts[nc++] = 0, cuts[nc++] = t->len;
    qsort(cuts, nc, sizeof *cuts, cmp_size);
    fprintf(f, "<pre class=\"text\" data-side=\"%c\">", side);
    size_t pi = 0, xi = 0, parti = 0; /* the next passage, grey span and part */
    bool labelled = false;
    for (size_t c = 0; c + 1 < nc; c++) {
        size_t from = cuts[c], to = cuts[c + 1];
        while (parti < m->n_parts && decoded_at(t, m->parts[parti].start) <= from) {
            if (decoded_at(t, m->parts[parti].start) == from) {
                fputs("<span class=\"part\" title=\"a file of this submission\">", f);
                esc_str(f, part_name(id, m->parts[parti].path));
                fputs("</span>", f);
            }
            parti++;
        }
        if (from == to)
            continue;
        while (pi < p->n_passages && ps[2 * pi + 1] <= from)
            pi++, labelled = false;
        while (xi < m->n_excluded && decoded_at(t, m->excluded[2 * xi + 1]) <= from)
            xi++;
        bool in_passage = pi < p->n_passages && ps[2 * pi] <= from;
        bool grey = xi < m->n_excluded && decoded_at(t, m->excluded[2 * xi]) <= from;
        if (in_passage)
            open_passage(f, pair_no, p, &sp[pi], !labelled), labelled = true;
        if (grey)
            fputs("<span class=\"excl\" title=\"not evidence: template, quoted or reference text, left out of "
                  "the comparison\">", f);
        esc(f, t->utf8 + from, to - from);
        fputs(grey ? "</span>" : "", f);
        fputs(in_passage ? "</a>" : "", f);
    }
    fputs("</pre>\n", f);
    free(sp), free(ps), free(cuts);
    return DOPPEL_OK;
}

static int write_pair_section(html_writer *w, size_t i)
{
    FILE *f = w->base.out;
    const dp_owned_pair *p = &w->c.pairs[i];
    fprintf(f, "<template id=\"tpl-%zu\"><section class=\"pair\"><h3>%zu. ", i + 1, i + 1);
    esc_str(f, p->a);
    fputs(" \xE2\x80\x94 ", f);
    esc_str(f, p->b);
    fprintf(f, ": %.3f (coverage %.0f%% and %.0f%%)</h3>\n", (double)p->score, 100.0 * (double)p->a_coverage,
            100.0 * (double)p->b_coverage);
    /* the legend: each passage's colour, kind, score and offsets; a click shows it in both panes */
    fputs("<div class=\"legend\" aria-label=\"passages\">", f);
    for (size_t k = 0; k < p->n_passages; k++) {
        const dp_passage *q = &p->passages[k];
        fprintf(f, "<button type=\"button\" class=\"c%zu\" data-passage=\"%zu\">%zu: %s %.3f, a [%llu, %llu), "
                   "b [%llu, %llu)</button>",
                k % HTML_COLOURS, k, k + 1, dp_passage_kind_name(q->kind), (double)q->score,
                (unsigned long long)q->a_start, (unsigned long long)q->a_end, (unsigned long long)q->b_start,
                (unsigned long long)q->b_end);
    }
    if (!p->n_passages)
        fputs("<span class=\"note\">no passages</span>", f);
    fputs("</div>\n<div class=\"sides\">\n", f);
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
            dp_report_marks m = {0};
            if (rc == DOPPEL_OK && w->base.opts.marks)
                rc = w->base.opts.marks(w->base.opts.text_ctx, ids[s], &m);
            if (rc == DOPPEL_OK && m.n_excluded)
                fputs("<p class=\"note excl-note\">Greyed: template, quoted or reference text, which is not "
                      "evidence and was left out of the comparison.</p>\n", f);
            if (rc == DOPPEL_OK && m.n_parts)
                fprintf(f, "<p class=\"note\">%zu files, each named where it starts.</p>\n", m.n_parts);
            if (rc == DOPPEL_OK)
                rc = write_side(f, i + 1, s == 0 ? 'a' : 'b', p, &t, ids[s], &m);
            dp_text_free(&t);
            if (rc != DOPPEL_OK)
                return rc;
        }
        fputs("</div>\n", f);
    }
    fputs("</div></section></template>\n", f);
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

static int ht_common(dp_writer *w, const dp_common_passage *p)
{
    return dp_collect_common(&((html_writer *)w)->c, p);
}

/* Passages in more than --max-docs documents (a handout, a famous quotation): not evidence
 * of any pair, listed with where each document holds them and the text of the first. */
static int write_common(html_writer *w)
{
    FILE *f = w->base.out;
    const dp_collect *c = &w->c;
    if (!c->n_common)
        return DOPPEL_OK;
    fprintf(f, "<h2>Shared by many documents</h2>\n<p class=\"note\">%zu passages are in more than --max-docs "
               "documents: common material, not evidence of any pair.</p>\n<ol class=\"common\">\n", c->n_common);
    for (size_t i = 0; i < c->n_common; i++) {
        const dp_collected_common *k = &c->common[i];
        fprintf(f, "<li>shared by %zu documents", k->n);
        char *bytes = NULL;
        size_t len = 0;
        const char *why = NULL;
        if (k->n && w->base.opts.text && w->base.opts.text(w->base.opts.text_ctx, k->members[0].id, &bytes, &len, &why) == DOPPEL_OK) {
            dp_text t;
            int rc = dp_text_decode(&t, bytes, len, DP_ENC_AUTO, NULL);
            free(bytes);
            if (rc)
                return rc;
            size_t s = decoded_at(&t, k->members[0].start), e = decoded_at(&t, k->members[0].end);
            fputs(": <q>", f);
            esc(f, t.utf8 + s, e - s);
            fputs("</q>", f);
            dp_text_free(&t);
        }
        fputs("<ul>", f);
        for (size_t j = 0; j < k->n; j++) {
            fputs("<li>", f);
            esc_str(f, k->members[j].id);
            fprintf(f, " [%llu, %llu)</li>", (unsigned long long)k->members[j].start,
                    (unsigned long long)k->members[j].end);
        }
        fputs("</ul></li>\n", f);
    }
    fputs("</ol>\n", f);
    return DOPPEL_OK;
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
    const char *title = base->opts.title ? base->opts.title : "doppel report";
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"generator\" content=\"doppel\">\n<title>", f);
    esc_str(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head><body>\n<h1>", style);
    esc_str(f, title);
    fputs("</h1>\n<dl class=\"about\">\n", f);
    for (size_t i = 0; i + 1 < 2 * base->opts.n_about; i += 2) {
        fputs("<dt>", f);
        esc_str(f, base->opts.about[i]);
        fputs("</dt><dd>", f);
        esc_str(f, base->opts.about[i + 1]);
        fputs("</dd>\n", f);
    }
    fprintf(f, "<dt>counts</dt><dd class=\"summary\">%zu documents, %zu skipped, %zu pairs compared, "
               "%zu reported, %zu common passages, %.2f s</dd>\n</dl>\n",
            s->documents, s->skipped, s->pairs_compared, s->pairs_reported, s->common, s->seconds);
    write_pairs_table(f, c);
    fputs("<div id=\"view\" aria-live=\"polite\"></div>\n", f);
    write_histogram(f, c, base->opts.threshold, s);
    int rc = write_groups(f, c, rows, n_rows);
    qsort(rows, n_rows, sizeof *rows, by_best);
    write_docs_table(f, rows, n_rows);
    free(rows);
    if (rc || (rc = write_common(w)))
        return rc;
    write_lists(f, c);
    for (size_t i = 0; i < c->n_pairs; i++)
        if ((rc = write_pair_section(w, i)) != DOPPEL_OK)
            return rc;
    fprintf(f, "<script>%s</script>\n</body></html>\n", script);
    return dp_writer_io_status(base);
}

static void ht_destroy(dp_writer *base)
{
    dp_collect_free(&((html_writer *)base)->c);
    free(base);
}

static const dp_writer_ops html_ops = {ht_begin, ht_pair, ht_skipped, ht_cluster, ht_end,
                                       ht_destroy, ht_common};

int dp_writer_html_create(dp_writer **out)
{
    html_writer *w = calloc(1, sizeof *w);
    if (!w)
        return DOPPEL_ERR_NOMEM;
    w->base.ops = &html_ops;
    *out = &w->base;
    return DOPPEL_OK;
}
