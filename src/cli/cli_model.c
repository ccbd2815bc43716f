#include "cli/cli_model.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "cli/cli.h"
#include "cli/cli_dpmodel.h"
#include "cli/cli_text.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "doppel_config.h"
#include "model/modelpath.h"
#include "text/decode.h"

int cli_model_find(const char *option, const char **path)
{
    /* installed, then (a doppel run from its build directory) the source tree's */
    const char *defaults[] = {doppel_model_default_path(), DOPPEL_SOURCE_MODELDIR "/default.dpm"};
    size_t nd = sizeof defaults / sizeof *defaults;
    dp_model_path mp;
    doppel_diag d;
    dp_diag_clear(&d);
    *path = NULL;
    if (dp_model_path_find(&mp, option, getenv("DOPPEL_MODEL"), defaults, nd, &d) != DOPPEL_OK) {
        fprintf(stderr, "doppel: no model found. Looked for:\n  --model FILE (not given)\n"
                        "  $DOPPEL_MODEL (not set)\n");
        for (size_t i = 0; i < mp.ntried; i++)
            fprintf(stderr, "  %s (no such file)\n", mp.tried[i]);
        fprintf(stderr, "Give a model with --model FILE, or create one with 'doppel train' or "
                        "'doppel init-model'.\n");
        return EXIT_RUNTIME;
    }
    *path = mp.path;
    return EXIT_OK;
}

int cli_model_open(const char *option, doppel_model **out, const char **path)
{
    *out = NULL;
    int rc = cli_model_find(option, path);
    if (rc)
        return rc;
    openblas_set_num_threads(1); /* the library's encoder threads are the parallelism */
    doppel_diag d;
    if ((rc = doppel_model_load(out, *path, &d)))
        return cli_runtime_error(*path, rc, &d);
    return EXIT_OK;
}

int cli_model_load(const char *option, dp_model **out, dp_model_file_info *info, const char **path)
{
    *out = NULL;
    int rc = cli_model_find(option, path);
    if (rc)
        return rc;
    doppel_diag d;
    dp_diag_clear(&d);
    if ((rc = dp_model_load_info(out, info, *path, DP_MODEL_KEEP_INT8, &d)))
        return cli_runtime_error(*path, rc, &d);
    return EXIT_OK;
}

int cli_precision_parse(const char *name)
{
    _Static_assert((int)DP_PRECISION_AUTO == (int)DOPPEL_PRECISION_AUTO && (int)DP_PRECISION_FP32 == (int)DOPPEL_PRECISION_FP32 &&
                       (int)DP_PRECISION_INT8 == (int)DOPPEL_PRECISION_INT8,
                   "one numbering for the stage's and the API's precisions");
    return dp_precision_parse(name);
}

int cli_encoder_open_public(const char *option, int threads, doppel_precision precision, doppel_model **m,
                            doppel_encoder **e, const char **path)
{
    *e = NULL;
    int rc = cli_model_open(option, m, path);
    if (rc)
        return rc;
    doppel_diag d;
    int err = doppel_encoder_create(e, *m, threads, &d);
    if (!err && (err = doppel_encoder_set_precision(*e, precision, &d))) {
        doppel_encoder_free(*e);
        *e = NULL;
    }
    if (err) {
        doppel_model_free(*m);
        *m = NULL;
        return cli_runtime_error(*path, err, &d);
    }
    return EXIT_OK;
}

int cli_encoder_open(const char *option, int threads, int precision, dp_model **m, dp_encoder **e,
                     const char **path)
{
    *e = NULL;
    int rc = cli_model_load(option, m, NULL, path);
    if (rc)
        return rc;
    openblas_set_num_threads(1);
    doppel_diag d;
    dp_diag_clear(&d);
    int err = dp_encoder_create(e, *m, threads, &d);
    if (!err && (err = dp_encoder_set_precision(*e, (dp_precision)precision, &d))) {
        dp_encoder_free(*e);
        *e = NULL;
    }
    if (err) {
        dp_model_free(*m);
        *m = NULL;
        return cli_runtime_error(*path, err, &d);
    }
    return EXIT_OK;
}

