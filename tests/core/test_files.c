/* Atomic output files and bounded file reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/diag.h"
#include "core/readfile.h"

static char dir[] = "/tmp/doppel-test-files-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int count_entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void write_plain(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_atomic_commit_and_abort(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/report.jsonl", dir);
    write_plain(path, "old\n");

    dp_atomic_file af;
    doppel_diag d;
    assert_int_equal(dp_atomic_open(&af, path, &d), DOPPEL_OK);
    fputs("half a rep", af.f);
    /* while writing, the old content stays under the name */
    char *data;
    size_t len;
    assert_int_equal(dp_read_file(path, 1 << 20, &data, &len, &d), DOPPEL_OK);
    assert_string_equal(data, "old\n");
    free(data);
    dp_atomic_abort(&af);
    assert_int_equal(count_entries(), 1);
    assert_int_equal(dp_read_file(path, 1 << 20, &data, &len, &d), DOPPEL_OK);
    assert_string_equal(data, "old\n");
    free(data);

    assert_int_equal(dp_atomic_open(&af, path, &d), DOPPEL_OK);
    fputs("new\n", af.f);
    assert_int_equal(dp_atomic_commit(&af, &d), DOPPEL_OK);
    assert_int_equal(count_entries(), 1);
    assert_int_equal(dp_read_file(path, 1 << 20, &data, &len, &d), DOPPEL_OK);
    assert_string_equal(data, "new\n");
    assert_int_equal(len, 4);
    free(data);
    unlink(path);
}

static void test_atomic_open_fails_in_missing_dir(void **state)
{
    (void)state;
    dp_atomic_file af;
    doppel_diag d;
    dp_diag_clear(&d);
    assert_int_equal(dp_atomic_open(&af, "/nonexistent-dir-doppel/x.json", &d), DOPPEL_ERR_IO);
    assert_int_equal(d.code, DOPPEL_ERR_IO);
    assert_non_null(strstr(d.message, "No such file"));
    dp_atomic_abort(&af); /* safe after a failed open */
}

static void test_read_limits(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/big.txt", dir);
    write_plain(path, "0123456789");
    char *data = NULL;
    size_t len;
    doppel_diag d;
    assert_int_equal(dp_read_file(path, 9, &data, &len, &d), DOPPEL_ERR_TOO_LARGE);
    assert_null(data);
    assert_int_equal(dp_read_file(path, 10, &data, &len, &d), DOPPEL_OK);
    assert_int_equal(len, 10);
    assert_int_equal(data[10], '\0');
    free(data);
    unlink(path);

    assert_int_equal(dp_read_file(dir, 100, &data, &len, &d), DOPPEL_ERR_IO);
    assert_non_null(strstr(d.message, "not a regular file"));
    assert_int_equal(dp_read_file("/nonexistent-doppel-file", 100, &data, &len, &d), DOPPEL_ERR_IO);
    assert_int_equal(d.sys_errno, 2);
}

static void test_strerror_covers_every_code(void **state)
{
    (void)state;
    for (int c = 0; c < DOPPEL_ERR_COUNT_; c++) {
        assert_non_null(doppel_strerror(c));
        assert_string_not_equal(doppel_strerror(c), "unknown error code");
    }
    assert_string_equal(doppel_strerror(-1), "unknown error code");
    assert_string_equal(doppel_strerror(DOPPEL_ERR_COUNT_), "unknown error code");
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_commit_and_abort),
        cmocka_unit_test(test_atomic_open_fails_in_missing_dir),
        cmocka_unit_test(test_read_limits),
        cmocka_unit_test(test_strerror_covers_every_code),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
