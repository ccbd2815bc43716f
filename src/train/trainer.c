#include "train/trainer.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diag.h"
#include "model/encoder.h"
#include "model/net.h"
#include "train/checkpoint.h"
#include "train/evaluate.h"
#include "train/featset.h"
#include "train/sampler.h"

/* One half of a step's sequences, with everything it needs to run on its own thread. */
typedef struct shard {
    const dp_model *m;
    dp_net_ws *ws;
    dp_batch_buf bb;
    float *out, *dout;     /* views into the trainer's [N][D] arrays */
    float *gblock;         /* gradient block, zero outside what the last step touched */
    dp_model_params grad;  /* views into gblock */
    uint32_t *touched;     /* copy of the rows backward wrote */
    size_t n_touched, cap_touched;
    int backward;          /* phase to run */
    int rc;
} shard;

struct dp_trainer {
    dp_model *m;
    const dp_dataset *ds, *dev;
    dp_loss_mix mix;
    dp_train_config cfg;
    dp_featset fs[DP_DATA_MAX_SOURCES];  /* ids of each source's texts */
    uint64_t fs_pass[DP_DATA_MAX_SOURCES]; /* the pass of the prose copies in fs */
    int mined[DP_DATA_MAX_SOURCES];      /* the loss mines negatives in the batch */
    dp_sampler sampler;
    dp_adamw opt;
    dp_loss_ws lws;
    shard sh[2];
    size_t *pick;          /* [B] pairs of the step */
    size_t *text;          /* [3B] texts of the step */
    float *label;          /* [B] */
    uint32_t *group;       /* [B] paraphrase groups (groups format) */
    float *out, *dout;     /* [3B][D] */
    uint32_t *rows;        /* union of the shards' touched rows, ascending */
    size_t n_rows, cap_rows;
    uint64_t step;
    uint64_t hard;         /* hard batches since the last report */
    uint64_t saved_steps;  /* --steps of the run a resumed checkpoint came from */
};

void dp_train_config_default(dp_train_config *c, uint64_t steps)
{
    memset(c, 0, sizeof *c);
    c->batch = 64;
    c->steps = steps;
    c->lr = (dp_lr_schedule){2e-3f, steps / 20, steps, DP_DECAY_LINEAR, 0.0f};
    dp_adamw_config_default(&c->adam);
    c->clip = 1.0f;
    c->seed = 1;
    c->threads = 1;
    c->max_tokens = DP_ENCODER_MAX_TOKENS;
    c->report_every = 10;
}

double dp_train_hard_p(const dp_train_config *c, uint64_t step)
{
    if (!(c->curriculum > 0.0))
        return 0.0;
    double ramp = (double)step / (c->curriculum * (double)c->steps);
    return DP_CURRICULUM_PMAX * (ramp < 1.0 ? ramp : 1.0);
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void dp_trainer_free(dp_trainer *t)
{
    if (!t)
        return;
    for (int k = 0; k < 2; k++) {
        dp_net_ws_free(t->sh[k].ws);
        dp_batch_buf_free(&t->sh[k].bb);
        free(t->sh[k].gblock);
        free(t->sh[k].touched);
    }
    for (int s = 0; s < DP_DATA_MAX_SOURCES; s++)
        dp_featset_free(&t->fs[s]);
    dp_sampler_free(&t->sampler);
    dp_adamw_free(&t->opt);
    dp_loss_ws_free(&t->lws);
    free(t->pick);
    free(t->text);
    free(t->label);
    free(t->group);
    free(t->out);
    free(t->dout);
    free(t->rows);
    free(t);
}

static int check_setup(const dp_dataset *ds, const dp_loss_mix *mix, const dp_train_config *cfg, doppel_diag *diag)
{
    if (cfg->batch < 2 || cfg->batch > 1 << 16 || cfg->threads < 1 || cfg->threads > 2 || cfg->max_tokens < 1 ||
        !(cfg->curriculum >= 0.0 && cfg->curriculum <= 1.0))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "batch must be 2..65536, threads 1 or 2, max_tokens >= 1, curriculum 0..1");
    if (mix->n != ds->nsources || mix->n < 1)
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "one loss per data source is needed");
    double total = 0.0;
    for (int s = 0; s < mix->n; s++) {
        if (!(mix->weight[s] >= 0.0f) || (mix->weight[s] > 0.0f && ds->src[s].n == 0))
            return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                               "data source %d has no pairs or a negative weight", s + 1);
        total += (double)mix->weight[s];
    }
    if (!(total > 0.0))
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "all source weights are zero");
    return DOPPEL_OK;
}