int cli_read_lines(const char *file, char **data, char ***lines, size_t **lens, size_t *n)
{
    size_t len;
    doppel_diag d;
    dp_diag_clear(&d);
    *lines = NULL, *lens = NULL, *n = 0;
    const char *name = strcmp(file, "-") == 0 ? "<stdin>" : file;
    int rc = dp_read_file(file, (size_t)1 << 32, data, &len, &d);
    if (rc)
        return cli_runtime_error(name, rc, &d);
    /* decoded as the sweep decodes a document (UTF-16, Windows-1252, a BOM) */
    dp_text t;
    rc = dp_text_decode(&t, *data, len, DP_ENC_AUTO, &d);
    free(*data);
    *data = NULL;
    if (rc)
        return cli_runtime_error(name, rc, &d);
    if (t.invalid_count)
        cli_warn_invalid(name, t.invalid_count, t.first_invalid);
    *data = t.utf8, len = t.len;
    t.utf8 = NULL;
    dp_text_free(&t);
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += (*data)[i] == '\n';
    if (len && (*data)[len - 1] != '\n')
        count++;
    *lines = malloc((count ? count : 1) * sizeof **lines);
    *lens = malloc((count ? count : 1) * sizeof **lens);
    if (!*lines || !*lens) {
        free(*lines), free(*lens), free(*data);
        *lines = NULL, *lens = NULL, *data = NULL;
        return cli_runtime_error(file, DOPPEL_ERR_NOMEM, NULL);
    }
    for (size_t at = 0; at < len;) {
        char *nl = memchr(*data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - *data) : len, l = end - at;
        if (l && (*data)[at + l - 1] == '\r')
            l--;
        (*lines)[*n] = *data + at;
        (*lens)[(*n)++] = l;
        at = end + 1;
    }
    return EXIT_OK;
}

int cli_lines_open(cli_lines *in, const char *cmd, int argc, char **argv, const char *model_opt, int threads,
                   int precision)
{
    *in = (cli_lines){0};
    if (argc - optind > 1)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    in->input = optind < argc ? argv[optind] : "-";
    const char *mpath;
    int rc = cli_encoder_open_public(model_opt, threads, (doppel_precision)precision, &in->model, &in->enc, &mpath);
    if (rc)
        return rc;
    in->dim = doppel_model_out_dim(in->model);
    if ((rc = cli_read_lines(in->input, &in->data, &in->lines, &in->lens, &in->n)))
        cli_lines_close(in);
    return rc;
}

void cli_lines_close(cli_lines *in)
{
    free(in->lines), free(in->lens), free(in->data);
    doppel_encoder_free(in->enc);
    doppel_model_free(in->model);
    *in = (cli_lines){0};
}

int cli_encode(doppel_encoder *e, const char *const *texts, const size_t *lens, size_t n, float *out, size_t dim,
               doppel_diag *diag)
{
    int rc = doppel_encoder_encode(e, texts, lens, n, out, diag);
    doppel_tokenizer *tk = NULL;
    if (!rc && n)
        rc = doppel_tokenizer_create(&tk, 0, diag);
    for (size_t i = 0; i < n && !rc; i++) {
        doppel_doc *doc;
        if ((rc = doppel_doc_create(&doc, tk, texts[i], lens[i], DOPPEL_ENC_UTF8, diag)))
            break;
        const doppel_token *toks;
        if (doppel_doc_tokens(doc, &toks) == 0)
            memset(out + i * dim, 0, dim * sizeof *out);
        doppel_doc_free(doc);
    }
    doppel_tokenizer_free(tk);
    return rc;
}

double cli_cosine(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)a[i] * (double)b[i];
    return s;
}
