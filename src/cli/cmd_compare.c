/* doppel compare: two files compared as `doppel sweep` compares two documents (score,
 * coverage, passages), or the cosine of two texts given as arguments (--text). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_corpus.h"
#include "cli/cli_dpmodel.h"
#include "cli/cli_model.h"
#include "cli/cli_report.h"
#include "cli/cli_text.h"
#include "cli/commands.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "report/writer.h"
#include "sweep/corpus.h"
#include "sweep/sweep.h"

#define MAX_TEMPLATES 64

static const char usage[] =
    "Usage: doppel compare [OPTIONS] FILE_A FILE_B\n"
    "       doppel compare [OPTIONS] --text TEXT_A TEXT_B\n\n"
    "Two files are read, decoded and compared exactly as `doppel sweep` compares two\n"
    "documents: the pair's score, each side's covered share and every passage with its\n"
    "kind, score and byte offsets, in a sweep report format (the pair is reported\n"
    "whatever its score). An empty, binary or wordless file is an error (exit 3).\n"
    "With --text, the two arguments are encoded as one sentence each (the first 128\n"
    "tokens count) and their cosine is printed; an empty or blank text scores 0.\n\n"
    "Options:\n" CLI_MODEL_HELP CLI_PRECISION_HELP
    "      --no-model         files: lexical evidence only (verbatim and edited copies)\n"
    "      --template FILE    files: text handed out to both; not evidence (repeatable)\n"
    "  -f, --format F         files: table (default on a terminal), jsonl, csv or html\n"
    "  -t, --text             the arguments are the texts, not file names\n"
    "  -h, --help             this help\n";

static int on_pair(void *ctx, const dp_pair_result *pair, uint32_t a, uint32_t b)
{
    (void)a, (void)b;
    return dp_writer_pair(ctx, pair);
}

/* Both texts as given, for the HTML report's panes. */
typedef struct two_texts {
    const char *id[2];
    const char *bytes[2];
    size_t len[2];
} two_texts;

static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    const two_texts *t = ctx;
    int i = strcmp(id, t->id[0]) == 0 ? 0 : 1;
    if (!(*bytes = malloc(t->len[i] + 1)))
        return DOPPEL_ERR_NOMEM;
    memcpy(*bytes, t->bytes[i], t->len[i]);
    (*bytes)[t->len[i]] = '\0';
    *len = t->len[i];
    return DOPPEL_OK;
}

static int compare_files(char **files, const char *model_opt, int precision, int no_model, const char *const *templates,
                         size_t n_templates, dp_report_format fmt)
{
    dp_model *m = NULL;
    dp_encoder *e = NULL;
    dp_sweep *sw = NULL;
    dp_writer *w = NULL;
    two_texts tt = {{files[0], files[1]}, {NULL, NULL}, {0, 0}};
    char *data[2] = {NULL, NULL};
    const char *mpath;
    doppel_diag d;
    dp_diag_clear(&d);
    int status = EXIT_OK, rc;
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    so.threshold = 0; /* the pair is the answer, whatever its score */
    if (!no_model && (status = cli_encoder_open(model_opt, 2, precision, &m, &e, &mpath)))
        goto done;
    if ((rc = dp_sweep_create(&sw, e, m ? m->cfg.out_dim : 0, &so))) {
        status = cli_runtime_error(NULL, rc, NULL);
        goto done;
    }
    if ((status = cli_add_templates(sw, templates, n_templates)))
        goto done;
    for (int i = 0; i < 2; i++) {
        dp_diag_clear(&d);
        if ((rc = dp_read_file(files[i], DP_CORPUS_DEFAULT_MAX_BYTES, &data[i], &tt.len[i], &d))) {
            status = cli_runtime_error(files[i], rc, &d);
            goto done;
        }
        tt.bytes[i] = data[i];
        const char *why = dp_corpus_sniff(data[i], tt.len[i]);
        if (why) {
            fprintf(stderr, "doppel: %s: %s: nothing to compare\n", files[i], why);
            status = EXIT_RUNTIME;
            goto done;
        }
        if ((rc = dp_sweep_add(sw, files[i], data[i], tt.len[i], 0, &d))) {
            fprintf(stderr, "doppel: %s: %s: nothing to compare\n", files[i], d.message[0] ? d.message : doppel_strerror(rc));
            status = EXIT_RUNTIME;
            goto done;
        }
        const dp_sweep_doc *added = dp_sweep_doc_at(sw, dp_sweep_count(sw) - 1);
        if (added->invalid)
            cli_warn_invalid(files[i], added->invalid, added->first_invalid);
    }
    dp_report_opts ropts = {.aside = stderr, .columns = cli_columns(), .text = text_of, .text_ctx = &tt, .title = "doppel compare"};
    dp_sweep_stats st;
    if ((rc = dp_writer_create(&w, fmt, stdout, &ropts, &d)) || (rc = dp_writer_begin(w)) ||
        (rc = dp_sweep_run(sw, on_pair, NULL, w, &st))) {
        status = cli_runtime_error(NULL, rc, &d);
        goto done;
    }
    dp_summary sum = {st.documents, 0, st.pairs_compared, st.pairs_reported, 0, 0, NULL, 0};
    if ((rc = dp_writer_end(w, &sum)) || fflush(stdout) != 0) {
        status = cli_runtime_error("<stdout>", rc ? rc : DOPPEL_ERR_IO, NULL);
        goto done;
    }
done:
    dp_writer_free(w);
    dp_sweep_free(sw);
    dp_encoder_free(e);
    dp_model_free(m);
    free(data[0]), free(data[1]);
    return status;
}

