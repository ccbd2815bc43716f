#include "cli/cli_report.h"

#include <sys/stat.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "sweep/corpus.h"

double cli_seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

int cli_report_finish(dp_writer *w, dp_report_output *out, const char *out_path, const dp_summary *sum)
{
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = dp_writer_end(w, sum);
    if (!rc)
        rc = dp_report_output_commit(out, &d);
    if (rc)
        return cli_runtime_error(out_path, rc, &d);
    out->f = NULL;
    return EXIT_OK;
}

/* A --by-dir submission's files joined again as when it was indexed. */
static int submission_text(const char *dir, char **bytes, size_t *len, const char **why)
{
    dp_corpus *c = NULL;
    dp_corpus_item item = {0};
    doppel_diag d;
    int rc = dp_corpus_create(&c, &(dp_corpus_opts){.by_dir = true});
    if (!rc)
        rc = dp_corpus_add_submission(c, dir);
    while (!rc && !(rc = dp_corpus_next(c, &item, &d)) && item.kind == DP_CORPUS_SKIPPED)
        ; /* a member file skipped then (binary, unreadable) is left out now too */
    if (!rc && item.kind == DP_CORPUS_DOC) {
        *bytes = item.bytes, *len = item.len;
        item.bytes = NULL;
    } else if (!rc) {
        *why = "an index keeps no texts, and this --by-dir submission has no readable text now";
        rc = DOPPEL_ERR_NOT_FOUND;
    }
    dp_corpus_item_clear(&item);
    dp_corpus_free(c);
    return rc;
}

int cli_index_doc_text(const char *id, char **bytes, size_t *len, const char **why)
{
    struct stat st;
    if (stat(id, &st) == 0 && S_ISDIR(st.st_mode))
        return submission_text(id, bytes, len, why);
    int rc = dp_read_file(id, DP_CORPUS_DEFAULT_MAX_BYTES, bytes, len, NULL);
    if (rc)
        *why = "an index keeps no texts, and no readable file has this name";
    return rc;
}
