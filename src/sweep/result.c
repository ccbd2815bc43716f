#include "sweep/result.h"

const char *dp_passage_kind_name(int kind)
{
    switch (kind) {
    case DP_PASSAGE_VERBATIM: return "verbatim";
    case DP_PASSAGE_EDITED: return "edited";
    case DP_PASSAGE_PARAPHRASE: return "paraphrase";
    default: return "unknown";
    }
}
