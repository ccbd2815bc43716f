/*
 * The training losses: known values on hand-computed tiny batches, every backward
 * against central finite differences of an independent double-precision reference
 * of the forward, and triplet mining on a constructed batch.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"
#include "doppel.h"
#include "train/loss.h"
#include "train/loss_apart.h"
#include "train/loss_contrastive.h"
#include "train/loss_cosent.h"
#include "train/loss_cosmse.h"
#include "train/loss_inbatch.h"
#include "train/loss_multipos.h"
#include "train/loss_triplet.h"

enum { B = 5, D = 4 };

/* ---- double references, written from the formulas ---- */

static double dot(const double *x, const double *y) { double s = 0; for (int k = 0; k < D; k++) s += x[k] * y[k]; return s; }
static double sqd(const double *x, const double *y) { double s = 0; for (int k = 0; k < D; k++) s += (x[k] - y[k]) * (x[k] - y[k]); return s; }

typedef struct {
    const dp_loss_spec *s;
    const double *label;
    const int *neg; /* triplet: fixed negatives into cand */
    double margin, scale;
} ref_ctx;

/* x = [u ; v ; c], each [B][D] */
static double ref_loss(const ref_ctx *r, const double *x)
{
    const double *u = x, *v = x + B * D, *c = x + 2 * B * D;
    double L = 0;
    switch (r->s->kind) {
    case DP_LOSS_CONTRASTIVE:
        for (int i = 0; i < B; i++) {
            double d = sqrt(sqd(u + i * D, v + i * D)), y = 1 - r->label[i];
            double h = fmax(0, r->margin - d);
            L += (1 - y) * d * d + y * h * h;
        }
        return L / B;
    case DP_LOSS_TRIPLET:
        for (int i = 0; i < B; i++)
            L += fmax(0, sqd(u + i * D, v + i * D) - sqd(u + i * D, c + r->neg[i] * D) + r->margin);
        return L / B;
    case DP_LOSS_INBATCH:
        for (int i = 0; i < B; i++) {
            double zr = 0, zc = 0;
            for (int j = 0; j < B; j++) {
                zr += exp(r->scale * dot(u + i * D, v + j * D));
                zc += exp(r->scale * dot(u + j * D, v + i * D));
            }
            double diag = r->scale * dot(u + i * D, v + i * D);
            L += r->s->symmetric ? 0.5 * (log(zr) - diag + log(zc) - diag) : log(zr) - diag;
        }
        return L / B;
    case DP_LOSS_COSENT: {
        double z = 1;
        for (int i = 0; i < B; i++)
            for (int j = 0; j < B; j++)
                if (r->label[i] > r->label[j])
                    z += exp(r->scale * (dot(u + j * D, v + j * D) - dot(u + i * D, v + i * D)));
        return log(z);
    }
    case DP_LOSS_COSMSE:
        for (int i = 0; i < B; i++) {
            double e = dot(u + i * D, v + i * D) - r->label[i];
            L += e * e;
        }
        return L / B;
    case DP_LOSS_MULTIPOS: /* ref_multipos, with its groups */
        break;
    }
    return NAN;
}

static void random_unit(dp_rng *rng, float *x, int n)
{
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < D; k++) {
            x[i * D + k] = (float)dp_rng_normal(rng);
            s += (double)(x[i * D + k] * x[i * D + k]);
        }
        for (int k = 0; k < D; k++)
            x[i * D + k] /= (float)sqrt(s);
    }
}

