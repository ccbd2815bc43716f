/* Row-wise L2 normalisation y = x / max(‖x‖, eps) (F.normalize, eps = 1e-12). */
#ifndef DP_MODEL_L2NORM_H
#define DP_MODEL_L2NORM_H

#include "model/real.h"

#define DP_L2NORM_EPS 1e-12

/* y [B][O], norm [B] cache: max(‖x‖, eps), x [B][O] */
void DP_R(dp_l2norm_forward)(dp_real *y, dp_real *norm, const dp_real *x, size_t B, size_t O);

/* dx [B][O] (overwritten), dy [B][O], y and norm from the forward */
void DP_R(dp_l2norm_backward)(dp_real *dx, const dp_real *dy, const dp_real *y, const dp_real *norm, size_t B,
                              size_t O);

#endif
