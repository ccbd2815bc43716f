#include "train/evaluate.h"

#include <math.h>
#include <stdlib.h>

#include "core/diag.h"
#include "train/metrics.h"

/* cos[i] = <vec[i], vec[n + i]> in double precision; vec: [2n][d] unit rows. */
static void pair_dots(double *cos, const float *vec, size_t n, size_t d)
{
    for (size_t i = 0; i < n; i++) {
        const float *u = vec + i * d, *v = vec + (n + i) * d;
        double dot = 0.0;
        for (size_t k = 0; k < d; k++)
            dot += (double)u[k] * (double)v[k];
        cos[i] = dot;
    }
}

int dp_eval_cosines(dp_encoder *enc, size_t out_dim, const dp_dataset *ds, size_t first, size_t n, double *cos,
                    doppel_diag *diag)
{
    /* texts / lens: [2n] the a sides, then the b sides; vec: [2n][out_dim] */
    const char **texts = calloc(2 * (n ? n : 1), sizeof *texts);
    size_t *lens = calloc(2 * (n ? n : 1), sizeof *lens);
    float *vec = malloc(2 * (n ? n : 1) * out_dim * sizeof *vec);
    int rc = DOPPEL_OK;
    if (!texts || !lens || !vec) {
        rc = dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    } else {
        for (size_t i = 0; i < n; i++) {
            const dp_pair *p = &ds->pairs[first + i];
            texts[i] = p->a.s, lens[i] = p->a.len;
            texts[n + i] = p->b.s, lens[n + i] = p->b.len;
        }
        rc = dp_encoder_encode(enc, texts, lens, 2 * n, vec, diag);
        if (!rc)
            pair_dots(cos, vec, n, out_dim);
    }
    free(texts);
    free(lens);
    free(vec);
    return rc;
}

int dp_eval_metrics(dp_eval_result *r, const double *cos, const dp_dataset *ds, size_t first, size_t n)
{
    r->n = n;
    r->graded = n > 0 && ds->src[ds->pairs[first].source].graded;
    r->spearman = r->pearson = r->auc = r->accuracy = r->threshold = (double)NAN;
    double *label = malloc((n ? n : 1) * sizeof *label);
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