/* Compares dp_loss_eval's value and gradients with the double reference. */
static void check_grad(const dp_loss_spec *s, int with_neg, uint64_t seed)
{
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    float x[3 * B * D], g[3 * B * D], label[B];
    double xd[3 * B * D], labeld[B];
    random_unit(&rng, x, 3 * B);
    for (int i = 0; i < B; i++) {
        label[i] = s->kind == DP_LOSS_CONTRASTIVE ? (float)(i % 2) : (float)(dp_rng_below(&rng, 6)) / 5.0f;
        labeld[i] = (double)label[i];
    }
    dp_loss_ws ws;
    assert_int_equal(dp_loss_ws_alloc(&ws, B), DOPPEL_OK);
    float *c = with_neg ? x + 2 * B * D : NULL;
    float L = dp_loss_eval(s, &ws, x, x + B * D, c, label, NULL, B, D, g, g + B * D, g + 2 * B * D);
    if (!with_neg)
        memset(g + 2 * B * D, 0, sizeof(float) * B * D);

    int neg[B];
    for (int i = 0; i < B; i++)
        neg[i] = with_neg ? i : ws.neg[i];
    ref_ctx r = {s, labeld, neg, (double)s->margin, (double)s->scale};
    for (int k = 0; k < 3 * B * D; k++)
        xd[k] = (double)x[k];
    if (!with_neg && s->kind == DP_LOSS_TRIPLET) /* mined negatives are the positives */
        for (int k = 0; k < B * D; k++)
            xd[2 * B * D + k] = xd[B * D + k];
    double L0 = ref_loss(&r, xd);
    assert_true(fabs(L0 - (double)L) <= 1e-5 * fmax(1.0, fabs(L0)));

    int nvar = with_neg || s->kind == DP_LOSS_TRIPLET ? 3 * B * D : 2 * B * D;
    for (int k = 0; k < nvar; k++) {
        double h = 1e-6, keep = xd[k];
        int tied = !with_neg && s->kind == DP_LOSS_TRIPLET && k >= B * D && k < 2 * B * D;
        xd[k] = keep + h;
        if (tied) xd[k + B * D] = xd[k];
        double lp = ref_loss(&r, xd);
        xd[k] = keep - h;
        if (tied) xd[k + B * D] = xd[k];
        double lm = ref_loss(&r, xd);
        xd[k] = keep;
        if (tied) xd[k + B * D] = keep;
        if (!with_neg && s->kind == DP_LOSS_TRIPLET && k >= 2 * B * D)
            break; /* the candidates are v: already covered through the tie */
        double fd = (lp - lm) / (2 * h);
        if (fabs(fd - (double)g[k]) > 1e-3 * fmax(1.0, fabs(fd)))
            fail_msg("loss %d grad[%d] = %g, finite difference %g", s->kind, k, (double)g[k], fd);
    }
    dp_loss_ws_free(&ws);
}

static void test_gradients(void **state)
{
    (void)state;
    for (int kind = DP_LOSS_CONTRASTIVE; kind <= DP_LOSS_COSMSE; kind++) {
        dp_loss_spec s;
        dp_loss_spec_default(&s, (dp_loss_kind)kind);
        s.margin = kind == DP_LOSS_CONTRASTIVE ? 1.2f : 0.9f; /* hinges active for some pairs */
        s.scale = kind == DP_LOSS_INBATCH ? 5.0f : 3.0f;
        for (uint64_t seed = 1; seed <= 3; seed++) {
            check_grad(&s, 0, seed);
            s.symmetric = (int)(seed % 2);
            if (kind == DP_LOSS_TRIPLET) {
                check_grad(&s, 1, seed);
                s.mining = seed % 2 ? DP_MINE_HARD : DP_MINE_SEMIHARD;
            }
        }
    }
}

/* Multipos reference from its formula: x = [u ; v ; c]; c unused when !with_neg. */
static double ref_multipos(const double *x, const uint32_t *g, int with_neg, double scale, int symmetric)
{
    const double *u = x, *v = x + B * D, *c = x + 2 * B * D;
    double rows = 0, cols = 0;
    for (int i = 0; i < B; i++) {
        double zr = 0, zc = 0, pr = 0, pc = 0;
        int n = 0;
        for (int j = 0; j < B; j++) {
            zr += exp(scale * dot(u + i * D, v + j * D)) + (with_neg ? exp(scale * dot(u + i * D, c + j * D)) : 0);
            zc += exp(scale * dot(u + j * D, v + i * D));
            if (g[i] == g[j]) {
                pr += scale * dot(u + i * D, v + j * D);
                pc += scale * dot(u + j * D, v + i * D);
                n++;
            }
        }
        rows += log(zr) - pr / n;
        cols += log(zc) - pc / n;
    }
    return symmetric ? 0.5 * (rows + cols) / B : rows / B;
}

/* dp_loss_eval's multipos against the reference and its central finite differences, over
 * groups with repeated members, with and without hard negatives, one-sided and symmetric. */
