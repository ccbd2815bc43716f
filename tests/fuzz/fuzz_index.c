/*
 * Target (f): the index-file reader over any bytes. Byte 0 is a mode: with bit 0 set
 * the harness first makes the file-size field (byte 56) and the trailing CRC-32C agree
 * with the data, so mutations reach the documents instead of stopping at the checksum;
 * with bit 1 set the index is read with the model below (the one the committed seeds
 * were built with: `doppel init-model --embed-dim 8 --hidden 6 --out-dim 8 --buckets
 * 512 --seed 5`), else without one (a model-built index then loads unencoded). The
 * rest is the file image.
 * Checked: an error leaves no index and a diag with the code and a byte inside the
 * file; an index read writes back byte for byte the image it came from (an older format:
 * an image in the current one that reads back to itself), sweeps every
 * pair with scores and coverages in [0,1] and passages inside each document's
 * sentences, and (when it can encode) answers a query the same way.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "model/model.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"

static const dp_model *seed_model(void)
{
    static dp_model *m;
    if (!m) {
        dp_model_config cfg;
        dp_model_config_default(&cfg);
        cfg.embed_dim = 8, cfg.hidden = 6, cfg.out_dim = 8, cfg.buckets = 512;
        FUZZ_CHECK(dp_model_alloc(&m, &cfg, NULL) == DOPPEL_OK);
        dp_model_init_random(m, 5);
    }
    return m;
}

/* The furthest byte any sentence of the document reaches. */
static uint64_t doc_end(const dp_sweep *s, const char *id)
{
    const dp_sweep_doc *d = dp_sweep_doc_at(s, dp_sweep_find(s, id));
    uint64_t end = 0;
    for (size_t i = 0; i < d->n_sents; i++)
        end = d->sents[i].end > end ? d->sents[i].end : end;
    return end;
}

static int on_pair(void *ctx, const dp_pair_result *p, uint32_t a, uint32_t b)
{
    const dp_sweep *s = ctx;
    FUZZ_CHECK(p->a && p->b && (a == UINT32_MAX || a < dp_sweep_count(s)) && b < dp_sweep_count(s));
    FUZZ_CHECK(p->score >= 0.0f && p->score <= 1.0f);
    FUZZ_CHECK(p->a_coverage >= 0.0f && p->a_coverage <= 1.0f && p->b_coverage >= 0.0f && p->b_coverage <= 1.0f);
    uint64_t b_end = doc_end(s, p->b);
    for (size_t i = 0; i < p->n_passages; i++) {
        const dp_passage *q = &p->passages[i];
        FUZZ_CHECK(q->a_start <= q->a_end && q->b_start <= q->b_end && q->b_end <= b_end);
        FUZZ_CHECK(a == UINT32_MAX || q->a_end <= doc_end(s, p->a));
        FUZZ_CHECK(q->score >= 0.0f && q->score <= 1.0f && q->kind <= DP_PASSAGE_PARAPHRASE);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t len;
    uint8_t *buf = fuzz_file_image(data, size, DP_INDEXFILE_HEADER_SIZE, 56, &len);
    const dp_model *model = (data[0] & 2) ? seed_model() : NULL;
    dp_sweep_opts opts;
    dp_sweep_opts_default(&opts);
    opts.threshold = 0.0f; /* every compared pair is reported, so every one is checked */
    opts.all_pairs = 1;
    dp_index *ix = (dp_index *)buf; /* must be overwritten */
    doppel_diag d;
    int rc = dp_index_read(&ix, buf, len, model, DP_INDEX_MODEL_OPTIONAL, 1, &opts, &d);
    if (rc != DOPPEL_OK) {
        FUZZ_CHECK(ix == NULL && d.code == rc && rc > DOPPEL_OK && rc < DOPPEL_ERR_COUNT_);
        FUZZ_CHECK(d.byte == UINT64_MAX || d.byte <= len);
        free(buf);
        return 0;
    }
    uint8_t *img;
    size_t img_len;
    FUZZ_CHECK(dp_index_write_buffer(ix, &img, &img_len) == DOPPEL_OK);
    if (buf[8] == DP_INDEXFILE_VERSION) {
        FUZZ_CHECK(img_len == len && memcmp(img, buf, len) == 0);
    } else { /* an older format is written as the current one, which reads back to itself */
        dp_index *again;
        uint8_t *img2;
        size_t img2_len;
        FUZZ_CHECK(dp_index_read(&again, img, img_len, model, DP_INDEX_MODEL_OPTIONAL, 1, &opts, &d) == DOPPEL_OK);
        FUZZ_CHECK(dp_sweep_count(dp_index_sweep(again)) == dp_sweep_count(dp_index_sweep(ix)));
        FUZZ_CHECK(dp_index_write_buffer(again, &img2, &img2_len) == DOPPEL_OK);
        FUZZ_CHECK(img2_len == img_len && memcmp(img2, img, img_len) == 0);
        free(img2);
        dp_index_free(again);
    }
    free(img);

    dp_sweep *s = dp_index_sweep(ix);
    for (size_t i = 0; i < dp_sweep_count(s); i++) {
        const dp_sweep_doc *doc = dp_sweep_doc_at(s, i);
        FUZZ_CHECK(doc->id && doc->n_words > 0 && doc->n_sents > 0);
    }
    dp_sweep_stats st;
    FUZZ_CHECK(dp_sweep_run(s, on_pair, NULL, s, &st) == DOPPEL_OK);
    FUZZ_CHECK(st.documents == dp_sweep_count(s) && st.pairs_reported <= st.pairs_compared);
    uint32_t model_id;
    if (!dp_index_has_model(ix, &model_id) || model) {
        static const char q[] = "The archive keeps every document prepared. The quick brown fox jumps.";
        rc = dp_sweep_query(s, "query", q, sizeof q - 1, on_pair, NULL, s, &st, &d);
        FUZZ_CHECK(rc == DOPPEL_OK && st.documents == dp_sweep_count(s));
    }
    dp_index_free(ix);
    free(buf);
    return 0;
}
