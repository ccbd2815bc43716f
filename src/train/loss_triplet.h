/*
 * Triplet loss (Schroff et al., FaceNet 2015) on unit vectors:
 *   L_i = max(‖a_i - p_i‖² - ‖a_i - n_i‖² + m, 0),  mean over the batch.
 * Negatives are rows of a candidate matrix picked by index, so explicit triplets
 * (cand = the negatives, neg[i] = i) and negatives mined inside the batch
 * (cand = the positives, neg = dp_triplet_mine) share one code path.
 */
#ifndef DP_TRAIN_LOSS_TRIPLET_H
#define DP_TRAIN_LOSS_TRIPLET_H

typedef enum {
    DP_MINE_HARD = 1,     /* the closest other positive to the anchor */
    DP_MINE_SEMIHARD = 2, /* the closest one farther than the positive but inside the margin */
} dp_mining;

/*
 * For each anchor i picks neg[i] = j != i among the candidates cand[j] (the batch's
 * positives, [B][D]) by squared distance to a[i]. Semi-hard mining wants
 * d(a,p) < d(a,n) < d(a,p) + m and falls back to the hardest negative when no candidate
 * qualifies (FaceNet's rule). Ties go to the lowest index. B >= 2.
 */
void dp_triplet_mine(int *neg, const float *a, const float *p, int B, int D, float margin, dp_mining mode);

/* a, p: [B][D]; cand: [N][D]; neg: [B] indices into cand. Returns the mean loss. */
float dp_triplet_forward(const float *a, const float *p, const float *cand, const int *neg, int B, int D,
                         float margin);

/*
 * da, dp_: [B][D]; dcand: [N][D]. All three are zeroed first, then gradients are
 * accumulated, so dcand may be the same array as dp_ when cand is p.
 */
void dp_triplet_backward(float *da, float *dp_, float *dcand, int N, const float *a, const float *p,
                         const float *cand, const int *neg, int B, int D, float margin);

#endif
