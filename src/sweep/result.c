#include "sweep/result.h"

#include <stdlib.h>
#include <string.h>

int dp_pair_copy(dp_owned_pair *out, const dp_pair_result *r)
{
    *out = (dp_owned_pair){strdup(r->a), strdup(r->b), r->score, r->a_coverage, r->b_coverage,
                           malloc((r->n_passages ? r->n_passages : 1) * sizeof *out->passages), r->n_passages};
    if (!out->a || !out->b || !out->passages) {
        dp_owned_pair_free(out);
        return DOPPEL_ERR_NOMEM;
    }
    if (r->n_passages)
        memcpy(out->passages, r->passages, r->n_passages * sizeof *out->passages);
    return DOPPEL_OK;
}

void dp_owned_pair_free(dp_owned_pair *p)
{
    free(p->a), free(p->b), free(p->passages);
    *p = (dp_owned_pair){0};
}

dp_pair_result dp_owned_pair_view(const dp_owned_pair *p)
{
    return (dp_pair_result){p->a, p->b, p->score, p->a_coverage, p->b_coverage, p->passages, p->n_passages};
}

const char *dp_passage_kind_name(int kind)
{
    switch (kind) {
    case DP_PASSAGE_VERBATIM: return "verbatim";
    case DP_PASSAGE_EDITED: return "edited";
    case DP_PASSAGE_PARAPHRASE: return "paraphrase";
    default: return "unknown";
    }
}
