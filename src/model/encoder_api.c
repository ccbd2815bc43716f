/* The public face of the model stage: doppel_model and doppel_encoder over dp_*. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/sized.h"
#include "doppel.h"
#include "model/encoder.h"
#include "model/modelfile.h"

struct doppel_model {
    dp_model *m;
    dp_model_file_info info;
};

struct doppel_encoder {
    dp_encoder *e;
};

int doppel_model_load(doppel_model **out, const char *path, doppel_diag *diag)
{
    if (!out || !path)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, NULL);
    *out = NULL;
    doppel_model *pm = calloc(1, sizeof *pm);
    if (!pm)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    /* the public model is for encoders (and index identities) only: keep int8 as int8 */
    int rc = dp_model_load_info(&pm->m, &pm->info, path, DP_MODEL_KEEP_INT8, diag);
    if (rc) {
        free(pm);
        return rc;
    }
    *out = pm;
    return DOPPEL_OK;
}

void doppel_model_free(doppel_model *m)
{
    if (!m)
        return;
    dp_model_free(m->m);
    dp_model_file_info_free(&m->info);
    free(m);
}

const dp_model *dp_model_of(const doppel_model *m) { return m->m; }

size_t doppel_model_out_dim(const doppel_model *m) { return m->m->cfg.out_dim; }

const char *doppel_model_metadata(const doppel_model *m) { return m->info.metadata; }

uint32_t doppel_model_identity(const doppel_model *m) { return dp_model_identity(m->m); }

int doppel_model_get_info(const doppel_model *m, doppel_model_info *out, doppel_diag *diag)
{
    if (!m || !out)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", !m ? "model" : "out");
    int rc = dp_sized_check(out->size, offsetof(doppel_model_info, format_version), "out",
                            "set it to sizeof(doppel_model_info)", diag);
    if (rc)
        return rc;
    const dp_model_config *cfg = &m->m->cfg;
    doppel_model_info info = {
        .format_version = m->info.version,
        .embed_dim = cfg->embed_dim,
        .hidden = cfg->hidden,
        .layers = cfg->layers,
        .out_dim = cfg->out_dim,
        .buckets = cfg->buckets,
        .params = dp_model_param_count(cfg),
        .memory_bytes = dp_model_bytes(m->m),
        .pooling = dp_pooling_name(cfg->pooling),
        .dtype = dp_dtype_name(m->info.embed_dtype),
        .hash_seed = cfg->hash_seed,
        .minn = cfg->minn,
        .maxn = cfg->maxn,
        .strip_accents = cfg->strip_accents != 0,
    };
    dp_sized_init(out, out->size, &info, sizeof info);
    return DOPPEL_OK;
}

int doppel_encoder_create(doppel_encoder **out, const doppel_model *m, int threads, doppel_diag *diag)
{
    if (!out || !m)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL", !out ? "out" : "model");
    *out = NULL;
    doppel_encoder *pe = malloc(sizeof *pe);
    if (!pe)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int rc = dp_encoder_create(&pe->e, m->m, threads, diag);
    if (rc) {
        free(pe);
        return rc;
    }
    *out = pe;
    return DOPPEL_OK;
}

_Static_assert(DOPPEL_PRECISION_AUTO == (int)DP_PRECISION_AUTO && DOPPEL_PRECISION_FP32 == (int)DP_PRECISION_FP32 &&
                   DOPPEL_PRECISION_INT8 == (int)DP_PRECISION_INT8,
               "doppel_precision and dp_precision name the same values");

int doppel_encoder_set_precision(doppel_encoder *e, doppel_precision p, doppel_diag *diag)
{
    if (!e)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "encoder is NULL");
    return dp_encoder_set_precision(e->e, (dp_precision)p, diag);
}

void doppel_encoder_free(doppel_encoder *e)
{
    if (!e)
        return;
    dp_encoder_free(e->e);
    free(e);
}

int doppel_encoder_encode(doppel_encoder *e, const char *const *texts, const size_t *lens, size_t n, float *out,
                          doppel_diag *diag)
{
    if (!e || (n && (!texts || !lens || !out)))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "%s is NULL",
                           !e ? "encoder" : !texts ? "texts" : !lens ? "lens" : "out");
    for (size_t i = 0; i < n; i++)
        if (!texts[i] && lens[i])
            return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "texts[%zu] is NULL", i);
    return dp_encoder_encode(e->e, texts, lens, n, out, diag);
}