static void test_multipos(void **state)
{
    (void)state;
    const uint32_t groups[2][B] = {{7, 3, 7, 9, 3}, {0, 1, 2, 3, 4}};
    dp_loss_ws ws;
    assert_int_equal(dp_loss_ws_alloc(&ws, B), DOPPEL_OK);
    for (int variant = 0; variant < 8; variant++) {
        int with_neg = variant & 1, symmetric = (variant >> 1) & 1;
        const uint32_t *g = groups[variant >> 2];
        dp_loss_spec s;
        dp_loss_spec_default(&s, DP_LOSS_MULTIPOS);
        s.scale = 4.0f;
        s.symmetric = symmetric;
        dp_rng rng;
        dp_rng_seed(&rng, 40 + (uint64_t)variant);
        float x[3 * B * D], gr[3 * B * D], label[B] = {1, 1, 1, 1, 1};
        double xd[3 * B * D];
        random_unit(&rng, x, 3 * B);
        for (int k = 0; k < 3 * B * D; k++)
            xd[k] = (double)x[k];
        float L = dp_loss_eval(&s, &ws, x, x + B * D, with_neg ? x + 2 * B * D : NULL, label, g, B, D, gr,
                               gr + B * D, gr + 2 * B * D);
        double L0 = ref_multipos(xd, g, with_neg, 4.0, symmetric);
        assert_true(fabs(L0 - (double)L) <= 1e-5 * fmax(1.0, fabs(L0)));
        for (int k = 0; k < (with_neg ? 3 : 2) * B * D; k++) {
            double h = 1e-6, keep = xd[k];
            xd[k] = keep + h;
            double lp = ref_multipos(xd, g, with_neg, 4.0, symmetric);
            xd[k] = keep - h;
            double lm = ref_multipos(xd, g, with_neg, 4.0, symmetric);
            xd[k] = keep;
            double fd = (lp - lm) / (2 * h);
            if (fabs(fd - (double)gr[k]) > 1e-3 * fmax(1.0, fabs(fd)))
                fail_msg("multipos variant %d grad[%d] = %g, finite difference %g", variant, k, (double)gr[k], fd);
        }
        if (variant >= 4 && !with_neg) { /* distinct groups, no c: the in-batch loss itself */
            float work[2 * B * B];
            assert_float_equal(L, dp_inbatch_forward(work, x, x + B * D, B, D, 4.0f, symmetric), 1e-6);
            assert_float_equal(L, dp_multipos_forward(ws.f, x, x + B * D, NULL, NULL, B, D, 4.0f, symmetric), 0);
        }
    }
    dp_loss_ws_free(&ws);
    /* By hand, scale 1, u = v = I (D = 2). One group: each row's logits (1, 0), both
     * positive: log(e + 1) - 1/2 = 0.81326169. Two groups and c = I: logits (1, 0 | 1, 0),
     * log(2e + 2) - 1 = 1.00640888. */
    float work[16];
    const float I2[4] = {1, 0, 0, 1};
    const uint32_t one[2] = {5, 5}, two[2] = {5, 6};
    assert_float_equal(dp_multipos_forward(work, I2, I2, NULL, one, 2, 2, 1.0f, 0), 0.81326169f, 1e-6);
    assert_float_equal(dp_multipos_forward(work, I2, I2, NULL, one, 2, 2, 1.0f, 1), 0.81326169f, 1e-6);
    assert_float_equal(dp_multipos_forward(work, I2, I2, I2, two, 2, 2, 1.0f, 0), 1.00640888f, 1e-6);
    assert_int_equal(dp_loss_kind_parse("multipos"), DP_LOSS_MULTIPOS);
}

/* The apart term from its formula: w / N · Σ over rows of other groups of max(0, u_i·v_j - m)². */
static double ref_apart(const double *x, const uint32_t *g, double margin, double weight)
{
    const double *u = x, *v = x + B * D;
    double sum = 0;
    int n = 0;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < B; j++)
            if (g ? g[i] != g[j] : i != j) {
                double e = fmax(0, dot(u + i * D, v + j * D) - margin);
                sum += e * e;
                n++;
            }
    return n ? weight * sum / n : 0;
}

/* dp_loss_eval's inbatch and multipos with the apart term against the references and their
 * central finite differences (margins that leave some pairs above, some below), and by hand. */
