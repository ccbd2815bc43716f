#include "io/reader.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/grow.h"
#include "core/readfile.h"
#include "doppel.h"
#include "io/zipread.h"

/* What was recorded of one file read since the last take. */
typedef struct record {
    char *path;
    const char *format;
    bool extracted;
    dp_textseg *segs;
    size_t n_segs;
} record;

struct dp_io_reader {
    dp_extract_opts opts;
    dp_corpus_reject_fn reject;
    record *recs;
    size_t n_recs, cap_recs;
    pthread_mutex_t lock; /* of recs: files of a block are read on several threads */
};

int dp_io_reader_create(dp_io_reader **r, const dp_extract_opts *opts)
{
    *r = calloc(1, sizeof **r);
    if (!*r)
        return DOPPEL_ERR_NOMEM;
    xmlInitParser(); /* libxml2's global state made here, not by files read on several threads */
    if (pthread_mutex_init(&(*r)->lock, NULL)) {
        free(*r);
        *r = NULL;
        return DOPPEL_ERR_NOMEM;
    }
    if (opts)
        (*r)->opts = *opts;
    return DOPPEL_OK;
}

void dp_io_reader_reject(dp_io_reader *r, dp_corpus_reject_fn reject) { r->reject = reject; }

static void forget(dp_io_reader *r)
{
    for (size_t i = 0; i < r->n_recs; i++)
        free(r->recs[i].path), free(r->recs[i].segs);
    r->n_recs = 0;
}

void dp_io_reader_free(dp_io_reader *r)
{
    if (!r)
        return;
    forget(r);
    free(r->recs);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

/* Keeps rec (its path NULL when strdup failed: then nothing is kept, and the caller
 * still owns the segments). */
static int add_record(dp_io_reader *r, record rec)
{
    pthread_mutex_lock(&r->lock);
    int rc = rec.path && !dp_grow((void **)&r->recs, &r->cap_recs, r->n_recs + 1, sizeof *r->recs) ? DOPPEL_OK
                                                                                                  : DOPPEL_ERR_NOMEM;
    if (!rc)
        r->recs[r->n_recs++] = rec;
    pthread_mutex_unlock(&r->lock);
    if (rc)
        free(rec.path);
    return rc;
}

int dp_io_reader_convert(dp_io_reader *r, const char *name, const char *bytes, size_t len, size_t max_bytes,
                         char **text, size_t *text_len, char **reason, bool *handled)
{
    *text = *reason = NULL;
    *handled = false;
    const char *format = dp_extract_format(name, &r->opts);
    if (!format)
        return DOPPEL_OK;
    *handled = true;
    dp_extracted e;
    int rc = dp_extract(format, bytes, len, &r->opts, &e, reason);
    if (rc == DOPPEL_ERR_NOMEM)
        return rc;
    if (rc != DOPPEL_OK) {
        char *full = dp_io_printf("%s: %s", format, *reason ? *reason : doppel_strerror(rc));
        free(*reason);
        *reason = full;
        return full ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    }
    if (e.text.len > max_bytes) {
        dp_extracted_free(&e);
        *reason = dp_io_printf("%s: extracted text larger than %zu bytes (--max-bytes)", format, max_bytes);
        return *reason ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    }
    if (add_record(r, (record){strdup(name), format, e.extracted, e.text.segs, e.text.n_segs})) {
        dp_extracted_free(&e);
        return DOPPEL_ERR_NOMEM;
    }
    *text = e.text.text ? e.text.text : strdup("");
    *text_len = e.text.len;
    return *text ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
}

int dp_io_reader_note(dp_io_reader *r, const char *name)
{
    return add_record(r, (record){strdup(name), NULL, true, NULL, 0});
}

int dp_io_reader_read(void *ctx, const char *path, size_t max_bytes, char **bytes, size_t *len, char **reason,
                      bool *handled)
{
    dp_io_reader *r = ctx;
    *handled = false;
    if (!dp_extract_format(path, &r->opts))
        return DOPPEL_OK;
    doppel_diag d;
    dp_diag_clear(&d);
    char *raw;
    size_t n;
    int rc = dp_read_file(path, DP_EXTRACT_MAX_FILE, &raw, &n, &d);
    if (rc == DOPPEL_ERR_NOMEM)
        return rc;
    if (rc != DOPPEL_OK) {
        *handled = true;
        *reason = rc == DOPPEL_ERR_TOO_LARGE
                      ? dp_io_printf("file larger than %zu bytes", (size_t)DP_EXTRACT_MAX_FILE)
                      : dp_io_printf("unreadable: %s", d.message);
        return *reason ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    }
    const char *why = r->reject ? r->reject(raw, n) : NULL;
    if (why) {
        *handled = true;
        *reason = strdup(why);
        rc = *reason ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    } else {
        rc = dp_io_reader_convert(r, path, raw, n, max_bytes, bytes, len, reason, handled);
    }
    free(raw);
    return rc;
}

static record *find(dp_io_reader *r, const char *path)
{
    for (size_t i = 0; i < r->n_recs; i++)
        if (strcmp(r->recs[i].path, path) == 0)
            return &r->recs[i];
    return NULL;
}

/* How the offsets of one document read, from the records (which stay). */
static void take_one(dp_io_reader *r, const dp_corpus_item *doc, dp_docsrc *out)
{
    memset(out, 0, sizeof *out);
    if (doc->kind != DP_CORPUS_DOC)
        return;
    if (doc->n_parts == 0) {
        record *rec = find(r, doc->id);
        if (rec) {
            out->format = rec->format;
            out->extracted = rec->extracted;
            out->segs = rec->segs, out->n_segs = rec->n_segs;
            rec->segs = NULL;
        }
    } else {
        /* several files joined: offsets index the joined text; they are the files'
         * bytes only when every part was read as it is on disk */
        for (size_t k = 0; k < r->n_recs; k++)
            for (size_t i = 0; i < doc->n_parts && !out->extracted; i++)
                if ((r->recs[k].extracted || r->recs[k].segs) && !strcmp(r->recs[k].path, doc->parts[i].path))
                    out->extracted = true;
    }
}

int dp_io_reader_take(dp_io_reader *r, const dp_corpus_item *doc, dp_docsrc *out)
{
    return dp_io_reader_take_many(r, doc, 1, out);
}

int dp_io_reader_take_many(dp_io_reader *r, const dp_corpus_item *items, size_t n, dp_docsrc *outs)
{
    for (size_t i = 0; i < n; i++)
        take_one(r, &items[i], &outs[i]);
    forget(r);
    return DOPPEL_OK;
}

void dp_docsrc_free(dp_docsrc *d)
{
    free(d->segs);
    memset(d, 0, sizeof *d);
}

uint64_t dp_docsrc_start(const dp_docsrc *d, uint64_t off)
{
    return d->segs ? dp_textmap_start(d->segs, d->n_segs, off) : off;
}

uint64_t dp_docsrc_end(const dp_docsrc *d, uint64_t off)
{
    return d->segs ? dp_textmap_end(d->segs, d->n_segs, off) : off;
}
