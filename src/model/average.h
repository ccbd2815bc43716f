/*
 * A weighted average of two models of one architecture, parameter by parameter: a model
 * fine-tuned from another lies on a path from it along which quality changes smoothly,
 * so a point between keeps part of what each knew (what the start ranked well, what the
 * fine-tuning taught).
 */
#ifndef DP_MODEL_AVERAGE_H
#define DP_MODEL_AVERAGE_H

#include "doppel.h"
#include "model/model.h"

/* *out = (1 - t) * a + t * b for every parameter (t = 0 gives a, t = 1 b).
 * DOPPEL_ERR_INVALID when the configurations differ, t is outside [0, 1] or a model holds
 * its embedding as int8 (DP_MODEL_KEEP_INT8: read it with dp_model_load). */
int dp_model_average(dp_model **out, const dp_model *a, const dp_model *b, float t, doppel_diag *diag);

#endif
