/*
 * What API 1.3 adds: doppel_writer (a report fed one result at a time, as `doppel sweep`
 * streams it), the HTML header's about lines and PAN's directory in doppel_write_opts,
 * the size-tagged doppel_write_summary, and doppel_dedup (near-duplicate clusters, as
 * `doppel sweep --dedup` makes them) with doppel_index_doc_words. Only <doppel.h>, shared
 * library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <doppel.h>

static const char orig[] = "The committee met on Tuesday to discuss the budget. It decided that the new library "
                           "would be built on the old railway land north of the river before the next winter.";
static const char copy[] = "My essay is short. It decided that the new library would be built on the old railway "
                           "land north of the river before the next winter. That is all.";

/* The sweep's report of the two texts (lexical, every pair reported) and one skipped entry. */
static doppel_report *two_texts(doppel_index **ix)
{
    doppel_index_opts o;
    doppel_index_opts_init(&o, sizeof o);
    o.threshold = 0;
    assert_int_equal(doppel_index_create(ix, NULL, 1, &o, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add(*ix, "orig", orig, sizeof orig - 1, 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add(*ix, "copy", copy, sizeof copy - 1, 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add_skipped(*ix, "pic.png", "binary", NULL), DOPPEL_OK);
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(*ix, &r, NULL), DOPPEL_OK);
    return r;
}

/* The report's results fed one by one to a writer of format fmt, then its summary; the
 * text written (malloc'd). */
static char *streamed(int fmt, const char *const *about, size_t n_about, double seconds)
{
    doppel_index *ix;
    doppel_report *r = two_texts(&ix);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    doppel_write_opts o;
    doppel_write_opts_init(&o, sizeof o);
    o.format = fmt, o.about = about, o.n_about = n_about;
    doppel_writer *w;
    assert_int_equal(doppel_writer_create(&w, &o, f, NULL), DOPPEL_OK);
    const doppel_skipped *s;
    while ((s = doppel_report_next_skipped(r)))
        assert_int_equal(doppel_writer_skipped(w, s, NULL), DOPPEL_OK);
    const doppel_pair *p;
    size_t pairs = 0;
    while ((p = doppel_report_next(r)))
        assert_int_equal(doppel_writer_pair(w, p, NULL), DOPPEL_OK), pairs++;
    assert_int_equal(pairs, 1);
    doppel_common_member m[3] = {{"orig", 0, 10}, {"copy", 5, 20}, {"x", 1, 2}};
    doppel_common c = {sizeof c, m, 3};
    assert_int_equal(doppel_writer_common(w, &c, NULL), DOPPEL_OK);
    const char *group[] = {"orig", "copy"};
    assert_int_equal(doppel_writer_cluster(w, group, 2, NULL), DOPPEL_OK);
    doppel_summary sum;
    doppel_report_summary(r, &sum);
    doppel_write_summary ws;
    doppel_write_summary_init(&ws, sizeof ws);
    assert_int_equal(ws.size, sizeof ws);
    assert_null(ws.score_bins);
    ws.documents = sum.documents, ws.skipped = sum.skipped, ws.pairs_compared = sum.pairs_compared;
    ws.pairs_reported = sum.pairs_reported, ws.common_passages = 1, ws.seconds = seconds;
    assert_int_equal(doppel_writer_end(w, &ws, NULL), DOPPEL_OK);
    doppel_writer_free(w);
    fclose(f);
    doppel_report_free(r);
    doppel_index_free(ix);
    return buf;
}

/* JSON Lines as results come: the skipped entry, the pair, the common passage, the
 * cluster and the summary, in that order; the same lines doppel_report_write writes for
 * the report (which has no cluster or common passage of the caller's). */
static void test_writer_jsonl(void **state)
{
    (void)state;
    char *j = streamed(DOPPEL_FORMAT_JSONL, NULL, 0, 1.5);
    const char *sk = strstr(j, "{\"type\":\"skipped\",\"id\":\"pic.png\",\"reason\":\"binary\"}\n");
    const char *pa = strstr(j, "{\"type\":\"pair\",\"a\":\"orig\",\"b\":\"copy\"");
    const char *co = strstr(j, "{\"type\":\"common\"");
    const char *cl = strstr(j, "{\"type\":\"cluster\"");
    const char *su = strstr(j, "{\"type\":\"summary\",\"documents\":2,\"skipped\":1,\"pairs_compared\":1,"
                               "\"pairs_reported\":1,\"common_passages\":1,\"seconds\":1.5,");
    assert_non_null(sk), assert_non_null(pa), assert_non_null(co), assert_non_null(cl), assert_non_null(su);
    assert_true(sk < pa && pa < co && co < cl && cl < su);
    assert_non_null(strstr(co, "\"x\""));

    doppel_index *ix;
    doppel_report *r = two_texts(&ix);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    doppel_write_opts o;
    doppel_write_opts_init(&o, sizeof o);
    o.seconds = 1.5;
    assert_int_equal(doppel_report_write(r, &o, f, NULL), DOPPEL_OK);
    fclose(f);
    /* the report's own lines: the streamed ones without the common passage and cluster */
    assert_int_equal(strncmp(buf, j, (size_t)(co - j)), 0);
    assert_non_null(strstr(buf, "\"common_passages\":0,\"seconds\":1.5,"));
    free(buf), free(j);
    doppel_report_free(r);
    doppel_index_free(ix);
}

/* HTML: the about lines head the page. CSV: the header at creation. */
static void test_writer_html_about(void **state)
{
    (void)state;
    const char *about[] = {"command", "doppel sweep a b", "model", "none <lexical>"};
    char *h = streamed(DOPPEL_FORMAT_HTML, about, 2, 0);
    assert_non_null(strstr(h, "<dt>command</dt><dd>doppel sweep a b</dd>"));
    assert_non_null(strstr(h, "<dt>model</dt><dd>none &lt;lexical&gt;</dd>"));
    free(h);
    h = streamed(DOPPEL_FORMAT_HTML, NULL, 0, 0);
    assert_null(strstr(h, "<dt>command</dt>"));
    free(h);
    char *c = streamed(DOPPEL_FORMAT_CSV, NULL, 0, 0);
    assert_int_equal(strncmp(c, "a,b,score,passages,a_coverage,b_coverage\r\norig,copy,", 52), 0);
    free(c);
}

static void documents(void *ctx, const char *const **ids, size_t *n)
{
    static const char *const all[] = {"orig", "copy"};
    (void)ctx;
    *ids = all, *n = 2;
}

static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    (void)ctx, (void)why;
    const char *t = strcmp(id, "orig") == 0 ? orig : copy;
    *len = strlen(t);
    *bytes = strdup(t);
    return *bytes ? 0 : 1;
}

/* The files of dir, their names joined by spaces into names (sorted by the caller's
 * expectation: the test checks membership). */
static size_t files_in(const char *dir, char *names, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    names[0] = '\0';
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') {
            n++;
            strncat(names, e->d_name, cap - strlen(names) - 2);
            strcat(names, " ");
        }
    closedir(d);
    return n;
}