static void test_apart(void **state)
{
    (void)state;
    const uint32_t groups[B] = {7, 3, 7, 9, 3};
    dp_loss_ws ws;
    assert_int_equal(dp_loss_ws_alloc(&ws, B), DOPPEL_OK);
    for (int variant = 0; variant < 6; variant++) {
        int multipos = variant & 1, with_neg = multipos && variant >= 4;
        const uint32_t *g = multipos ? groups : NULL;
        dp_loss_spec s;
        dp_loss_spec_default(&s, multipos ? DP_LOSS_MULTIPOS : DP_LOSS_INBATCH);
        s.scale = 4.0f;
        s.symmetric = variant >= 2;
        s.apart_margin = variant < 2 ? 0.1f : -0.2f;
        s.apart_weight = 3.0f;
        dp_rng rng;
        dp_rng_seed(&rng, 60 + (uint64_t)variant);
        float x[3 * B * D], gr[3 * B * D], label[B] = {1, 1, 1, 1, 1};
        double xd[3 * B * D];
        random_unit(&rng, x, 3 * B);
        for (int k = 0; k < 3 * B * D; k++)
            xd[k] = (double)x[k];
        float L = dp_loss_eval(&s, &ws, x, x + B * D, with_neg ? x + 2 * B * D : NULL, label, g, B, D, gr, gr + B * D,
                               gr + 2 * B * D);
        ref_ctx r = {&s, NULL, NULL, 0, 4.0};
        double a0 = ref_apart(xd, g, (double)s.apart_margin, 3.0);
        assert_true(a0 > 0.05); /* some pairs above the margin: the term is exercised */
        double L0 = (multipos ? ref_multipos(xd, g, with_neg, 4.0, s.symmetric) : ref_loss(&r, xd)) + a0;
        assert_true(fabs(L0 - (double)L) <= 1e-5 * fmax(1.0, fabs(L0)));
        for (int k = 0; k < (with_neg ? 3 : 2) * B * D; k++) {
            double h = 1e-6, keep = xd[k], lp, lm;
            xd[k] = keep + h;
            lp = (multipos ? ref_multipos(xd, g, with_neg, 4.0, s.symmetric) : ref_loss(&r, xd)) +
                 ref_apart(xd, g, (double)s.apart_margin, 3.0);
            xd[k] = keep - h;
            lm = (multipos ? ref_multipos(xd, g, with_neg, 4.0, s.symmetric) : ref_loss(&r, xd)) +
                 ref_apart(xd, g, (double)s.apart_margin, 3.0);
            xd[k] = keep;
            double fd = (lp - lm) / (2 * h);
            if (fabs(fd - (double)gr[k]) > 1e-3 * fmax(1.0, fabs(fd)))
                fail_msg("apart variant %d grad[%d] = %g, finite difference %g", variant, k, (double)gr[k], fd);
        }
    }
    dp_loss_ws_free(&ws);
    /* By hand, D = 2, u = v = ((1, 0), (0.6, 0.8)): the off-diagonal cosines are 0.6; margin
     * 0.2, weight 2: 2 · (0.4² + 0.4²) / 2 = 0.32. One group: no pair apart, 0. A margin
     * above every cosine: 0. */
    float work[8];
    const float uv[4] = {1, 0, 0.6f, 0.8f};
    const uint32_t one[2] = {5, 5};
    assert_float_equal(dp_apart_forward(work, uv, uv, NULL, 2, 2, 0.2f, 2.0f), 0.32f, 1e-6);
    assert_float_equal(dp_apart_forward(work, uv, uv, one, 2, 2, 0.2f, 2.0f), 0.0f, 0);
    assert_float_equal(dp_apart_forward(work, uv, uv, NULL, 2, 2, 0.7f, 2.0f), 0.0f, 0);
}

