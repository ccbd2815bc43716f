/*
 * <doppel_io.h> as a user links it (the shared libdoppel-io): documents and skipped
 * entries in reading order, --by-dir submissions joined, options checked, errors named;
 * and <doppel.h>'s JSONL writer on a report from them, including a failing stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <doppel.h>
#include <doppel_io.h>
#include "../put_file.h"

static char dir[64];

static void put(const char *rel, const char *bytes, size_t len) { put_file(dir, rel, bytes, len); }

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/doppel-io-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char sub[128];
    snprintf(sub, sizeof sub, "%s/s1", dir);
    mkdir(sub, 0777);
    snprintf(sub, sizeof sub, "%s/s2", dir);
    mkdir(sub, 0777);
    put("s1/a.txt", "First part.", 11);
    put("s1/b.txt", "Second part.", 12);
    put("s2/only.txt", "Alone here.", 11);
    put("s2/z.bin", "\0\1\2\3binary", 10);
    put("s3.txt", "", 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static void test_by_dir(void **state)
{
    (void)state;
    doppel_corpus_opts o;
    doppel_corpus_opts_default(&o);
    o.by_dir = 1;
    doppel_corpus *c;
    doppel_diag d;
    assert_int_equal(doppel_corpus_create(&c, &o, &d), DOPPEL_OK);
    assert_int_equal(doppel_corpus_add_path(c, dir, &d), DOPPEL_OK);
    const doppel_corpus_entry *e;
    char want[128];
    /* s1: its two files joined by a blank line */
    assert_int_equal(doppel_corpus_next(c, &e, &d), DOPPEL_OK);
    snprintf(want, sizeof want, "%s/s1", dir);
    assert_string_equal(e->id, want);
    assert_null(e->reason);
    assert_int_equal(e->len, strlen("First part.\n\nSecond part."));
    assert_memory_equal(e->bytes, "First part.\n\nSecond part.", e->len);
    /* s2: the binary file left out of the submission, which goes on without it; s3.txt:
     * the empty file left out, then the submission skipped for having no text */
    int left_out = 0, docs = 0, skipped = 0;
    while (doppel_corpus_next(c, &e, &d) == DOPPEL_OK && e) {
        if (e->reason && e->in_submission)
            left_out++, assert_true(strstr(e->id, "s2/z.bin") || strstr(e->id, "s3.txt"));
        else if (e->reason)
            skipped++, assert_non_null(strstr(e->id, "s3.txt"));
        else
            docs++, assert_memory_equal(e->bytes, "Alone here.", e->len);
    }
    assert_int_equal(left_out, 2);
    assert_int_equal(docs, 1);
    assert_int_equal(skipped, 1);
    doppel_corpus_free(c);
}

static void test_errors(void **state)
{
    (void)state;
    doppel_corpus *c;
    doppel_diag d;
    doppel_corpus_opts o;
    doppel_corpus_opts_default(&o);
    o.size = 3;
    assert_int_equal(doppel_corpus_create(&c, &o, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "size"));
    doppel_corpus_opts_default(&o);
    o.max_bytes = 0;
    assert_int_equal(doppel_corpus_create(&c, &o, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "max_bytes"));
    assert_int_equal(doppel_corpus_create(&c, NULL, &d), DOPPEL_OK);
    assert_int_equal(doppel_corpus_add_path(c, "/nonexistent/doppel-io", &d), DOPPEL_ERR_NOT_FOUND);
    assert_int_equal(doppel_corpus_add_path(c, NULL, &d), DOPPEL_ERR_INVALID);
    const doppel_corpus_entry *e = (const doppel_corpus_entry *)&d;
    assert_int_equal(doppel_corpus_next(c, &e, &d), DOPPEL_OK);
    assert_null(e); /* nothing added: the end at once */
    doppel_corpus_free(c);
    doppel_corpus_free(NULL);

    char *bytes;
    size_t len;
    char path[128];
    snprintf(path, sizeof path, "%s/s1/a.txt", dir);
    assert_int_equal(doppel_read_file(path, 0, &bytes, &len, &d), DOPPEL_OK);
    assert_int_equal(len, 11);
    assert_int_equal(bytes[len], '\0');
    free(bytes);
    assert_int_equal(doppel_read_file(path, 5, &bytes, &len, &d), DOPPEL_ERR_TOO_LARGE);
}

/* The JSONL writer: a query's report as records; a stream that fails is DOPPEL_ERR_IO. */
static void test_write_jsonl(void **state)
{
    (void)state;
    static const char text[] = "The committee met on Tuesday to discuss the budget for the new library building.";
    doppel_index *ix;
    doppel_report *r;
    doppel_diag d;
    assert_int_equal(doppel_index_create(&ix, NULL, 1, NULL, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_add(ix, "old", text, sizeof text - 1, 0, &d), DOPPEL_OK);
    assert_int_equal(doppel_index_add_skipped(ix, "bad", "binary", &d), DOPPEL_OK);
    assert_int_equal(doppel_index_sweep(ix, &r, &d), DOPPEL_OK);
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    assert_int_equal(doppel_report_write_jsonl(r, mem, &d), DOPPEL_OK);
    fclose(mem);
    assert_non_null(strstr(buf, "{\"type\":\"skipped\",\"id\":\"bad\",\"reason\":\"binary\"}\n"));
    assert_non_null(strstr(buf, "{\"type\":\"summary\",\"documents\":1,\"skipped\":1,\"pairs_compared\":0,"));
    assert_non_null(strstr(buf, "\"schema_version\":2}\n"));
    free(buf);
    assert_null(doppel_report_next(r)); /* handed out by the writer */
    doppel_report_free(r);

    assert_int_equal(doppel_index_query(ix, "new", text, sizeof text - 1, &r, &d), DOPPEL_OK);
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        assert_int_equal(doppel_report_write_jsonl(r, full, &d), DOPPEL_ERR_IO);
        fclose(full);
    }
    assert_int_equal(doppel_report_write_jsonl(NULL, stdout, &d), DOPPEL_ERR_INVALID);
    doppel_report_free(r);
    doppel_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_dir),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_write_jsonl),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