static int compare_texts(char **texts, const char *model_opt, int precision)
{
    doppel_model *m = NULL;
    doppel_encoder *e = NULL;
    const char *mpath;
    int rc = cli_encoder_open_public(model_opt, 1, (doppel_precision)precision, &m, &e, &mpath);
    if (!rc) {
        size_t od = doppel_model_out_dim(m), lens[2] = {strlen(texts[0]), strlen(texts[1])};
        float *v = malloc(2 * od * sizeof *v);
        doppel_diag d;
        dp_diag_clear(&d);
        int err = v ? cli_encode(e, (const char *const *)texts, lens, 2, v, od, &d) : DOPPEL_ERR_NOMEM;
        if (err)
            rc = cli_runtime_error(NULL, err, &d);
        else
            printf("%.6f\n", cli_cosine(v, v + od, od));
        free(v);
    }
    doppel_encoder_free(e);
    doppel_model_free(m);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    enum { O_NOMODEL = 256, O_TEMPLATE };
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'}, {"text", no_argument, NULL, 't'},
        {"no-model", no_argument, NULL, O_NOMODEL}, {"template", required_argument, NULL, O_TEMPLATE},
        {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
        CLI_PRECISION_OPTION,                     {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL, *format_opt = NULL, *templates[MAX_TEMPLATES];
    size_t n_templates = 0;
    int literal = 0, no_model = 0, c, precision = DOPPEL_PRECISION_AUTO;
    while ((c = cli_getopt("compare", argc, argv, "m:f:th", longopts)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("compare", precision)
        case 't': literal = 1; break;
        case O_NOMODEL: no_model = 1; break;
        case O_TEMPLATE:
            if (n_templates == MAX_TEMPLATES)
                return cli_usage_error("compare", "at most %d templates", MAX_TEMPLATES);
            templates[n_templates++] = optarg;
            break;
        case 'f': format_opt = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("compare", "expects two %s, got %d", literal ? "texts" : "files", argc - optind);
    if (no_model && model_opt)
        return cli_usage_error("compare", "--no-model and --model exclude each other");
    if (literal && (no_model || n_templates || format_opt))
        return cli_usage_error("compare", "--text compares two sentences by cosine: no --no-model, --template or -f");
    if (literal)
        return compare_texts(argv + optind, model_opt, precision);
    dp_report_format fmt;
    if (!cli_report_format("compare", format_opt, NULL, false, &fmt))
        return EXIT_USAGE;
    return compare_files(argv + optind, model_opt, precision, no_model, templates, n_templates, fmt);
}