int dp_trainer_create(dp_trainer **out, dp_model *m, const dp_dataset *train, const dp_loss_mix *mix,
                      const dp_dataset *dev, const dp_train_config *cfg, doppel_diag *diag)
{
    *out = NULL;
    if (m->q8.q) /* its table has no fp32 values to update */
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "the model was read for inference (int8 table kept); read it with dp_model_load");
    int rc = check_setup(train, mix, cfg, diag);
    if (rc)
        return rc;
    dp_trainer *t = calloc(1, sizeof *t);
    if (!t)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    t->m = m;
    t->ds = train;
    t->dev = dev && dev->n ? dev : NULL;
    t->mix = *mix;
    t->cfg = *cfg;
    if (t->cfg.lr.total == 0)
        t->cfg.lr.total = cfg->steps;
    size_t B = (size_t)cfg->batch, D = m->cfg.out_dim, n = m->nparams;
    for (int s = 0; s < train->nsources; s++)
        if ((rc = dp_featset_build(&t->fs[s], train->pairs + train->src[s].first, train->src[s].n, m,
                                   cfg->max_tokens, diag)))
            goto fail;
    rc = DOPPEL_ERR_NOMEM;
    if (dp_sampler_init(&t->sampler, train, cfg->seed) ||
        dp_adamw_init(&t->opt, &cfg->adam, n, m->cfg.buckets, m->cfg.embed_dim) || dp_loss_ws_alloc(&t->lws, (int)B))
        goto fail;
    /* In-batch negatives and mined triplets need positives only: the other pairs'
     * positives are the negatives. */
    for (int s = 0; s < mix->n; s++) {
        dp_loss_kind k = mix->loss[s].kind;
        t->mined[s] = k == DP_LOSS_INBATCH || k == DP_LOSS_MULTIPOS ||
                      (k == DP_LOSS_TRIPLET && train->src[s].format != DP_DATA_TRIPLETS);
        t->sampler.pos_frac[s] = t->mined[s] ? 1.0f : mix->pos_frac[s];
    }
    t->pick = malloc(B * sizeof *t->pick);
    t->text = malloc(3 * B * sizeof *t->text);
    t->label = malloc(B * sizeof *t->label);
    t->group = malloc(B * sizeof *t->group);
    t->out = malloc(3 * B * D * sizeof *t->out);
    t->dout = malloc(3 * B * D * sizeof *t->dout);
    if (!t->pick || !t->text || !t->label || !t->group || !t->out || !t->dout)
        goto fail;
    for (int k = 0; k < 2; k++) {
        shard *s = &t->sh[k];
        s->m = m;
        if ((rc = dp_net_ws_create(&s->ws, &m->cfg)))
            goto fail;
        rc = DOPPEL_ERR_NOMEM;
        if (!(s->gblock = calloc(n, sizeof(float))))
            goto fail;
        dp_model_params_carve(&s->grad, s->gblock, &m->cfg);
    }
    *out = t;
    return DOPPEL_OK;
fail:
    dp_trainer_free(t);
    /* featset errors have filled diag already; the others are bare codes */
    return rc == DOPPEL_ERR_NOMEM ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : rc;
}

static void *run_shard(void *arg)
{
    shard *s = arg;
    if (!s->backward) {
        s->rc = dp_net_forward(s->m, s->ws, &s->bb.batch, s->out, 1);
        return NULL;
    }
    const uint32_t *rows;
    s->rc = dp_net_backward(s->m, s->ws, &s->bb.batch, s->dout, &s->grad, &rows, &s->n_touched);
    if (!s->rc && dp_grow((void **)&s->touched, &s->cap_touched, s->n_touched + 1, sizeof *s->touched))
        s->rc = DOPPEL_ERR_NOMEM;
    if (!s->rc)
        memcpy(s->touched, rows, s->n_touched * sizeof *rows);
    return NULL;
}

