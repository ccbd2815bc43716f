/*
 * `doppel sweep -f jsonl` as a library user writes it: the installed headers only
 * (<doppel.h>, and <doppel_io.h> to read the folders), built with pkg-config:
 *
 *   cc sweep_jsonl.c -o sweep_jsonl $(pkg-config --cflags --libs doppel-io doppel)
 *   ./sweep_jsonl [--by-dir] [--template FILE]... [--model FILE | --no-model] PATH...
 *
 * Reads every document under the PATHs (with --by-dir, each entry directly under a PATH
 * is one submission), hands the templates and documents to an index, sweeps every pair
 * and writes the JSON Lines report to standard output. The model: --model, else
 * $DOPPEL_MODEL, else the installed default.
 */
#include <doppel.h>
#include <doppel_io.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, int rc, const doppel_diag *d)
{
    fprintf(stderr, "sweep_jsonl: %s: %s%s%s\n", what, doppel_strerror(rc), d && d->message[0] ? ": " : "",
            d ? d->message : "");
    return 1;
}

int main(int argc, char **argv)
{
    doppel_corpus_opts co;
    doppel_corpus_opts_default(&co);
    const char *model_path = getenv("DOPPEL_MODEL");
    int no_model = 0, first_path = argc;
    const char **templates = calloc((size_t)argc, sizeof *templates);
    size_t n_templates = 0;
    for (int i = 1; i < argc && first_path == argc; i++) {
        if (strcmp(argv[i], "--by-dir") == 0)
            co.by_dir = 1;
        else if (strcmp(argv[i], "--no-model") == 0)
            no_model = 1;
        else if (i + 1 < argc && strcmp(argv[i], "--model") == 0)
            model_path = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--template") == 0)
            templates[n_templates++] = argv[++i];
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: sweep_jsonl [--by-dir] [--template FILE]... [--model FILE | --no-model] PATH...\n");
            return 2;
        } else
            first_path = i;
    }
    doppel_diag d;
    doppel_model *m = NULL;
    doppel_index *ix = NULL;
    doppel_corpus *c = NULL;
    doppel_report *r = NULL;
    int rc, status = 1;
    if (!no_model && (rc = doppel_model_load(&m, model_path ? model_path : doppel_model_default_path(), &d))) {
        status = fail(model_path ? model_path : doppel_model_default_path(), rc, &d);
        goto done;
    }
    if ((rc = doppel_index_create(&ix, m, 2, NULL, &d))) {
        status = fail("index", rc, &d);
        goto done;
    }
    /* the doppel program encodes with AUTO (a library handle starts FP32) */
    if ((rc = doppel_index_set_precision(ix, DOPPEL_PRECISION_AUTO, &d))) {
        status = fail("index", rc, &d);
        goto done;
    }
    for (size_t i = 0; i < n_templates; i++) {
        char *bytes;
        size_t len;
        if ((rc = doppel_read_file(templates[i], 0, &bytes, &len, &d)) == DOPPEL_OK) {
            rc = doppel_index_add_template(ix, bytes, len, &d);
            free(bytes);
        }
        if (rc) {
            status = fail(templates[i], rc, &d);
            goto done;
        }
    }
    if ((rc = doppel_corpus_create(&c, &co, &d))) {
        status = fail("corpus", rc, &d);
        goto done;
    }
    for (int i = first_path; i < argc; i++)
        if ((rc = doppel_corpus_add_path(c, argv[i], &d))) {
            status = fail(argv[i], rc, &d);
            goto done;
        }
    const doppel_corpus_entry *e;
    while ((rc = doppel_corpus_next(c, &e, &d)) == DOPPEL_OK && e) {
        if (e->reason && e->in_submission) /* the submission goes on without this file */
            fprintf(stderr, "sweep_jsonl: %s: left out: %s\n", e->id, e->reason);
        else if (e->reason)
            rc = doppel_index_add_skipped(ix, e->id, e->reason, &d);
        else if ((rc = doppel_index_add(ix, e->id, e->bytes, e->len, 0, &d)) != DOPPEL_OK &&
                 rc != DOPPEL_ERR_NOMEM) { /* no usable text: the index lists it as skipped */
            fprintf(stderr, "sweep_jsonl: %s: skipped: %s\n", e->id, d.message);
            rc = DOPPEL_OK;
        }
        if (rc)
            break;
    }
    if (rc) {
        status = fail("reading", rc, &d);
        goto done;
    }
    if ((rc = doppel_index_sweep(ix, &r, &d)) || (rc = doppel_report_write_jsonl(r, stdout, &d))) {
        status = fail("sweep", rc, &d);
        goto done;
    }
    status = 0;
done:
    doppel_report_free(r);
    doppel_corpus_free(c);
    doppel_index_free(ix);
    doppel_model_free(m);
    free(templates);
    return status;
}