/* PAN: a directory, written at the end (none before), a file per listed document, the
 * copy's with its detection; refused without out_dir; an existing non-empty directory
 * replaced only with force. */
static void test_writer_pan(void **state)
{
    (void)state;
    char dir[] = "/tmp/doppel-pan-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[sizeof dir + 8];
    snprintf(out, sizeof out, "%s/pan", dir);
    doppel_write_opts o;
    doppel_write_opts_init(&o, sizeof o);
    o.format = DOPPEL_FORMAT_PAN;
    doppel_writer *w;
    doppel_diag d;
    assert_int_equal(doppel_writer_create(&w, &o, stdout, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "out_dir"));
    o.out_dir = out, o.documents = documents, o.text = text_of;
    for (int pass = 0; pass < 3; pass++) {
        doppel_index *ix;
        doppel_report *r = two_texts(&ix);
        o.force = pass == 2;
        assert_int_equal(doppel_writer_create(&w, &o, stdout, NULL), DOPPEL_OK);
        const doppel_pair *p = doppel_report_next(r);
        assert_int_equal(doppel_writer_pair(w, p, NULL), DOPPEL_OK);
        if (pass == 0)
            assert_int_equal(access(out, F_OK), -1); /* nothing until the end */
        doppel_write_summary ws;
        doppel_write_summary_init(&ws, sizeof ws);
        ws.documents = 2, ws.pairs_compared = ws.pairs_reported = 1;
        int rc = doppel_writer_end(w, &ws, NULL);
        assert_int_equal(rc, pass == 1 ? DOPPEL_ERR_INVALID : DOPPEL_OK); /* 1: it exists, no force */
        doppel_writer_free(w);
        doppel_report_free(r);
        doppel_index_free(ix);
    }
    char names[256];
    assert_int_equal(files_in(out, names, sizeof names), 2);
    assert_non_null(strstr(names, "orig.xml"));
    assert_non_null(strstr(names, "copy.xml"));
    char path[sizeof out + 16];
    snprintf(path, sizeof path, "%s/copy.xml", out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char xml[4096];
    size_t n = fread(xml, 1, sizeof xml - 1, f);
    xml[n] = '\0';
    fclose(f);
    assert_non_null(strstr(xml, "<feature name=\"detected-plagiarism\" this_offset=\"19\" this_length=\"113\""));
    assert_non_null(strstr(xml, "source_reference=\"orig"));
    snprintf(path, sizeof path, "%s/orig.xml", out);
    unlink(path);
    snprintf(path, sizeof path, "%s/copy.xml", out);
    unlink(path);
    rmdir(out);
    rmdir(dir);
}

/* Bad arguments name what is wrong; a shorter summary struct (1.3's first fields) reads
 * the rest as defaults; one setting bytes this library does not know is refused. */
static void test_writer_invalid(void **state)
{
    (void)state;
    doppel_writer *w;
    doppel_diag d;
    doppel_write_opts o;
    doppel_write_opts_init(&o, sizeof o);
    o.format = DOPPEL_FORMAT_PAN + 1;
    assert_int_equal(doppel_writer_create(&w, &o, stdout, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "format"));
    o.format = DOPPEL_FORMAT_HTML, o.n_about = 1;
    assert_int_equal(doppel_writer_create(&w, &o, stdout, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "about"));
    assert_int_equal(doppel_writer_create(&w, NULL, NULL, &d), DOPPEL_ERR_INVALID);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(doppel_writer_create(&w, NULL, f, NULL), DOPPEL_OK);
    assert_int_equal(doppel_writer_pair(w, NULL, &d), DOPPEL_ERR_INVALID);
    assert_int_equal(doppel_writer_skipped(w, &(doppel_skipped){"x", NULL}, &d), DOPPEL_ERR_INVALID);
    doppel_write_summary ws;
    doppel_write_summary_init(&ws, sizeof ws);
    ws.n_score_bins = 4;
    assert_int_equal(doppel_writer_end(w, &ws, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "score_bins"));
    struct {
        doppel_write_summary v;
        uint64_t future;
    } newer;
    doppel_write_summary_init(&newer.v, sizeof newer);
    assert_int_equal(newer.future, 0);
    newer.future = 7;
    assert_int_equal(doppel_writer_end(w, &newer.v, &d), DOPPEL_ERR_INVALID);
    size_t part = offsetof(doppel_write_summary, common_passages);
    unsigned char older[sizeof(doppel_write_summary)];
    memset(older, 0xA5, sizeof older);
    doppel_write_summary_init((doppel_write_summary *)(void *)older, part);
    for (size_t i = part; i < sizeof older; i++)
        assert_int_equal(older[i], 0xA5); /* init writes the caller's bytes only */
    ((doppel_write_summary *)(void *)older)->documents = 3;
    assert_int_equal(doppel_writer_end(w, (doppel_write_summary *)(void *)older, &d), DOPPEL_OK);
    doppel_writer_free(w);
    fclose(f);
    assert_non_null(strstr(buf, "{\"type\":\"summary\",\"documents\":3,\"skipped\":0,\"pairs_compared\":0,"
                                "\"pairs_reported\":0,\"common_passages\":0,\"seconds\":0,"));
    free(buf);
    doppel_writer_free(NULL);
}

/* A pair's similarity: the fewer covered words of the two sides over the smaller document. */
static void test_dedup_similarity(void **state)
{
    (void)state;
    doppel_pair p = {"a", "b", 0.9f, 0.5f, 1.0f, NULL, 0};
    /* a: 0.5 x 100 = 50 words covered, b: 1.0 x 50 = 50; smaller document 50 */
    assert_float_equal(doppel_dedup_similarity(&p, 100, 50), 1.0, 1e-6);
    /* a: 0.5 x 100 = 50, b: 1.0 x 200 = 200; smaller 100 */
    assert_float_equal(doppel_dedup_similarity(&p, 100, 200), 0.5, 1e-6);
    p.a_coverage = 0.25f; /* a: 25 of 100, b: 50 of 50 */
    assert_float_equal(doppel_dedup_similarity(&p, 100, 50), 0.5, 1e-6);
    assert_float_equal(doppel_dedup_similarity(&p, 0, 50), 0.0, 0);
    assert_float_equal(doppel_dedup_similarity(NULL, 10, 10), 0.0, 0);
    float m = doppel_dedup_default_threshold(0), l = doppel_dedup_default_threshold(1);
    assert_true(m > 0 && m < 1 && l > 0 && l < 1);
    assert_true(doppel_dedup_default_max_docs() >= 2);

    doppel_index *ix;
    doppel_report *r = two_texts(&ix);
    uint64_t wo, wc;
    assert_int_equal(doppel_index_doc_words(ix, "orig", &wo, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_doc_words(ix, "copy", &wc, NULL), DOPPEL_OK);
    assert_int_equal(wo, 9 + 22); /* words, not punctuation */
    assert_int_equal(wc, 4 + 22 + 3);
    doppel_diag d;
    assert_int_equal(doppel_index_doc_words(ix, "pic.png", &wo, &d), DOPPEL_ERR_NOT_FOUND);
    assert_non_null(strstr(d.message, "pic.png"));
    /* the copied sentence: 22 words of each side */
    const doppel_pair *pair = doppel_report_next(r);
    assert_float_equal(doppel_dedup_similarity(pair, 31, 29), 22.0 / 29.0, 0.02);
    doppel_report_free(r);
    doppel_index_free(ix);
}

/* Complete link: 0-1 and 1-2 similar but not 0-2 makes one cluster of the strongest pair
 * only; 3-4-5 all similar make one; the kept document is the one with the most words (ties:
 * the smallest id); pairs below the threshold are ignored; the order pairs come in does not
 * matter. */
static void test_dedup_clusters(void **state)
{
    (void)state;
    static const char *const ids[] = {"d0", "d1", "d2", "d3", "d4", "d5", "d6"};
    static const uint64_t words[] = {10, 20, 5, 40, 40, 7, 9};
    static const struct {
        size_t a, b;
        float s;
    } pairs[] = {{0, 1, 0.9f}, {1, 2, 0.8f}, {3, 4, 0.7f}, {4, 5, 0.6f}, {3, 5, 0.65f}, {5, 6, 0.2f}};
    for (int order = 0; order < 2; order++) {
        doppel_dedup *dd;
        assert_int_equal(doppel_dedup_create(&dd, 7, 0.5f, NULL), DOPPEL_OK);
        for (size_t i = 0; i < 6; i++) {
            size_t k = order ? 5 - i : i;
            assert_int_equal(doppel_dedup_add(dd, order ? pairs[k].b : pairs[k].a, order ? pairs[k].a : pairs[k].b,
                                              pairs[k].s, NULL),
                             DOPPEL_OK);
        }
        assert_int_equal(doppel_dedup_count(dd), 0); /* not clustered yet */
        assert_int_equal(doppel_dedup_cluster(dd, ids, words, NULL), DOPPEL_OK);
        assert_int_equal(doppel_dedup_count(dd), 2);
        size_t n;
        const doppel_dedup_member *m = doppel_dedup_members(dd, 0, &n);
        assert_int_equal(n, 2);
        assert_int_equal(m[0].doc, 1), assert_int_equal(m[1].doc, 0); /* d1 has more words */
        assert_float_equal(m[0].similarity, 1.0, 0), assert_float_equal(m[1].similarity, 0.9, 1e-6);
        m = doppel_dedup_members(dd, 1, &n);
        assert_int_equal(n, 3);
        assert_int_equal(m[0].doc, 3); /* 40 words as d4: the smaller id */
        assert_int_equal(m[1].doc, 4), assert_int_equal(m[2].doc, 5);
        assert_float_equal(m[2].similarity, 0.65, 1e-6);
        assert_null(doppel_dedup_members(dd, 2, &n));
        assert_int_equal(n, 0);

        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_int_equal(doppel_dedup_write(dd, DOPPEL_FORMAT_CSV, 1, f, NULL), DOPPEL_OK);
        fclose(f);
        assert_string_equal(buf, "cluster,id,action,words,similarity\r\n1,d1,keep,20,1.0000\r\n1,d0,drop,10,0.9000\r\n"
                                 "2,d3,keep,40,1.0000\r\n2,d4,drop,40,0.7000\r\n2,d5,drop,7,0.6500\r\n");
        free(buf);
        f = open_memstream(&buf, &len);
        assert_int_equal(doppel_dedup_write(dd, DOPPEL_FORMAT_JSONL, 1, f, NULL), DOPPEL_OK);
        fclose(f);
        assert_non_null(strstr(buf, "{\"type\":\"cluster\",\"cluster\":1,\"keep\":\"d1\",\"drop\":[\"d0\"],"));
        assert_non_null(strstr(buf, "{\"type\":\"summary\",\"mode\":\"dedup\",\"documents\":7,\"skipped\":1,"
                                    "\"clusters\":2,\"dropped\":3,\"threshold\":0.5,"));
        free(buf);
        doppel_diag d;
        assert_int_equal(doppel_dedup_add(dd, 0, 2, 0.9f, &d), DOPPEL_ERR_INVALID); /* after clustering */
        assert_int_equal(doppel_dedup_write(dd, DOPPEL_FORMAT_HTML, 0, stdout, &d), DOPPEL_ERR_INVALID);
        assert_non_null(strstr(d.message, "format"));
        doppel_dedup_free(dd);
    }
    doppel_dedup *dd;
    doppel_diag d;
    assert_int_equal(doppel_dedup_create(&dd, 3, 1.5f, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "threshold"));
    assert_int_equal(doppel_dedup_create(&dd, 3, 0.5f, NULL), DOPPEL_OK);
    assert_int_equal(doppel_dedup_add(dd, 1, 1, 0.9f, &d), DOPPEL_ERR_INVALID);
    assert_int_equal(doppel_dedup_add(dd, 1, 3, 0.9f, &d), DOPPEL_ERR_INVALID);
    assert_int_equal(doppel_dedup_write(dd, DOPPEL_FORMAT_JSONL, 0, stdout, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "before"));
    doppel_dedup_free(dd);
    doppel_dedup_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_jsonl),
        cmocka_unit_test(test_writer_html_about),
        cmocka_unit_test(test_writer_pan),
        cmocka_unit_test(test_writer_invalid),
        cmocka_unit_test(test_dedup_similarity),
        cmocka_unit_test(test_dedup_clusters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