/* Runs a phase on both shards: on a second thread for shard 1 when allowed. */
static int run_phase(dp_trainer *t, int backward)
{
    t->sh[0].backward = t->sh[1].backward = backward;
    pthread_t th;
    int threaded = t->cfg.threads > 1 && pthread_create(&th, NULL, run_shard, &t->sh[1]) == 0;
    run_shard(&t->sh[0]);
    if (threaded)
        pthread_join(th, NULL);
    else
        run_shard(&t->sh[1]);
    return t->sh[0].rc ? t->sh[0].rc : t->sh[1].rc;
}

/* grad0 += grad1 over shard 1's rows and the dense part; t->rows = union of the rows. */
static int reduce(dp_trainer *t)
{
    shard *a = &t->sh[0], *b = &t->sh[1];
    size_t row = t->m->cfg.embed_dim, dense0 = (size_t)t->m->cfg.buckets * row;
    for (size_t r = 0; r < b->n_touched; r++) {
        float *dst = a->gblock + (size_t)b->touched[r] * row, *src = b->gblock + (size_t)b->touched[r] * row;
        for (size_t k = 0; k < row; k++)
            dst[k] += src[k];
    }
    for (size_t i = dense0; i < t->m->nparams; i++)
        a->gblock[i] += b->gblock[i];
    if (dp_grow((void **)&t->rows, &t->cap_rows, a->n_touched + b->n_touched + 1, sizeof *t->rows))
        return DOPPEL_ERR_NOMEM;
    size_t i = 0, j = 0, n = 0; /* merge of two ascending lists */
    while (i < a->n_touched || j < b->n_touched) {
        uint32_t x = j == b->n_touched || (i < a->n_touched && a->touched[i] <= b->touched[j]) ? a->touched[i]
                                                                                               : b->touched[j];
        t->rows[n++] = x;
        while (i < a->n_touched && a->touched[i] == x)
            i++;
        while (j < b->n_touched && b->touched[j] == x)
            j++;
    }
    t->n_rows = n;
    return DOPPEL_OK;
}

/* Back to all-zero gradient blocks: only what the step wrote needs clearing. */
static void clear_grads(dp_trainer *t)
{
    size_t row = t->m->cfg.embed_dim, dense0 = (size_t)t->m->cfg.buckets * row;
    for (int k = 0; k < 2; k++) {
        shard *s = &t->sh[k];
        const uint32_t *rows = k == 0 ? t->rows : s->touched;
        size_t nr = k == 0 ? t->n_rows : s->n_touched;
        for (size_t r = 0; r < nr; r++)
            memset(s->gblock + (size_t)rows[r] * row, 0, row * sizeof(float));
        memset(s->gblock + dense0, 0, (t->m->nparams - dense0) * sizeof(float));
    }
}

/* The ids of a prose source's copies for the sampler's current pass over it: all copies
 * are made afresh when a pass begins (or after a resume), so memory holds one set. */
static int refresh_copies(dp_trainer *t, int src, doppel_diag *diag)
{
    const dp_source_info *si = &t->ds->src[src];
    uint64_t pass = dp_sampler_pass(&t->sampler, src);
    if (!si->cuts.first || pass == t->fs_pass[src])
        return DOPPEL_OK;
    dp_augment_config dflt;
    dp_augment_config_default(&dflt);
    const dp_augment_config *ac = t->cfg.augment ? t->cfg.augment : &dflt;
    dp_augment_buf buf = {NULL, 0, 0};
    dp_augment_stats st;
    memset(&st, 0, sizeof st);
    size_t *off = malloc((si->n + 1) * sizeof *off);
    dp_pair *pairs = malloc((si->n + 1) * sizeof *pairs);
    int rc = off && pairs ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    for (size_t k = 0; k < si->n && !rc; k++) {
        off[k] = buf.len;
        rc = dp_prose_copy(t->ds, src, k, t->cfg.seed, pass, ac, t->cfg.wordnet, &buf, &st);
    }
    dp_featset fs;
    if (!rc) {
        off[si->n] = buf.len;
        for (size_t k = 0; k < si->n; k++) { /* the texts are placed once buf has stopped moving */
            pairs[k] = t->ds->pairs[si->first + k];
            pairs[k].b = (dp_str){buf.s + off[k], (uint32_t)(off[k + 1] - off[k])};
        }
        rc = dp_featset_build(&fs, pairs, si->n, t->m, t->cfg.max_tokens, diag);
        if (!rc) {
            dp_featset_free(&t->fs[src]);
            t->fs[src] = fs;
            t->fs_pass[src] = pass;
        }
    } else {
        rc = dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, "making the copies of data source %d", src + 1);
    }
    free(buf.s);
    free(off);
    free(pairs);
    return rc;
}

