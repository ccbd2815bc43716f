#include "sweep/verbatim.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "doppel.h"

typedef struct run {
    size_t sa, ea, sb, eb; /* words [sa, ea) of a equal words [sb, eb) of b */
} run;

static int cmp_run(const void *x, const void *y)
{
    const run *a = x, *b = y;
    if (a->sa != b->sa)
        return a->sa < b->sa ? -1 : 1;
    return a->sb < b->sb ? -1 : a->sb > b->sb;
}

static bool same_diag_inside(const run *r, size_t pa, size_t pb)
{
    return pa >= r->sa && pa < r->ea && r->sa + pb == pa + r->sb;
}

int dp_verbatim_passages(const dp_words *a, const dp_words *b, const dp_fp_seed *seeds,
                         size_t n_seeds, const dp_verbatim_opts *opts, dp_passage **out,
                         size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t k = opts->k ? opts->k : 1;
    run *runs = malloc((n_seeds ? n_seeds : 1) * sizeof *runs);
    if (!runs)
        return DOPPEL_ERR_NOMEM;
    size_t nr = 0;
    for (size_t s = 0; s < n_seeds; s++) {
        size_t pa = seeds[s].a_pos, pb = seeds[s].b_pos;
        if (pa + k > a->n || pb + k > b->n ||
            memcmp(a->hash + pa, b->hash + pb, k * sizeof *a->hash) != 0)
            continue;
        /* Seeds come sorted by a_pos: a seed inside a run found before is on one of
         * the most recent runs of its diagonal. */
        bool covered = false;
        for (size_t r = nr; r-- > 0 && !covered;)
            covered = same_diag_inside(&runs[r], pa, pb);
        if (covered)
            continue;
        run r = {pa, pa + k, pb, pb + k};
        while (r.sa > 0 && r.sb > 0 && a->hash[r.sa - 1] == b->hash[r.sb - 1])
            r.sa--, r.sb--;
        while (r.ea < a->n && r.eb < b->n && a->hash[r.ea] == b->hash[r.eb])
            r.ea++, r.eb++;
        runs[nr++] = r;
    }
    qsort(runs, nr, sizeof *runs, cmp_run);
    dp_passage *ps = malloc((nr ? nr : 1) * sizeof *ps);
    if (!ps) {
        free(runs);
        return DOPPEL_ERR_NOMEM;
    }
    size_t np = 0;
    bool *used = calloc(nr ? nr : 1, sizeof *used);
    if (!used) {
        free(runs), free(ps);
        return DOPPEL_ERR_NOMEM;
    }
    /* Chain each unused run with the runs that follow it closely on both sides. */
    for (size_t i = 0; i < nr; i++) {
        if (used[i])
            continue;
        used[i] = true;
        run cur = runs[i];
        size_t matched = cur.ea - cur.sa, pieces = 1;
        for (size_t j = i + 1; j < nr && runs[j].sa <= cur.ea + opts->max_gap; j++) {
            const run *r = &runs[j];
            if (used[j] || r->sa < cur.ea || r->sb < cur.eb || r->sb > cur.eb + opts->max_gap)
                continue;
            used[j] = true;
            matched += r->ea - r->sa;
            pieces++;
            cur.ea = r->ea;
            cur.eb = r->eb;
        }
        if (matched < opts->min_words)
            continue;
        size_t la = cur.ea - cur.sa, lb = cur.eb - cur.sb;
        ps[np++] = (dp_passage){a->start[cur.sa], a->end[cur.ea - 1], b->start[cur.sb],
                                b->end[cur.eb - 1], (float)matched / (float)(la > lb ? la : lb),
                                pieces == 1 ? DP_PASSAGE_VERBATIM : DP_PASSAGE_EDITED};
    }
    free(used);
    free(runs);
    *out = ps;
    *n_out = np;
    return DOPPEL_OK;
}