static void test_known_values(void **state)
{
    (void)state;
    /* contrastive, D = 2: u=(1,0), v=(0,1), distance √2; margin 2.
     * similar: D² = 2; dissimilar: (2 - √2)² = 0.3431457; mean 1.1715729 */
    const float u2[4] = {1, 0, 1, 0}, v2[4] = {0, 1, 0, 1}, lab[2] = {1, 0};
    assert_float_equal(dp_contrastive_forward(u2, v2, lab, 2, 2, 2.0f), 1.1715729f, 1e-6);
    /* triplet: a=(1,0), p=(0,1), n=(-1,0): ‖a-p‖² = 2, ‖a-n‖² = 4. */
    const float a[2] = {1, 0}, p[2] = {0, 1}, n[2] = {-1, 0};
    const int zero = 0;
    assert_float_equal(dp_triplet_forward(a, p, n, &zero, 1, 2, 0.5f), 0.0f, 0);
    assert_float_equal(dp_triplet_forward(a, p, n, &zero, 1, 2, 3.0f), 1.0f, 1e-6);
    /* in-batch, scale 1, u = v = I: each row log(e + 1) - 1 = log(1 + 1/e) = 0.31326169 */
    float work[8];
    const float I2[4] = {1, 0, 0, 1};
    assert_float_equal(dp_inbatch_forward(work, I2, I2, 2, 2, 1.0f, 0), 0.31326169f, 1e-6);
    assert_float_equal(dp_inbatch_forward(work, I2, I2, 2, 2, 1.0f, 1), 0.31326169f, 1e-6);
    /* CoSENT, λ 1: cos = (1, 0). Scores (5, 1) agree: log(1 + e^-1); reversed: log(1 + e);
     * tied: no ordered pair, log 1 = 0. */
    const float cu[4] = {1, 0, 1, 0}, cv[4] = {1, 0, 0, 1};
    const float s_ok[2] = {5, 1}, s_rev[2] = {1, 5}, s_tie[2] = {3, 3};
    float cos[2];
    assert_float_equal(dp_cosent_forward(cos, cu, cv, s_ok, 2, 2, 1.0f), 0.31326169f, 1e-6);
    assert_float_equal(dp_cosent_forward(cos, cu, cv, s_rev, 2, 2, 1.0f), 1.31326169f, 1e-6);
    assert_float_equal(dp_cosent_forward(cos, cu, cv, s_tie, 2, 2, 1.0f), 0.0f, 0);
    /* cosine MSE: cos (1, 0), targets (0.5, 0): ((0.5)² + 0) / 2 */
    const float t[2] = {0.5f, 0.0f};
    assert_float_equal(dp_cosmse_forward(cu, cv, t, 2, 2), 0.125f, 1e-7);
}

static void test_mining(void **state)
{
    (void)state;
    /* Squared distances from the anchors to the positives (margin 0.5):
     * a0=(1,0): p0 0.4 (own), p1 0.0, p2 0.8 -> hard 1, semi-hard 2 (0.4 < 0.8 < 0.9)
     * a1=(0,1): p1 2.0 (own), p0 0.8, p2 0.4 -> hard 2, no semi-hard in (2, 2.5): falls back to 2
     * a2=(-1,0): p2 3.2 (own), p0 3.6, p1 4.0 -> hard 0, semi-hard 0 (3.2 < 3.6 < 3.7) */
    const float a[6] = {1, 0, 0, 1, -1, 0};
    const float p[6] = {0.8f, 0.6f, 1, 0, 0.6f, 0.8f};
    int neg[3];
    dp_triplet_mine(neg, a, p, 3, 2, 0.5f, DP_MINE_HARD);
    assert_int_equal(neg[0], 1);
    assert_int_equal(neg[1], 2);
    assert_int_equal(neg[2], 0);
    dp_triplet_mine(neg, a, p, 3, 2, 0.5f, DP_MINE_SEMIHARD);
    assert_int_equal(neg[0], 2);
    assert_int_equal(neg[1], 2);
    assert_int_equal(neg[2], 0);
}

static void test_mix_pick(void **state)
{
    (void)state;
    dp_loss_mix mix = {.n = 3, .weight = {1.0f, 0.0f, 3.0f}};
    dp_rng rng;
    dp_rng_seed(&rng, 7);
    int count[3] = {0};
    for (int i = 0; i < 40000; i++)
        count[dp_loss_mix_pick(&mix, &rng)]++;
    assert_int_equal(count[1], 0);
    /* expected 10000 : 30000; 5 sigma of a binomial is ~430 */
    assert_true(abs(count[0] - 10000) < 500);
    assert_int_equal(dp_loss_kind_parse("cosent"), DP_LOSS_COSENT);
    assert_int_equal(dp_loss_kind_parse("nope"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_gradients),
        cmocka_unit_test(test_multipos),
        cmocka_unit_test(test_apart),
        cmocka_unit_test(test_mining),
        cmocka_unit_test(test_mix_pick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