int dp_trainer_step(dp_trainer *t, float *loss, doppel_diag *diag)
{
    const int B = t->cfg.batch, D = (int)t->m->cfg.out_dim;
    int src = dp_loss_mix_pick(&t->mix, &t->sampler.st.rng);
    const dp_loss_spec *spec = &t->mix.loss[src];
    dp_data_format fmt = t->ds->src[src].format;
    int with_neg = fmt == DP_DATA_TRIPLETS || fmt == DP_DATA_GROUPS;
    int sides = with_neg && (spec->kind == DP_LOSS_TRIPLET || spec->kind == DP_LOSS_MULTIPOS) ? 3 : 2;
    double p_hard = t->mined[src] ? dp_train_hard_p(&t->cfg, t->step) : 0.0;
    t->hard += (uint64_t)dp_sampler_batch(&t->sampler, src, p_hard, t->pick, B);
    int rc = refresh_copies(t, src, diag);
    if (rc)
        return rc;
    for (int i = 0; i < B; i++) {
        size_t p = t->pick[i], local = p - t->ds->src[src].first;
        for (int s = 0; s < sides; s++)
            t->text[(size_t)s * B + i] = 3 * local + (size_t)s;
        t->label[i] = dp_pair_norm_label(t->ds, &t->ds->pairs[p]);
        t->group[i] = t->ds->pairs[p].group;
    }
    /* The shards: sequences [0, N/2) and [N/2, N) of the sides laid end to end. */
    int N = sides * B, half = N / 2;
    for (int k = 0; k < 2; k++) {
        shard *s = &t->sh[k];
        int first = k ? half : 0, cnt = k ? N - half : half;
        s->out = t->out + (size_t)first * D;
        s->dout = t->dout + (size_t)first * D;
        if ((rc = dp_batch_gather(&s->bb, &t->fs[src], t->text + first, cnt)))
            return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    }
    rc = run_phase(t, 0);
    if (rc)
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, "forward pass failed");
    const float *u = t->out, *v = t->out + (size_t)B * D, *c = sides == 3 ? t->out + 2 * (size_t)B * D : NULL;
    const uint32_t *group = fmt == DP_DATA_GROUPS ? t->group : NULL;
    *loss = dp_loss_eval(spec, &t->lws, u, v, c, t->label, group, B, D, t->dout, t->dout + (size_t)B * D,
                         c ? t->dout + 2 * (size_t)B * D : NULL);
    if ((rc = run_phase(t, 1)) || (rc = reduce(t)))
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, "backward pass failed");
    dp_grad_clip(t->sh[0].gblock, &t->opt, t->rows, t->n_rows, t->cfg.clip);
    dp_adamw_step(&t->opt, t->m->block, t->sh[0].gblock, t->rows, t->n_rows, dp_lr_at(&t->cfg.lr, t->step));
    clear_grads(t);
    t->step++;
    return DOPPEL_OK;
}

uint64_t dp_trainer_step_count(const dp_trainer *t) { return t->step; }

uint64_t dp_trainer_saved_steps(const dp_trainer *t) { return t->saved_steps; }

static dp_ckpt_view view(dp_trainer *t, dp_sampler_state *st)
{
    return (dp_ckpt_view){t->step, t->cfg.seed, (uint64_t)t->cfg.batch, t->cfg.curriculum, t->cfg.steps, st, t->m, &t->opt};
}

int dp_trainer_checkpoint(dp_trainer *t, const char *path, doppel_diag *diag)
{
    dp_sampler_state st = t->sampler.st;
    dp_ckpt_view v = view(t, &st);
    return dp_ckpt_write(path, &v, diag);
}

int dp_trainer_resume(dp_trainer *t, const char *path, doppel_diag *diag)
{
    dp_sampler_state st = t->sampler.st;
    dp_ckpt_view v = view(t, &st);
    int rc = dp_ckpt_read(path, &v, diag);
    if (rc)
        return rc;
    t->step = v.step;
    t->saved_steps = v.steps;
    dp_sampler_restore(&t->sampler, &st);
    return DOPPEL_OK;
}

