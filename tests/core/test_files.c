/* Atomic output files and bounded file reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

/* A pid no process has: a child's, once it has exited and been reaped. */
static long dead_pid(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return (long)pid;
}

/* Makes dir/name (a regular file, or a symlink to one) with an mtime age_s seconds ago. */
static void make_aged(const char *name, int symlink_to_target, long age_s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (symlink_to_target) {
        char target[512];
        snprintf(target, sizeof target, "%s/target", dir);
        write_plain(target, "keep me\n");
        assert_int_equal(symlink(target, path), 0);
    } else {
        write_plain(path, "partial");
    }
    struct timespec ts[2];
    clock_gettime(CLOCK_REALTIME, &ts[0]);
    ts[0].tv_sec -= age_s;
    ts[1] = ts[0];
    assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static int exists(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

/* The file gets 0666 less the umask, as any new file, and the umask is left as it was. */
static void test_atomic_mode_follows_umask(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/moded", dir);
    const mode_t masks[] = {022, 077, 002};
    for (size_t i = 0; i < 3; i++) {
        mode_t old = umask(masks[i]);
        dp_atomic_file af;
        assert_int_equal(dp_atomic_open(&af, path, NULL), DOPPEL_OK);
        assert_int_equal(dp_atomic_commit(&af, NULL), DOPPEL_OK);
        assert_int_equal(umask(old), masks[i]);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0666 & ~masks[i]);
        unlink(path);
    }
}

static void test_atomic_removes_stale_temps(void **state)
{
    (void)state;
    long dead = dead_pid(), live = (long)getpid();
    long old = DP_ATOMIC_STALE_SECONDS + 60, young = DP_ATOMIC_STALE_SECONDS - 60;
    char stale[64], fresh[64], alive[64], other[64], longer[64], zero[64], link[64];
    snprintf(stale, sizeof stale, "out.tmp.%ld.abcdef", dead);
    snprintf(fresh, sizeof fresh, "out.tmp.%ld.ghijkl", dead);   /* writer gone, but recent */
    snprintf(alive, sizeof alive, "out.tmp.%ld.mnopqr", live);   /* old, but its writer runs */
    snprintf(other, sizeof other, "other.tmp.%ld.abcdef", dead); /* another output's */
    snprintf(longer, sizeof longer, "out.tmp.%ld.abcdefg", dead); /* not mkstemp's six */
    snprintf(zero, sizeof zero, "out.tmp.0%ld.abcdef", dead);     /* not how a pid prints */
    snprintf(link, sizeof link, "out.tmp.%ld.zzzzzz", dead);      /* a symlink, not a file */
    const char *kept[] = {fresh, alive, other, longer, zero, link, "out.tmp.x", "out.tmp.XXXXXX", "target"};
    make_aged(stale, 0, old);
    make_aged(fresh, 0, young);
    make_aged(alive, 0, old);
    make_aged(other, 0, old);
    make_aged(longer, 0, old);
    make_aged(zero, 0, old);
    make_aged(link, 1, old);
    make_aged("out.tmp.x", 0, old);
    make_aged("out.tmp.XXXXXX", 0, old);

    char path[512], prefix[512];
    snprintf(path, sizeof path, "%s/out", dir);
    snprintf(prefix, sizeof prefix, "%s/out.tmp.%ld.", dir, live);
    dp_atomic_file af;
    doppel_diag d;
    assert_int_equal(dp_atomic_open(&af, path, &d), DOPPEL_OK);
    assert_true(exists(stale)); /* opening removes nothing: that is the program's call */
    dp_atomic_remove_stale(path);
    /* the temporary file names its writer */
    assert_int_equal(strncmp(af.tmp_path, prefix, strlen(prefix)), 0);
    assert_int_equal(strlen(af.tmp_path), strlen(prefix) + 6);
    fputs("whole\n", af.f);
    assert_int_equal(dp_atomic_commit(&af, &d), DOPPEL_OK);

    assert_false(exists(stale));
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        assert_true(exists(kept[i]));
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, kept[i]);
        unlink(p);
    }
    char *data;
    size_t len;
    assert_int_equal(dp_read_file(path, 1 << 20, &data, &len, &d), DOPPEL_OK);
    assert_string_equal(data, "whole\n");
    free(data);
    unlink(path);
    assert_int_equal(count_entries(), 0);
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
        cmocka_unit_test(test_atomic_removes_stale_temps),
        cmocka_unit_test(test_atomic_mode_follows_umask),
        cmocka_unit_test(test_atomic_open_fails_in_missing_dir),
        cmocka_unit_test(test_read_limits),
        cmocka_unit_test(test_strerror_covers_every_code),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
