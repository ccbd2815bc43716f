/*
 * The scalar type of the numerical layers. The layer sources are written once over
 * dp_real and compiled twice: as float into the library (DP_R(name) == name), and as
 * double by the gradient-check test (#define DP_REAL_DOUBLE before including them;
 * DP_R(name) == name_d), so finite differences can be checked at double precision
 * against the very code the product runs.
 */
#ifndef DP_MODEL_REAL_H
#define DP_MODEL_REAL_H

#include <cblas.h>
#include <math.h>

#include "model/model.h"

#ifdef DP_REAL_DOUBLE
typedef double dp_real;
#define DP_R(name) name##_d
#define DP_GEMM cblas_dgemm
#define DP_EXP exp
#define DP_TANH tanh
#define DP_SQRT sqrt

/* The double twins of dp_gru_params / dp_model_params (same layout, same fields). */
typedef struct dp_gru_params_d {
    double *w_ih; /* [3H][in] */
    double *w_hh; /* [3H][H] */
    double *b_ih; /* [3H] */
    double *b_hh; /* [3H] */
} dp_gru_params_d;

typedef struct dp_model_params_d {
    double *embed;                         /* [buckets][embed_dim] */
    dp_gru_params_d gru[DP_MAX_LAYERS][2]; /* [layer][direction] */
    double *proj_w;                        /* [out_dim][pool_dim] */
    double *proj_b;                        /* [out_dim] */
    double *attn;                          /* [embed_dim] or NULL */
} dp_model_params_d;
#else
typedef float dp_real;
#define DP_R(name) name
#define DP_GEMM cblas_sgemm
#define DP_EXP expf
#define DP_TANH tanhf
#define DP_SQRT sqrtf
#endif

#endif
