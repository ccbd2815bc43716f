#include "cli/cli_report.h"

#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/grow.h"

double cli_cpu_seconds(void)
{
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u))
        return 0;
    return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec + (double)u.ru_stime.tv_sec +
           1e-6 * (double)u.ru_stime.tv_usec;
}

double cli_seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* A whole number option into *dst: 1, or -1 with the message printed. */
static int set_count(const char *cmd, const char *opt, const char *arg, long lo, long hi, uint32_t *dst)
{
    long v;
    if (!cli_parse_long(cmd, opt, arg, lo, hi, &v))
        return -1;
    *dst = (uint32_t)v;
    return 1;
}

/* A threshold in [0, 1] into *dst: 1, or -1 with the message printed. */
static int set_level(const char *cmd, const char *opt, const char *arg, float *dst)
{
    double x;
    if (!cli_parse_double(cmd, opt, arg, 0, 1, &x))
        return -1;
    *dst = (float)x;
    return 1;
}

int cli_pair_opt(const char *cmd, int c, const char *arg, doppel_index_opts *o)
{
    switch (c) {
    case 't': return set_level(cmd, "--threshold", arg, &o->threshold);
    case CLI_O_SENTTHR: return set_level(cmd, "--sentence-threshold", arg, &o->sentence_threshold);
    case CLI_O_MINMATCH: return set_count(cmd, "--min-match", arg, 1, 100000, &o->min_match);
    case CLI_O_MAXDOCS: return set_count(cmd, "--max-docs", arg, 2, 1L << 30, &o->max_docs);
    case CLI_O_TOPK: return set_count(cmd, "--top-k", arg, 1, 1000, &o->top_k);
    case CLI_O_ALLPAIRS: o->all_pairs = 1; return 1;
    case CLI_O_ALLPAIRSLIMIT: return set_count(cmd, "--all-pairs-limit", arg, 0, 1L << 31, &o->all_pairs_limit);
    default: return 0;
    }
}

int cli_pair_option(const char *cmd, int c, const char *arg, dp_sweep_opts *so)
{
    doppel_index_opts o = {.threshold = so->threshold, .sentence_threshold = so->sent_threshold,
                           .min_match = so->min_match, .max_docs = so->max_docs, .top_k = so->top_k,
                           .all_pairs = so->all_pairs, .all_pairs_limit = so->all_pairs_limit};
    int r = cli_pair_opt(cmd, c, arg, &o);
    so->threshold = o.threshold, so->sent_threshold = o.sentence_threshold, so->min_match = o.min_match;
    so->max_docs = o.max_docs, so->top_k = o.top_k, so->all_pairs = o.all_pairs != 0;
    so->all_pairs_limit = o.all_pairs_limit;
    return r;
}

static void warn_uncalibrated(const char *what, uint32_t model_id)
{
    if (model_id && model_id != DP_SWEEP_CALIBRATED_MODEL)
        fprintf(stderr,
                "doppel: warning: %s: the default --threshold and --sentence-threshold were calibrated with "
                "the shipped model, not this one; calibrate them for it (corpora/synth/README.md) and give "
                "both\n",
                what);
}

void cli_warn_uncalibrated(const char *what, const dp_model *model, uint32_t model_id, const dp_sweep_opts *so)
{
    if (so->threshold >= 0 && so->sent_threshold >= 0)
        return;
    warn_uncalibrated(what, model ? dp_model_identity(model) : model_id);
}

void cli_warn_uncalibrated_id(const char *what, uint32_t model_id, const doppel_index_opts *o)
{
    if (o->threshold < 0 || o->sentence_threshold < 0)
        warn_uncalibrated(what, model_id);
}

bool cli_report_format(const char *cmd, const char *format_opt, const char *out_path, bool pan_ok,
                       dp_report_format *fmt)
{
    if (format_opt) {
        if (dp_report_format_parse(format_opt, fmt) && (pan_ok || *fmt != DP_REPORT_PAN))
            return true;
        cli_usage_error(cmd, "unknown format '%s' (jsonl, csv, html, table%s)", format_opt, pan_ok ? ", pan" : "");
        return false;
    }
    if (!out_path || strcmp(out_path, "-") == 0) {
        *fmt = isatty(STDOUT_FILENO) ? DP_REPORT_TABLE : DP_REPORT_JSONL;
        return true;
    }
    const char *slash = strrchr(out_path, '/'), *dot = strrchr(out_path, '.');
    if (dot && (!slash || dot > slash)) {
        if (dp_report_format_parse(dot + 1, fmt) && *fmt != DP_REPORT_PAN)
            return true;
        cli_usage_error(cmd, "%s: '%s' names no report format: give -f jsonl, csv, html or table", out_path, dot);
        return false;
    }
    /* no extension (a device, a pipe, a bare name): JSON Lines, said so */
    *fmt = DP_REPORT_JSONL;
    fprintf(stderr, "doppel: %s: writing JSON Lines (no extension names a format; -f chooses one)\n", out_path);
    return true;
}

bool cli_write_format(const char *cmd, const char *format_opt, const char *out_path, bool pan_ok, int *fmt)
{
    dp_report_format f;
    if (!cli_report_format(cmd, format_opt, out_path, pan_ok, &f))
        return false;
    *fmt = f == DP_REPORT_CSV    ? DOPPEL_FORMAT_CSV
           : f == DP_REPORT_HTML  ? DOPPEL_FORMAT_HTML
           : f == DP_REPORT_TABLE ? DOPPEL_FORMAT_TABLE
           : f == DP_REPORT_PAN   ? DOPPEL_FORMAT_PAN
                                  : DOPPEL_FORMAT_JSONL;
    return true;
}

int cli_columns(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    long n = env ? strtol(env, NULL, 10) : 0;
    return n >= 40 && n <= 1000 ? (int)n : 80;
}

int cli_report_finish(doppel_writer *w, dp_output *out, const char *out_path, const doppel_write_summary *sum)
{
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = doppel_writer_end(w, sum, &d);
    if (!rc)
        rc = dp_output_commit(out, &d);
    if (rc)
        return cli_runtime_error(out_path, rc, &d);
    out->f = NULL;
    return EXIT_OK;
}

int cli_marks_excluded(const dp_sweep_doc *d, uint64_t **buf, size_t *cap, doppel_marks *m)
{
    if (dp_grow((void **)buf, cap, 2 * d->n_sents, sizeof **buf))
        return DOPPEL_ERR_NOMEM;
    m->excluded = *buf;
    m->n_excluded = dp_sweep_doc_excluded(d, *buf);
    return DOPPEL_OK;
}
