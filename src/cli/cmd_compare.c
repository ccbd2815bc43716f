/* doppel compare: two files compared as `doppel sweep` compares two documents (score,
 * coverage, passages), or the cosine of two texts given as arguments (--text). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_input.h"
#include "cli/cli_model.h"
#include "cli/cli_text.h"
#include "cli/commands.h"
#include "core/diag.h"
#include "doppel.h"
#include "doppel_io.h"

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
    CLI_HELP_HELP;

static int add_template(void *ix, const char *bytes, size_t len, doppel_diag *diag)
{
    return doppel_index_add_template(ix, bytes, len, diag);
}

/* Both texts as given, for the HTML report's panes. */
typedef struct two_texts {
    const char *id[2];
    const char *bytes[2];
    size_t len[2];
} two_texts;

static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    (void)why;
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
                         size_t n_templates, int fmt)
{
    doppel_model *m = NULL;
    doppel_index *ix = NULL;
    doppel_report *r = NULL;
    two_texts tt = {{files[0], files[1]}, {NULL, NULL}, {0, 0}};
    char *data[2] = {NULL, NULL};
    const char *mpath;
    doppel_diag d;
    dp_diag_clear(&d);
    int status = EXIT_OK, rc;
    doppel_index_opts o;
    doppel_index_opts_init(&o, sizeof o);
    o.threshold = 0; /* the pair is the answer, whatever its score */
    if (!no_model && (status = cli_model_open(model_opt, &m, &mpath)))
        goto done;
    if ((rc = doppel_index_create(&ix, m, 2, &o, &d)) ||
        (rc = doppel_index_set_precision(ix, (doppel_precision)precision, &d))) {
        status = cli_runtime_error(m ? mpath : NULL, rc, &d);
        goto done;
    }
    if ((status = cli_read_templates(templates, n_templates, add_template, ix)))
        goto done;
    for (int i = 0; i < 2; i++) {
        if ((rc = doppel_read_file(files[i], 0, &data[i], &tt.len[i], &d))) {
            status = cli_runtime_error(files[i], rc, &d);
            goto done;
        }
        tt.bytes[i] = data[i];
        const char *why = doppel_sniff(data[i], tt.len[i]);
        if (why) {
            fprintf(stderr, "doppel: %s: %s: nothing to compare\n", files[i], why);
            status = EXIT_RUNTIME;
            goto done;
        }
        if ((rc = doppel_index_add(ix, files[i], data[i], tt.len[i], 0, &d))) {
            fprintf(stderr, "doppel: %s: %s: nothing to compare\n", files[i], d.message[0] ? d.message : doppel_strerror(rc));
            status = EXIT_RUNTIME;
            goto done;
        }
        uint64_t invalid, first;
        if ((rc = doppel_index_doc_invalid(ix, files[i], &invalid, &first, &d))) {
            status = cli_runtime_error(files[i], rc, &d);
            goto done;
        }
        if (invalid)
            cli_warn_invalid(files[i], invalid, first);
    }
    doppel_write_opts wo;
    doppel_write_opts_init(&wo, sizeof wo);
    wo.format = fmt, wo.aside = stderr, wo.columns = cli_columns(), wo.text = text_of, wo.text_ctx = &tt;
    wo.title = "doppel compare";
    if ((rc = doppel_index_sweep(ix, &r, &d))) {
        status = cli_runtime_error(NULL, rc, &d);
        goto done;
    }
    if ((rc = doppel_report_write(r, &wo, stdout, &d))) {
        status = cli_runtime_error("<stdout>", rc, &d);
        goto done;
    }
done:
    doppel_report_free(r);
    doppel_index_free(ix);
    doppel_model_free(m);
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
    int fmt;
    if (!cli_write_format("compare", format_opt, NULL, false, &fmt))
        return EXIT_USAGE;
    return compare_files(argv + optind, model_opt, precision, no_model, templates, n_templates, fmt);
}
