#include "model/l2norm.h"

void DP_R(dp_l2norm_forward)(dp_real *y, dp_real *norm, const dp_real *x, size_t B, size_t O)
{
    for (size_t r = 0; r < B; r++) {
        const dp_real *xr = x + r * O;
        dp_real ss = 0;
        for (size_t i = 0; i < O; i++)
            ss += xr[i] * xr[i];
        dp_real nr = DP_SQRT(ss);
        if (!(nr > (dp_real)DP_L2NORM_EPS))
            nr = (dp_real)DP_L2NORM_EPS;
        norm[r] = nr;
        for (size_t i = 0; i < O; i++)
            y[r * O + i] = xr[i] / nr;
    }
}

void DP_R(dp_l2norm_backward)(dp_real *dx, const dp_real *dy, const dp_real *y, const dp_real *norm, size_t B,
                              size_t O)
{
    for (size_t r = 0; r < B; r++) {
        const dp_real *yr = y + r * O, *dr = dy + r * O;
        /* when the norm was clamped to eps, y = x / eps is linear in x */
        dp_real dot = 0;
        if (norm[r] > (dp_real)DP_L2NORM_EPS)
            for (size_t i = 0; i < O; i++)
                dot += yr[i] * dr[i];
        for (size_t i = 0; i < O; i++)
            dx[r * O + i] = (dr[i] - yr[i] * dot) / norm[r];
    }
}
