/* Path arithmetic: a relative path from a folder to a file, joined back, gives the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/path.h"

static void check(char *(*fn)(const char *, const char *), const char *a, const char *b, const char *want)
{
    char *got = fn(a, b);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_relative(void **state)
{
    (void)state;
    check(dp_path_relative, "/a/b", "/a/b/c.txt", "c.txt");
    check(dp_path_relative, "/a/b", "/a/b/s/c.txt", "s/c.txt");
    check(dp_path_relative, "/a/b", "/a/bc/x", "../bc/x");   /* "b" is not a prefix of "bc" */
    check(dp_path_relative, "/a/b/c", "/a/x/y", "../../x/y");
    check(dp_path_relative, "/a/b", "/a", "..");
    check(dp_path_relative, "/a/b", "/a/b", ".");
    check(dp_path_relative, "/", "/x/y", "x/y");
    check(dp_path_relative, "/x", "/y", "../y");
}

static void test_dir_join(void **state)
{
    (void)state;
    char *d = dp_path_dir("idx/arch.dpx");
    assert_string_equal(d, "idx");
    free(d);
    d = dp_path_dir("arch.dpx");
    assert_string_equal(d, ".");
    free(d);
    d = dp_path_dir("/arch.dpx");
    assert_string_equal(d, "/");
    free(d);
    d = dp_path_dir("a//b");
    assert_string_equal(d, "a");
    free(d);
    check(dp_path_join, "idx", "../e/x.txt", "idx/../e/x.txt");
    check(dp_path_join, "idx/", "x.txt", "idx/x.txt");
    check(dp_path_join, "idx", "/abs/x.txt", "/abs/x.txt");
    check(dp_path_join, ".", "x.txt", "x.txt");
    check(dp_path_join, "/", "x.txt", "/x.txt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_dir_join),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
