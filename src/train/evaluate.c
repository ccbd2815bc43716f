#include "train/evaluate.h"

#include <math.h>
#include <stdlib.h>

#include "core/diag.h"
#include "train/cosine.h"
#include "train/metrics.h"

int dp_eval_cosines(const dp_model *m, dp_net_ws *ws, const dp_featset *fs, size_t first, size_t n, int batch,
                    float *cos, doppel_diag *diag)
{
    size_t D = m->cfg.out_dim;
    size_t *text = malloc(2 * (size_t)batch * sizeof *text);
    float *out = malloc(2 * (size_t)batch * D * sizeof *out); /* [2b][D]: a sides, then b sides */
    dp_batch_buf bb = {0};
    int rc = text && out ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc; i += (size_t)batch) {
        int b = (int)(n - i < (size_t)batch ? n - i : (size_t)batch);
        for (int j = 0; j < b; j++) {
            text[j] = 3 * (first + i + (size_t)j);
            text[b + j] = text[j] + 1;
        }
        rc = dp_batch_gather(&bb, fs, text, 2 * b);
        if (!rc)
            rc = dp_net_forward(m, ws, &bb.batch, out, 0);
        if (!rc)
            dp_rowdot(cos + i, out, out + (size_t)b * D, b, (int)D);
    }
    dp_batch_buf_free(&bb);
    free(text);
    free(out);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, "embedding the evaluation pairs failed") : DOPPEL_OK;
}

int dp_eval_metrics(dp_eval_result *r, const float *cos, const dp_dataset *ds, size_t first, size_t n)
{
    r->n = n;
    r->graded = n > 0 && ds->src[ds->pairs[first].source].graded;
    r->spearman = r->pearson = r->auc = r->accuracy = r->threshold = (double)NAN;
    float *label = malloc((n ? n : 1) * sizeof *label);
    if (!label)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        label[i] = r->graded ? ds->pairs[first + i].label : dp_pair_norm_label(ds, &ds->pairs[first + i]);
    int rc;
    if (r->graded) {
        r->pearson = dp_pearson(cos, label, n);
        rc = dp_spearman(cos, label, n, &r->spearman);
    } else {
        rc = dp_roc_auc(cos, label, n, &r->auc);
        if (!rc)
            rc = dp_best_threshold_accuracy(cos, label, n, &r->accuracy, &r->threshold);
    }
    free(label);
    return rc;
}
