/*
 * Target (e): the training-pair reader over any bytes, in each of its formats (byte 0
 * modulo 7 chooses; the rest is the file). Checked: every line either becomes a pair
 * or is reported once with a line number inside the file (never both, never neither);
 * texts are non-empty and point into the kept file contents; every normalised label is
 * a number in [0, 1].
 */
#include <math.h>
#include <string.h>

#include "fuzz_check.h"
#include "train/dataset.h"

typedef struct warn_log {
    uint64_t calls, last_line, max_line;
} warn_log;

static void on_warn(void *ctx, uint64_t line, const char *message)
{
    warn_log *w = ctx;
    FUZZ_CHECK(line > w->last_line && line <= w->max_line && message && *message);
    w->last_line = line;
    w->calls++;
}

static void check_text(const dp_str *t, const char *buf, size_t len)
{
    FUZZ_CHECK(t->s && t->len > 0);
    FUZZ_CHECK(t->s >= buf && (size_t)(t->s - buf) + t->len <= len);
    FUZZ_CHECK(!memchr(t->s, '\t', t->len) && !memchr(t->s, '\n', t->len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    dp_data_format fmt = (dp_data_format)(DP_DATA_STSB + data[0] % 7);
    const char *path = fuzz_scratch_file(data + 1, size - 1);
    size_t len = size - 1;
    uint64_t newlines = 0;
    for (size_t i = 1; i < size; i++)
        newlines += data[i] == '\n';

    dp_dataset ds;
    dp_dataset_init(&ds);
    warn_log w = {0, 0, newlines + 1};
    dp_data_counts cnt;
    FUZZ_CHECK(dp_dataset_read(&ds, path, fmt, on_warn, &w, &cnt, NULL) == DOPPEL_OK);
    FUZZ_CHECK(ds.nsources == 1 && ds.nbufs == 1 && ds.n == cnt.pairs && ds.src[0].n == ds.n);
    FUZZ_CHECK(w.calls == cnt.skipped && cnt.pairs + cnt.skipped <= cnt.lines && cnt.lines <= newlines + 1);
    FUZZ_CHECK(cnt.lines - cnt.pairs - cnt.skipped <= 1); /* at most the header */
    for (size_t i = 0; i < ds.n; i++) {
        const dp_pair *p = &ds.pairs[i];
        check_text(&p->a, ds.bufs[0], len);
        check_text(&p->b, ds.bufs[0], len);
        if (fmt == DP_DATA_TRIPLETS)
            check_text(&p->c, ds.bufs[0], len);
        float y = dp_pair_norm_label(&ds, p);
        FUZZ_CHECK(isfinite(p->label) && isfinite(y) && y >= 0.0f && y <= 1.0f);
    }
    dp_dataset_free(&ds);
    return 0;
}
