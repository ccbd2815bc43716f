/* The public face of near-duplicate clusters: doppel_dedup over sweep/dedup.h and its
 * writer (report/dedup_out.h). */
#include <stdint.h>
#include <stdlib.h>

#include "core/diag.h"
#include "doppel.h"
#include "report/dedup_out.h"
#include "sweep/dedup.h"

struct doppel_dedup {
    dp_dedup *d;
    size_t documents;
    float threshold;
    dp_dedup_clusters cl;
    const char *const *ids; /* the caller's, from doppel_dedup_cluster */
    const uint64_t *words;
    int clustered;
};

#define INVALID(diag, ...) dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, __VA_ARGS__)

float doppel_dedup_default_threshold(int lexical)
{
    return lexical ? DP_DEDUP_THRESHOLD_LEXICAL : DP_DEDUP_THRESHOLD_MODEL;
}

uint32_t doppel_dedup_default_max_docs(void) { return DP_DEDUP_MAX_DOCS; }

float doppel_dedup_similarity(const doppel_pair *p, uint64_t a_words, uint64_t b_words)
{
    return p ? dp_dedup_similarity(p->a_coverage, (size_t)a_words, p->b_coverage, (size_t)b_words) : 0.0f;
}

int doppel_dedup_create(doppel_dedup **out, size_t documents, float threshold, doppel_diag *diag)
{
    if (!out)
        return INVALID(diag, "out is NULL");
    *out = NULL;
    if (!(threshold >= 0.0f && threshold <= 1.0f))
        return INVALID(diag, "threshold %g: must be in [0, 1]", (double)threshold);
    if (documents > UINT32_MAX)
        return INVALID(diag, "documents %zu: at most %u", documents, (unsigned)UINT32_MAX);
    doppel_dedup *d = calloc(1, sizeof *d);
    if (!d || dp_dedup_create(&d->d, documents, threshold)) {
        free(d);
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    d->documents = documents, d->threshold = threshold;
    *out = d;
    return DOPPEL_OK;
}

void doppel_dedup_free(doppel_dedup *d)
{
    if (!d)
        return;
    dp_dedup_free(d->d);
    dp_dedup_clusters_free(&d->cl);
    free(d);
}

int doppel_dedup_add(doppel_dedup *d, size_t a, size_t b, float similarity, doppel_diag *diag)
{
    if (!d)
        return INVALID(diag, "d is NULL");
    if (d->clustered)
        return INVALID(diag, "a pair added after doppel_dedup_cluster");
    if (a == b || a >= d->documents || b >= d->documents)
        return INVALID(diag, "pair (%zu, %zu): two different documents below %zu", a, b, d->documents);
    int rc = dp_dedup_add(d->d, (uint32_t)a, (uint32_t)b, similarity);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

int doppel_dedup_cluster(doppel_dedup *d, const char *const *ids, const uint64_t *words, doppel_diag *diag)
{
    if (!d || (d->documents && (!ids || !words)))
        return INVALID(diag, "%s is NULL", !d ? "d" : !ids ? "ids" : "words");
    if (d->clustered)
        return INVALID(diag, "clustered already");
    int rc = dp_dedup_cluster(d->d, words, ids, &d->cl);
    if (rc)
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    d->ids = ids, d->words = words, d->clustered = 1;
    return DOPPEL_OK;
}

size_t doppel_dedup_count(const doppel_dedup *d) { return d && d->clustered ? d->cl.n : 0; }

const doppel_dedup_member *doppel_dedup_members(const doppel_dedup *d, size_t c, size_t *n)
{
    if (!d || !n || c >= doppel_dedup_count(d)) {
        if (n)
            *n = 0;
        return NULL;
    }
    *n = d->cl.offsets[c + 1] - d->cl.offsets[c];
    return d->cl.members + d->cl.offsets[c];
}

int doppel_dedup_write(const doppel_dedup *d, int format, size_t skipped, FILE *out, doppel_diag *diag)
{
    if (!d || !out)
        return INVALID(diag, "%s is NULL", !d ? "d" : "out");
    if (!d->clustered)
        return INVALID(diag, "written before doppel_dedup_cluster");
    if (format != DOPPEL_FORMAT_JSONL && format != DOPPEL_FORMAT_CSV && format != DOPPEL_FORMAT_TABLE)
        return INVALID(diag, "format %d: JSONL, CSV or TABLE", format);
    dp_dedup_report r = {d->ids, d->words, d->documents, skipped, d->threshold};
    static const dp_report_format formats[] = {[DOPPEL_FORMAT_JSONL] = DP_REPORT_JSONL,
                                               [DOPPEL_FORMAT_CSV] = DP_REPORT_CSV,
                                               [DOPPEL_FORMAT_TABLE] = DP_REPORT_TABLE};
    int rc = dp_dedup_write(out, formats[format], &d->cl, &r);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, rc == DOPPEL_ERR_IO ? "writing the report" : NULL)
              : DOPPEL_OK;
}
