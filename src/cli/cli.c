#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "doppel%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'doppel%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
    return EXIT_USAGE;
}

static void print_diag(const char *kind, const char *file, int code, const doppel_diag *diag)
{
    fprintf(stderr, "doppel: %s", kind);
    if (file)
        fprintf(stderr, "%s: ", file);
    if (diag && diag->line != UINT64_MAX)
        fprintf(stderr, "line %llu: ", (unsigned long long)diag->line);
    if (diag && diag->byte != UINT64_MAX)
        fprintf(stderr, "byte %llu: ", (unsigned long long)diag->byte);
    if (diag && diag->message[0])
        fprintf(stderr, "%s\n", diag->message);
    else
        fprintf(stderr, "%s\n", doppel_strerror(code));
}

int cli_runtime_error(const char *file, int code, const doppel_diag *diag)
{
    print_diag("", file, code, diag);
    return EXIT_RUNTIME;
}

void cli_warn(const char *file, int code, const doppel_diag *diag)
{
    print_diag("warning: ", file, code, diag);
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts)
{
    char spec[128];
    snprintf(spec, sizeof spec, ":%s", shortopts); /* ':' tells a missing argument apart */
    opterr = 0;
    optopt = 0;
    int c = getopt_long(argc, argv, spec, longopts, NULL);
    if (c != '?' && c != ':')
        return c;
    const char *word = (optind > 0 && optind <= argc) ? argv[optind - 1] : "";
    int wlen = (int)strcspn(word, "=");
    if (c == ':') {
        if (optopt && word[0] == '-' && word[1] != '-')
            cli_usage_error(cmd, "option '-%c' needs an argument", optopt);
        else
            cli_usage_error(cmd, "option '%.*s' needs an argument", wlen, word);
    } else if (optopt) {
        cli_usage_error(cmd, "unknown option '-%c'", optopt);
    } else {
        cli_usage_error(cmd, "unknown option '%.*s'", wlen, word);
    }
    return '?';
}

bool cli_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) {
        cli_usage_error(cmd, "%s expects a number in [%g, %g], got '%s'", opt, lo, hi, s);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        cli_usage_error(cmd, "%s expects an integer in [%ld, %ld], got '%s'", opt, lo, hi, s);
        return false;
    }
    *out = v;
    return true;
}
