#include "model/linear.h"

#include <string.h>

void DP_R(dp_linear_forward)(dp_real *out, const dp_real *in, const dp_real *w, const dp_gemm_w *pw,
                             const dp_real *b, size_t B, size_t In, size_t O)
{
    if (B == 0)
        return;
    for (size_t r = 0; r < B; r++)
        memcpy(out + r * O, b, O * sizeof *out);
    DP_R(dp_mm_nt)(out, O, in, In, w, pw, B, O, In);
}

void DP_R(dp_linear_backward)(dp_real *din, dp_real *dw, dp_real *db, const dp_real *dout, const dp_real *in,
                              const dp_real *w, size_t B, size_t In, size_t O)
{
    if (B == 0)
        return;
    if (din)
        DP_GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)In, (int)O, 1, dout, (int)O, w, (int)In, 0,
                din, (int)In);
    DP_GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, (int)O, (int)In, (int)B, 1, dout, (int)O, in, (int)In, 1, dw,
            (int)In);
    for (size_t r = 0; r < B; r++)
        for (size_t o = 0; o < O; o++)
            db[o] += dout[r * O + o];
}