/* The metrics of the model's cosine on dev, through the inference path. The encoder packs
 * the weights when it is created, so it is made afresh from the current ones each time. */
static int eval_dev(dp_trainer *t, const dp_dataset *dev, dp_eval_result *r, doppel_diag *diag)
{
    double *cos = malloc((dev->n ? dev->n : 1) * sizeof *cos);
    if (!cos)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    dp_encoder *enc;
    int rc = dp_encoder_create(&enc, t->m, t->cfg.threads, diag);
    if (!rc) {
        rc = dp_eval_cosines(enc, t->m->cfg.out_dim, dev, 0, dev->n, cos, diag);
        dp_encoder_free(enc);
    }
    if (!rc)
        rc = dp_eval_metrics(r, cos, dev, 0, dev->n);
    free(cos);
    return rc;
}

int dp_trainer_dev_spearman(dp_trainer *t, double *out, doppel_diag *diag)
{
    *out = (double)NAN;
    if (!t->dev)
        return DOPPEL_OK;
    dp_eval_result r;
    int rc = eval_dev(t, t->dev, &r, diag);
    if (!rc)
        *out = r.graded ? r.spearman : r.auc;
    return rc;
}

int dp_trainer_dev_binary(dp_trainer *t, dp_eval_result *r, doppel_diag *diag)
{
    memset(r, 0, sizeof *r);
    r->auc = r->accuracy = (double)NAN;
    const dp_dataset *dev = t->cfg.dev_binary;
    return dev && dev->n ? eval_dev(t, dev, r, diag) : DOPPEL_OK;
}

int dp_trainer_run(dp_trainer *t, volatile sig_atomic_t *stop, dp_train_progress_fn fn, void *ctx,
                   doppel_diag *diag)
{
    const dp_train_config *c = &t->cfg;
    double t0 = now_sec(), last_ckpt = t0, loss_sum = 0.0;
    uint64_t first = t->step, n_loss = 0;
    int rc = DOPPEL_OK;
    while (t->step < c->steps) {
        if (stop && *stop) {
            rc = c->checkpoint_path ? dp_trainer_checkpoint(t, c->checkpoint_path, diag) : DOPPEL_OK;
            return rc ? rc : dp_diag_set(diag, DOPPEL_ERR_INTERRUPTED, DP_NO_POS, DP_NO_POS,
                                         "stopped at step %llu", (unsigned long long)t->step);
        }
        float loss;
        if ((rc = dp_trainer_step(t, &loss, diag)))
            return rc;
        loss_sum += (double)loss;
        n_loss++;
        int last = t->step == c->steps;
        int eval = (t->dev || (c->dev_binary && c->dev_binary->n)) && (last || (c->eval_every && t->step % c->eval_every == 0));
        int report = last || eval || (c->report_every && t->step % c->report_every == 0);
        double now = now_sec();
        int ckpt = c->checkpoint_path && (last || (c->checkpoint_seconds > 0 && now - last_ckpt >= c->checkpoint_seconds));
        double per_step = (now - t0) / (double)(t->step - first);
        dp_train_progress p = {t->step, c->steps, (float)(loss_sum / (double)n_loss), dp_lr_at(&c->lr, t->step - 1),
                               c->batch / (per_step > 1e-12 ? per_step : 1e-12), now - t0,
                               per_step * (double)(c->steps - t->step), (double)NAN, (double)NAN,
                               (double)NAN, 0, t->hard, dp_train_hard_p(c, t->step - 1)};
        dp_eval_result rb;
        if (eval && ((rc = dp_trainer_dev_spearman(t, &p.dev_spearman, diag)) || (rc = dp_trainer_dev_binary(t, &rb, diag))))
            return rc;
        if (eval) {
            p.dev_auc = rb.auc;
            p.dev_accuracy = rb.accuracy;
        }
        if (ckpt) {
            if ((rc = dp_trainer_checkpoint(t, c->checkpoint_path, diag)))
                return rc;
            last_ckpt = now;
            p.checkpointed = 1;
        }
        if (report || ckpt) {
            if (fn)
                fn(ctx, &p);
            loss_sum = 0.0;
            n_loss = 0;
            t->hard = 0;
        }
    }
    return DOPPEL_OK;
}
