#include "sweep/passages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"

void dp_passage_opts_default(dp_passage_opts *o)
{
    o->sent_threshold = DP_PASSAGE_SENT_THRESHOLD;
    o->max_gap = 1;
    o->min_words = 8;
    o->verbatim_at = 0.90f;
    o->edited_at = 0.35f;
    o->run_words = 6;
    o->background_z = 3.0f;
    o->lone_at = 0.90f;
    o->extend_at = 0.60f;
    o->seed_run = 0;
}

void dp_pair_passages_free(dp_pair_passages *p)
{
    if (!p)
        return;
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* One candidate sentence pair with its two kinds of evidence. */
typedef struct evidence {
    uint32_t i, j;
    float sem;   /* cosine of the sentence vectors */
    float lex;   /* share of the shorter sentence's words in shared verbatim runs */
    float score; /* max(sem, lex) */
    uint32_t shared; /* words of the pair inside shared verbatim runs */
    uint32_t chain;  /* the passage it joins */
    uint32_t phrase; /* words of the pair inside shared runs of any length given (phrases) */
} evidence;

static int cmp_score_desc(const void *x, const void *y)
{
    const evidence *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->i != b->i) /* fixed tie order keeps the result deterministic */
        return a->i < b->i ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

static int cmp_ij(const void *x, const void *y)
{
    const evidence *a = x, *b = y;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

static int cmp_chain(const void *x, const void *y)
{
    const evidence *a = x, *b = y;
    if (a->chain != b->chain)
        return a->chain < b->chain ? -1 : 1;
    return cmp_ij(x, y);
}

static uint32_t dist(uint32_t x, uint32_t y) { return x > y ? x - y : y - x; }

/*
 * Groups matches (sorted by i, then j) into chains: a match joins the chain whose last
 * match is nearest in b, when it is at most 1 + max_gap sentences on from it on both
 * sides; otherwise it starts a chain. A stray match (a phrase shared with some other
 * sentence) so starts its own chain instead of cutting the passage it lies in.
 * Returns the number of chains, or 0 on no memory (with m > 0).
 */
static uint32_t assign_chains(evidence *ev, size_t m, uint32_t max_gap)
{
    uint32_t *last_i = malloc((m ? m : 1) * sizeof *last_i), *last_j = malloc((m ? m : 1) * sizeof *last_j);
    if (!last_i || !last_j) {
        free(last_i), free(last_j);
        return 0;
    }
    uint32_t n = 0;
    for (size_t k = 0; k < m; k++) {
        uint32_t best = UINT32_MAX;
        for (uint32_t c = n; c-- > 0;) {
            if (ev[k].i - last_i[c] > 1 + max_gap)
                continue;
            if (dist(ev[k].j, last_j[c]) <= 1 + max_gap &&
                (best == UINT32_MAX || dist(ev[k].j, last_j[c]) < dist(ev[k].j, last_j[best])))
                best = c;
        }
        if (best == UINT32_MAX)
            best = n++;
        ev[k].chain = best;
        last_i[best] = ev[k].i, last_j[best] = ev[k].j;
    }
    free(last_i), free(last_j);
    return n;
}

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t max_u32(uint32_t a, uint32_t b) { return a > b ? a : b; }

/* The sentences a chain spans on each side, [i0, i1] x [j0, j1]. */
typedef struct rect {
    uint32_t i0, i1, j0, j1;
    int firm; /* more than a phrase: a match sharing edited_at of its words, or at the sentence threshold */
} rect;

/* The sentences a chain spans on its longer side, less one. */
static uint32_t longer(const rect *r) { return max_u32(r->i1 - r->i0, r->j1 - r->j0); }

/* Sentences between two spans (0 when they touch or overlap). */
static uint32_t span_gap(uint32_t lo0, uint32_t hi0, uint32_t lo1, uint32_t hi1)
{
    uint32_t lo = max_u32(lo0, lo1), hi = min_u32(hi0, hi1);
    return lo > hi ? lo - hi - 1 : 0;
}

/* Sentences a span covers on side i (0) or j (1). */
static uint32_t side(const rect *r, int j) { return j ? r->j1 - r->j0 + 1 : r->i1 - r->i0 + 1; }

/*
 * Whether a gap of gi x gj sentences between two pieces is what condensing leaves: the
 * side with the shorter gap within reach, the longer gap at most rho (gap_short + 2),
 * rho the larger ratio of the pieces' spans (longer-gap side over the other, at least 1):
 * each sentence of the condensed side in the gap, and each of the two sentences bounding
 * it, may stand for rho sentences of the other side that nothing matched (a summary
 * sentence built from the first and last of several).
 */
static int condensed_gap(const rect *c, const rect *d, uint32_t gi, uint32_t gj, uint32_t reach)
{
    int long_j = gj > gi;
    uint32_t g_short = long_j ? gi : gj, g_long = long_j ? gj : gi;
    if (g_short > reach)
        return 0;
    double rho = 1.0;
    for (int k = 0; k < 2; k++) {
        const rect *x = k ? d : c;
        double q = (double)side(x, long_j) / side(x, !long_j);
        rho = q > rho ? q : rho;
    }
    return g_long <= rho * (g_short + 2);
}

/*
 * Whether two pieces follow each other in order on the other side than `side` (0: i, 1: j)
 * while on `side` they meet at most at one sentence: the earlier piece's last there is the
 * later's first (or before it), and the two span more than that one sentence (several
 * sentences matched to one repeated sentence are no passage).
 */
static int in_order(const rect *c, const rect *d, int side)
{
    if (side ? max_u32(c->j1, d->j1) == min_u32(c->j0, d->j0) : max_u32(c->i1, d->i1) == min_u32(c->i0, d->i0))
        return 0;
    const rect *x = c, *y = d;
    if (side ? c->i0 > d->i1 : c->j0 > d->j1)
        x = d, y = c;
    else if (side ? c->i1 >= d->i0 : c->j1 >= d->j0)
        return 0; /* overlapping on the other side */
    return side ? x->j1 <= y->j0 : x->i1 <= y->i0;
}

/* Whether x adds nothing to y on side (0: i, 1: j): 1, or 2 when it is a firm continuation
 * of y in order there. */
static int inside(const rect *x, const rect *y, int side)
{
    if (side ? x->j0 < y->j0 || y->j1 < x->j1 : x->i0 < y->i0 || y->i1 < x->i1)
        return 0;
    return x->firm && in_order(x, y, side) ? 2 : 1;
}

/* Whether sentence i of a and sentence j of b share a phrase (phr[n] sorted by i, then j). */
static int phrase_at(const evidence *phr, size_t n, uint32_t i, uint32_t j)
{
    evidence key = {.i = i, .j = j};
    return bsearch(&key, phr, n, sizeof *phr, cmp_ij) != NULL;
}

/*
 * The gap on side g (0: i, 1: j) between two pieces that touch in order on the other side,
 * less what their bounding sentences there share a phrase with: a condensed sentence keeps
 * words of the first and the last of the sentences it stands for, and is matched to one of
 * them, so its phrase partner up to 1 + max_gap sentences beyond its piece is its own too.
 */
static uint32_t bridged_gap(const rect *c, const rect *d, int g, uint32_t gap, const evidence *phr, size_t n_phr,
                            uint32_t max_gap)
{
    const rect *x = c, *y = d;
    if (!gap || !in_order(c, d, !g))
        return gap;
    if (g ? c->j0 > d->j1 : c->i0 > d->i1)
        x = d, y = c;
    uint32_t lo = g ? x->j1 : x->i1, hi = g ? y->j0 : y->i0; /* the gap is lo+1 .. hi-1 */
    uint32_t x_end = g ? x->i1 : x->j1, y_start = g ? y->i0 : y->j0; /* bounding sentences */
    for (uint32_t k = lo + 1, last = lo + 1 + max_gap; k < hi && k <= last; k++)
        if (g ? phrase_at(phr, n_phr, x_end, k) : phrase_at(phr, n_phr, k, x_end))
            lo = k;
    for (uint32_t k = hi - 1, first = hi > 1 + max_gap ? hi - 1 - max_gap : 0; k > lo && k >= first; k--)
        if (g ? phrase_at(phr, n_phr, y_start, k) : phrase_at(phr, n_phr, k, y_start))
            hi = k;
    return hi - lo - 1;
}

/*
 * Chains whose spans are near on BOTH sides are one passage: a reordered, summarised or
 * split-and-merged passage gives several chains over the same block of sentences. Two
 * merge while the gaps between them, on each side, stay within max_gap sentences or half
 * the two pieces' spans (each on its longer side), or 1 + 2 max_gap when they touch on
 * the other side, or when the gap is what condensing leaves (condensed_gap): a long passage
 * bridges a longer unmatched stretch than a short one, a summary's consecutive sentences
 * skip source sentences, and two passages copied from neighbouring places into distant
 * ones stay two. ev[m] sorted by chain, with n chains;
 * renumbers ev[].chain to the merged passages (numbered by their first chain).
 */
static int merge_chains(evidence *ev, size_t m, uint32_t n, const evidence *phr, size_t n_phr,
                        const dp_passage_opts *o)
{
    uint32_t max_gap = o->max_gap;
    rect *r = malloc((n ? n : 1) * sizeof *r);
    uint32_t *root = malloc((n ? n : 1) * sizeof *root);
    if (!r || !root) {
        free(r), free(root);
        return DOPPEL_ERR_NOMEM;
    }
    for (uint32_t c = 0; c < n; c++)
        r[c] = (rect){UINT32_MAX, 0, UINT32_MAX, 0, 0}, root[c] = c;
    for (size_t k = 0; k < m; k++) {
        rect *x = &r[ev[k].chain];
        x->i0 = min_u32(x->i0, ev[k].i), x->i1 = max_u32(x->i1, ev[k].i);
        x->j0 = min_u32(x->j0, ev[k].j), x->j1 = max_u32(x->j1, ev[k].j);
        x->firm |= ev[k].lex >= o->edited_at || ev[k].sem >= o->sent_threshold;
    }
    for (int merged = 1; merged;) {
        merged = 0;
        for (uint32_t c = 0; c < n; c++) {
            if (root[c] != c)
                continue;
            for (uint32_t d = c + 1; d < n; d++) {
                if (root[d] != d)
                    continue;
                rect u = {min_u32(r[c].i0, r[d].i0), max_u32(r[c].i1, r[d].i1), min_u32(r[c].j0, r[d].j0),
                          max_u32(r[c].j1, r[d].j1), r[c].firm || r[d].firm};
                uint32_t reach = max_u32(max_gap, (longer(&r[c]) + longer(&r[d]) + 2) / 3);
                uint32_t gi = span_gap(r[c].i0, r[c].i1, r[d].i0, r[d].i1);
                uint32_t gj = span_gap(r[c].j0, r[c].j1, r[d].j0, r[d].j1);
                /* touching on one side, the other may skip more: a condensed passage's
                 * consecutive sentences each cover several, not all of them matched */
                if (gi == 0 || gj == 0)
                    reach = max_u32(reach, 1 + 2 * max_gap);
                /* a chain adding nothing on one side (a phrase its sentences share with some
                 * other sentence) only joins what it touches on the other, unless it is firm
                 * and continues the other in order across what condensing leaves (a condensed
                 * sentence matched to the first and the last of several) */
                int in_i = inside(&r[c], &r[d], 0) | inside(&r[d], &r[c], 0);
                int in_j = inside(&r[c], &r[d], 1) | inside(&r[d], &r[c], 1);
                uint32_t bi = gj ? gi : bridged_gap(&r[c], &r[d], 0, gi, phr, n_phr, max_gap);
                uint32_t bj = gi ? gj : bridged_gap(&r[c], &r[d], 1, gj, phr, n_phr, max_gap);
                if (((in_i & 1) && gj > 0) || ((in_j & 1) && gi > 0) ||
                    ((bi > reach || bj > reach || (in_i && bj > 0) || (in_j && bi > 0)) &&
                     !condensed_gap(&r[c], &r[d], bi, bj, reach)))
                    continue;
                r[c] = u, root[d] = c, merged = 1;
            }
        }
    }
    for (size_t k = 0; k < m; k++) {
        uint32_t c = ev[k].chain;
        while (root[c] != c)
            c = root[c];
        ev[k].chain = c;
    }
    free(r), free(root);
    return DOPPEL_OK;
}

/* Word counts shared by sentence pairs through verbatim runs of at least min_len words, as
 * (i, j, count) triples sorted and summed. Returns the number of distinct pairs, or SIZE_MAX
 * on no memory. */
static size_t lexical_counts(const dp_run *runs, size_t n_runs, uint32_t min_len, const uint32_t *a_tok_sent,
                             size_t n_a_tok, const uint32_t *b_tok_sent, size_t n_b_tok, evidence **out)
{
    size_t total = 0;
    for (size_t r = 0; r < n_runs; r++)
        total += runs[r].len;
    evidence *e = malloc((total ? total : 1) * sizeof *e);
    if (!e)
        return SIZE_MAX;
    size_t n = 0;
    for (size_t r = 0; r < n_runs; r++)
        for (uint32_t k = 0; runs[r].len >= min_len && k < runs[r].len; k++) {
            size_t ta = (size_t)runs[r].a_tok + k, tb = (size_t)runs[r].b_tok + k;
            if (ta >= n_a_tok || tb >= n_b_tok)
                break;
            e[n++] = (evidence){a_tok_sent[ta], b_tok_sent[tb], 0, 1.0f, 0, 0, 0, 0};
        }
    /* sort by (i, j), then sum runs of equal pairs into lex (as a count for now) */
    qsort(e, n, sizeof *e, cmp_score_desc); /* scores are equal: orders by i, then j */
    size_t u = 0;
    for (size_t k = 0; k < n; k++) {
        if (u && e[u - 1].i == e[k].i && e[u - 1].j == e[k].j)
            e[u - 1].lex += 1.0f;
        else
            e[u++] = e[k];
    }
    *out = e;
    return u;
}

static int push_passage(dp_pair_passages *out, dp_passage p)
{
    if (DP_GROW(out->v, out->cap, out->n + 1, 8))
        return DOPPEL_ERR_NOMEM;
    out->v[out->n++] = p;
    return DOPPEL_OK;
}

/* Closes the chain matches[first..last] into a passage, if it is long enough. */
static int emit_chain(const evidence *m, size_t first, size_t last, const dp_sent_info *a, const dp_sent_info *b,
                      uint8_t *seen_a, uint8_t *seen_b, const dp_passage_opts *o, dp_pair_passages *out,
                      double *a_cov, double *b_cov)
{
    dp_passage p = {UINT64_MAX, 0, UINT64_MAX, 0, 0, 0};
    double wa = 0, wb = 0, wsum = 0, score = 0, lex = 0;
    for (size_t k = first; k <= last; k++) {
        const dp_sent_info *sa = &a[m[k].i], *sb = &b[m[k].j];
        if (sa->start < p.a_start) p.a_start = sa->start;
        if (sa->end > p.a_end) p.a_end = sa->end;
        if (sb->start < p.b_start) p.b_start = sb->start;
        if (sb->end > p.b_end) p.b_end = sb->end;
        /* a sentence matched twice (split/merge) covers its words once */
        double w = (seen_a[m[k].i] ? 0.0 : (double)sa->words) + (seen_b[m[k].j] ? 0.0 : (double)sb->words);
        if (!seen_a[m[k].i])
            wa += sa->words;
        if (!seen_b[m[k].j])
            wb += sb->words;
        seen_a[m[k].i] = seen_b[m[k].j] = 1;
        wsum += w;
        score += w * m[k].score;
        lex += w * m[k].lex;
    }
    if (wsum <= 0 || (wa < wb ? wa : wb) < o->min_words)
        return DOPPEL_OK;
    score /= wsum, lex /= wsum;
    p.score = (float)(score > 1.0 ? 1.0 : score);
    p.kind = lex >= o->verbatim_at ? DP_PASSAGE_VERBATIM : lex >= o->edited_at ? DP_PASSAGE_EDITED
                                                                               : DP_PASSAGE_PARAPHRASE;
    *a_cov += wa * p.score;
    *b_cov += wb * p.score;
    return push_passage(out, p);
}

/* Evidence by meaning alone: no verbatim run of run_words, little word overlap. */
static int meaning_only(const evidence *e, const dp_passage_opts *o)
{
    return !(o->run_words && e->shared >= o->run_words) && e->lex < o->edited_at;
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

/* The median of v[n] (sorted here). */
static float median(float *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_float);
    return n % 2 ? v[n / 2] : 0.5f * (v[n / 2 - 1] + v[n / 2]);
}

#define BACKGROUND_SAMPLE 1024

/*
 * *floor = median + z * 1.4826 MAD of the pair's sentence cosines (over at most
 * BACKGROUND_SAMPLE of them, evenly strided): robust, so that a pair mostly made of copied
 * sentences keeps a background of its other sentences, where a mean and standard deviation
 * would be pulled up by the copies themselves.
 */
static int background_floor(const dp_sent_info *a, size_t na, const dp_sent_info *b, size_t nb, const float *sims,
                            float z, float *floor)
{
    size_t total = na * nb, step = total > BACKGROUND_SAMPLE ? total / BACKGROUND_SAMPLE : 1, n = 0;
    float *v = malloc(BACKGROUND_SAMPLE * sizeof *v);
    if (!v)
        return DOPPEL_ERR_NOMEM;
    for (size_t c = 0; c < total && n < BACKGROUND_SAMPLE; c += step)
        if (!a[c / nb].excluded && !b[c % nb].excluded)
            v[n++] = sims[c];
    *floor = -1.0f;
    if (n) {
        float med = median(v, n);
        for (size_t k = 0; k < n; k++)
            v[k] = fabsf(v[k] - med);
        *floor = med + z * 1.4826f * median(v, n);
    }
    free(v);
    return DOPPEL_OK;
}

/* Whether no sentence pair of row i or column j has a cosine above s: i and j are each
 * other's best partners at s. */
static int best_partners(const float *sims, size_t na, size_t nb, uint32_t i, uint32_t j, float s)
{
    for (size_t t = 0; t < nb; t++)
        if (sims[i * nb + t] > s)
            return 0;
    for (size_t t = 0; t < na; t++)
        if (sims[t * nb + j] > s)
            return 0;
    return 1;
}

/*
 * Keeps of the matches ev[m] those whose meaning is specific: evidence by meaning alone
 * counts only when it stands out from the two documents' background (cosine at least
 * background_z robust standard deviations above the median sentence cosine of the pair:
 * documents on one topic have many moderately similar sentences) and is supported by a neighbour
 * (another match, of other sentences on both sides, within 1 + max_gap sentences), or is
 * strong on its own (lone_at, and each sentence's best partner). A lone mid-cosine
 * sentence between unrelated documents is so never a passage. Returns the matches kept and
 * sets *floor_out to the background floor (unchanged on no memory).
 */
static size_t specific_only(evidence *ev, size_t m, const dp_sent_info *a, size_t na, const dp_sent_info *b,
                            size_t nb, const float *sims, const dp_passage_opts *o, float *floor_out)
{
    float floor;
    uint8_t *keep = malloc(m ? m : 1);
    if (!keep || background_floor(a, na, b, nb, sims, o->background_z, &floor)) {
        free(keep);
        return m; /* no memory for the check: the matches stand (never worse than before it) */
    }
    for (size_t k = 0; k < m; k++) {
        keep[k] = 1;
        if (!meaning_only(&ev[k], o))
            continue;
        int supported = 0;
        for (size_t l = 0; l < m && !supported; l++)
            supported = ev[l].i != ev[k].i && ev[l].j != ev[k].j && dist(ev[l].i, ev[k].i) <= 1 + o->max_gap &&
                        dist(ev[l].j, ev[k].j) <= 1 + o->max_gap;
        int best = best_partners(sims, na, nb, ev[k].i, ev[k].j, ev[k].sem);
        keep[k] = ev[k].sem >= floor && (supported || (best && ev[k].sem >= o->lone_at));
    }
    size_t u = 0;
    for (size_t k = 0; k < m; k++)
        if (keep[k])
            ev[u++] = ev[k];
    free(keep);
    *floor_out = floor;
    return u;
}

/*
 * The best window of 2 or 3 consecutive sentences of one document for sentence x of the
 * other, when it beats x's best single partner: the cosine of x with the window's
 * normalised vector sum, sum_t s(x, w_t) / |sum_t w_t|, where |sum_t w_t|^2 = w +
 * 2 sum_{t<t'} cos(w_t, w_t'). sim(k) gives s(x, sentence k) of the n sentences, near
 * their neighbour cosines. Returns the window's score (0: none better), first sentence
 * and length.
 */
static float best_window(const float *sims, size_t stride, size_t n, const float *near, float single,
                         uint32_t *first, uint32_t *len)
{
    float best = 0.0f;
    for (size_t k = 0; k + 1 < n; k++)
        for (uint32_t w = 2; w <= 3 && k + w <= n; w++) {
            double dot = 0, norm2 = w;
            for (uint32_t t = 0; t < w; t++)
                dot += sims[(k + t) * stride];
            norm2 += 2.0 * near[2 * k];
            if (w == 3)
                norm2 += 2.0 * (near[2 * k + 1] + near[2 * (k + 1)]);
            float s = norm2 > 1e-6 ? (float)(dot / sqrt(norm2)) : 0.0f;
            if (s > best && s > single)
                best = s, *first = (uint32_t)k, *len = w;
        }
    return best;
}

/* Which sentences are matched, and to which span of the other document's sentences. */
typedef struct matcher {
    uint8_t *used_a, *used_b;
    uint32_t *lo_a, *hi_a, *lo_b, *hi_b;
} matcher;

static void record(matcher *mt, const evidence *e)
{
    if (!mt->used_a[e->i])
        mt->lo_a[e->i] = mt->hi_a[e->i] = e->j;
    if (!mt->used_b[e->j])
        mt->lo_b[e->j] = mt->hi_b[e->j] = e->i;
    mt->lo_a[e->i] = min_u32(mt->lo_a[e->i], e->j), mt->hi_a[e->i] = max_u32(mt->hi_a[e->i], e->j);
    mt->lo_b[e->j] = min_u32(mt->lo_b[e->j], e->i), mt->hi_b[e->j] = max_u32(mt->hi_b[e->j], e->i);
    mt->used_a[e->i] = mt->used_b[e->j] = 1;
}

/*
 * Matches e unless it conflicts: a shared verbatim run (lexical) always counts, even when a
 * sentence was split or merged and so pairs with two; other evidence counts for sentences
 * nothing else claimed, or one-to-many where the new partner extends the run of consecutive
 * sentences a sentence already matched (a sentence split in three, several condensed into
 * one). Returns whether it matched.
 */
static int take(matcher *mt, const evidence *e, int lexical)
{
    if (!lexical && ((mt->used_a[e->i] && mt->used_b[e->j]) ||
                     (mt->used_a[e->i] && e->j + 1 != mt->lo_a[e->i] && e->j != mt->hi_a[e->i] + 1) ||
                     (mt->used_b[e->j] && e->i + 1 != mt->lo_b[e->j] && e->i != mt->hi_b[e->j] + 1)))
        return 0;
    record(mt, e);
    return 1;
}

/* Distance from x to the span [lo, hi]. */
static uint32_t to_span(uint32_t x, uint32_t lo, uint32_t hi) { return x < lo ? lo - x : x > hi ? x - hi : 0; }

/* Whether (i, j) is next to a match: one sentence on in one document, within 1 + max_gap
 * in the other (of the span of partners a matched sentence has). */
static int beside(const matcher *mt, const evidence *e, size_t na, size_t nb, uint32_t max_gap)
{
    for (uint32_t i = e->i ? e->i - 1 : 0; i <= e->i + 1 && i < na; i++)
        if (mt->used_a[i] && to_span(e->j, mt->lo_a[i], mt->hi_a[i]) <= 1 + max_gap)
            return 1;
    for (uint32_t j = e->j ? e->j - 1 : 0; j <= e->j + 1 && j < nb; j++)
        if (mt->used_b[j] && to_span(e->i, mt->lo_b[j], mt->hi_b[j]) <= 1 + max_gap)
            return 1;
    return 0;
}

/*
 * Seed and extend: evidence below the sentence threshold but at or above extend_at counts
 * when it lies beside a match, shares a phrase (a verbatim run of any length given), stands above the pair's
 * background floor and pairs each other's best partners; repeatedly, so a passage grows over
 * the sentences a summary or a rewording changed too much to stand on their own, while such
 * sentences never start a passage. (Meaning alone beside a passage is not enough: on the
 * development set it extended passages into same-topic neighbours as often as over the
 * passage's own sentences.) ev[n] sorted by score, taken[] marking those already matched;
 * appends to match[m]. Returns the new count.
 */
static size_t extend(const evidence *ev, size_t n, uint8_t *taken, const dp_sent_info *a, size_t na,
                     const dp_sent_info *b, size_t nb, const float *sims, float floor, const dp_passage_opts *o, matcher *mt,
                     evidence *match, size_t m)
{
    for (int grown = m > 0; grown;) {
        grown = 0;
        for (size_t k = 0; k < n && ev[k].score >= o->extend_at; k++) {
            if (taken[k] || a[ev[k].i].excluded || b[ev[k].j].excluded || ev[k].score < floor || !ev[k].phrase ||
                (sims && !best_partners(sims, na, nb, ev[k].i, ev[k].j, ev[k].score)) ||
                !beside(mt, &ev[k], na, nb, o->max_gap) || !take(mt, &ev[k], 0))
                continue;
            match[m++] = ev[k], taken[k] = 1, grown = 1;
        }
    }
    return m;
}

int dp_align_pair(const dp_sent_info *a, size_t na, const dp_sent_info *b, size_t nb, const float *sims,
                  const float *a_near, const float *b_near,
                  const dp_run *runs, size_t n_runs, const uint32_t *a_tok_sent, size_t n_a_tok,
                  const uint32_t *b_tok_sent, size_t n_b_tok, const dp_passage_opts *o, dp_pair_passages *out)
{
    memset(out, 0, sizeof *out);
    evidence *lexe = NULL, *phr = NULL;
    size_t n_lex = lexical_counts(runs, n_runs, o->seed_run, a_tok_sent, n_a_tok, b_tok_sent, n_b_tok, &lexe);
    size_t n_phr = n_lex == SIZE_MAX ? SIZE_MAX : lexical_counts(runs, n_runs, 0, a_tok_sent, n_a_tok, b_tok_sent,
                                                                 n_b_tok, &phr);
    if (n_phr == SIZE_MAX) {
        free(lexe);
        return DOPPEL_ERR_NOMEM;
    }
    for (size_t k = 0; k < n_lex; k++) {
        uint32_t shorter = min_u32(a[lexe[k].i].words, b[lexe[k].j].words);
        lexe[k].shared = (uint32_t)lexe[k].lex;
        lexe[k].lex = shorter ? (lexe[k].lex >= shorter ? 1.0f : lexe[k].lex / (float)shorter) : 0.0f;
    }

    /* Candidate pairs: every lexical pair, plus each sentence's best semantic partner
     * on either side (a sentence split in two still finds both halves). */
    size_t cap = n_lex + (sims ? 4 * (na + nb) : 0);
    evidence *ev = malloc((cap ? cap : 1) * sizeof *ev);
    uint8_t *used_a = calloc(na ? na : 1, 1), *used_b = calloc(nb ? nb : 1, 1);
    if (!ev || !used_a || !used_b) {
        free(lexe), free(phr), free(ev), free(used_a), free(used_b);
        return DOPPEL_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t k = 0; k < n_lex; k++) {
        evidence e = lexe[k];
        e.sem = sims ? sims[(size_t)e.i * nb + e.j] : 0.0f;
        ev[n++] = e;
    }
    if (sims) {
        for (size_t i = 0; i < na; i++) {
            size_t best = 0;
            for (size_t j = 1; j < nb; j++)
                if (sims[i * nb + j] > sims[i * nb + best])
                    best = j;
            if (nb)
                ev[n++] = (evidence){(uint32_t)i, (uint32_t)best, sims[i * nb + best], 0, 0, 0, 0, 0};
        }
        for (size_t j = 0; j < nb; j++) {
            size_t best = 0;
            for (size_t i = 1; i < na; i++)
                if (sims[i * nb + j] > sims[best * nb + j])
                    best = i;
            if (na)
                ev[n++] = (evidence){(uint32_t)best, (uint32_t)j, sims[best * nb + j], 0, 0, 0, 0, 0};
        }
        /* windows: each sentence of the window pairs with x, all with the window's score */
        uint32_t first = 0, len = 0;
        for (size_t i = 0; b_near && i < na; i++) {
            float single = 0.0f;
            for (size_t j = 0; j < nb; j++)
                single = fmaxf(single, sims[i * nb + j]);
            float s = best_window(sims + i * nb, 1, nb, b_near, single, &first, &len);
            for (uint32_t t = 0; s > 0.0f && t < len; t++)
                ev[n++] = (evidence){(uint32_t)i, first + t, s, 0, 0, 0, 0, 0};
        }
        for (size_t j = 0; a_near && j < nb; j++) {
            float single = 0.0f;
            for (size_t i = 0; i < na; i++)
                single = fmaxf(single, sims[i * nb + j]);
            float s = best_window(sims + j, nb, na, a_near, single, &first, &len);
            for (uint32_t t = 0; s > 0.0f && t < len; t++)
                ev[n++] = (evidence){first + t, (uint32_t)j, s, 0, 0, 0, 0, 0};
        }
    }
    for (size_t k = 0; k < n; k++) {
        /* a semantic duplicate of a lexical pair carries its overlap too */
        for (size_t l = 0; l < n_lex && ev[k].lex == 0.0f; l++)
            if (lexe[l].i == ev[k].i && lexe[l].j == ev[k].j)
                ev[k].lex = lexe[l].lex, ev[k].shared = lexe[l].shared;
        ev[k].score = ev[k].sem > ev[k].lex ? ev[k].sem : ev[k].lex;
        const evidence *p = bsearch(&ev[k], phr, n_phr, sizeof *phr, cmp_ij);
        ev[k].phrase = p ? (uint32_t)p->lex : 0;
    }
    free(lexe);

    /* Matching, strongest evidence first, then weaker evidence next to what matched. */
    qsort(ev, n, sizeof *ev, cmp_score_desc);
    matcher mt = {used_a, used_b, NULL, NULL, NULL, NULL};
    mt.lo_a = malloc((na ? na : 1) * sizeof *mt.lo_a), mt.hi_a = malloc((na ? na : 1) * sizeof *mt.hi_a);
    mt.lo_b = malloc((nb ? nb : 1) * sizeof *mt.lo_b), mt.hi_b = malloc((nb ? nb : 1) * sizeof *mt.hi_b);
    evidence *match = malloc((n ? n : 1) * sizeof *match);
    uint8_t *taken = calloc(n ? n : 1, 1);
    if (!mt.lo_a || !mt.hi_a || !mt.lo_b || !mt.hi_b || !match || !taken) {
        free(ev), free(used_a), free(used_b), free(match), free(taken), free(phr);
        free(mt.lo_a), free(mt.hi_a), free(mt.lo_b), free(mt.hi_b);
        return DOPPEL_ERR_NOMEM;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (a[ev[k].i].excluded || b[ev[k].j].excluded)
            continue;
        int lexical = o->run_words && ev[k].shared >= o->run_words;
        if ((lexical || ev[k].score >= o->sent_threshold) && take(&mt, &ev[k], lexical))
            match[m++] = ev[k], taken[k] = 1;
    }
    float floor = -1.0f;
    if (sims)
        m = specific_only(match, m, a, na, b, nb, sims, o, &floor);
    memset(used_a, 0, na ? na : 1), memset(used_b, 0, nb ? nb : 1);
    for (size_t k = 0; k < m; k++) /* what the check kept, and only that, is matched */
        record(&mt, &match[k]);
    m = extend(ev, n, taken, a, na, b, nb, sims, floor, o, &mt, match, m);
    free(mt.lo_a), free(mt.hi_a), free(mt.lo_b), free(mt.hi_b), free(taken), free(ev);
    ev = match;

    /* Chain matches into passages, then emit each chain in turn. */
    qsort(ev, m, sizeof *ev, cmp_ij);
    uint32_t n_chains = m ? assign_chains(ev, m, o->max_gap) : 0;
    int rc = m && !n_chains ? DOPPEL_ERR_NOMEM : DOPPEL_OK;
    if (!rc)
        rc = merge_chains(ev, m, n_chains, phr, n_phr, o);
    qsort(ev, m, sizeof *ev, cmp_chain);
    memset(used_a, 0, na ? na : 1), memset(used_b, 0, nb ? nb : 1); /* now: counted in a passage */
    double a_cov = 0, b_cov = 0;
    size_t first = 0;
    for (size_t k = 1; k <= m && rc == DOPPEL_OK; k++)
        if (k == m || ev[k].chain != ev[first].chain) {
            rc = emit_chain(ev, first, k - 1, a, b, used_a, used_b, o, out, &a_cov, &b_cov);
            first = k;
        }
    free(ev), free(used_a), free(used_b), free(phr);
    if (rc) {
        dp_pair_passages_free(out);
        return rc;
    }
    double words_a = 0, words_b = 0;
    for (size_t i = 0; i < na; i++)
        words_a += a[i].excluded && !a[i].common ? 0 : a[i].words;
    for (size_t j = 0; j < nb; j++)
        words_b += b[j].excluded && !b[j].common ? 0 : b[j].words;
    out->a_coverage = words_a > 0 ? (float)(a_cov / words_a) : 0.0f;
    out->b_coverage = words_b > 0 ? (float)(b_cov / words_b) : 0.0f;
    if (out->a_coverage > 1.0f) out->a_coverage = 1.0f;
    if (out->b_coverage > 1.0f) out->b_coverage = 1.0f;
    out->score = out->a_coverage > out->b_coverage ? out->a_coverage : out->b_coverage;
    return DOPPEL_OK;
}
