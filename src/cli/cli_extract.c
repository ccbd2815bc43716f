#include "cli/cli_extract.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/grow.h"

int cli_extract_init(cli_extract *x, const dp_extract_opts *opts, const char *dump_dir, bool keep_extracted)
{
    memset(x, 0, sizeof *x);
    x->dump_dir = dump_dir;
    x->keep_extracted = keep_extracted;
    if (dp_io_reader_create(&x->reader, opts))
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    if (dump_dir && mkdir(dump_dir, 0777) != 0 && errno != EEXIST) {
        doppel_diag d;
        dp_diag_clear(&d);
        dp_diag_errno(&d, errno, "cannot make the --dump-text directory");
        return cli_runtime_error(dump_dir, DOPPEL_ERR_IO, &d);
    }
    return EXIT_OK;
}

void cli_extract_free(cli_extract *x)
{
    for (size_t i = 0; i < x->n_docs; i++)
        dp_docsrc_free(&x->docs[i]);
    free(x->docs);
    free(x->buf);
    free(x->cbuf);
    dp_io_reader_free(x->reader);
    memset(x, 0, sizeof *x);
}

void cli_extract_hook(cli_extract *x, dp_corpus_opts *co)
{
    dp_io_reader_reject(x->reader, co->reject);
    co->read = dp_io_reader_read;
    co->read_ctx = x->reader;
}

int cli_lms_open(dp_lms **lms, dp_lms_kind kind, bool all_attempts, const dp_corpus_opts *co, cli_extract *x,
                 char *const *paths, int n)
{
    if (dp_lms_create(lms, kind, all_attempts, co->max_bytes, x->reader))
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    for (int i = 0; i < n; i++) {
        char *why;
        int rc = dp_lms_add(*lms, paths[i], &why);
        if (rc) {
            doppel_diag d;
            dp_diag_clear(&d);
            bool said = why != NULL;
            if (said)
                dp_diag_set(&d, rc, DP_NO_POS, DP_NO_POS, "%s", why);
            free(why);
            return cli_runtime_error(paths[i], rc, said ? &d : NULL);
        }
    }
    return EXIT_OK;
}

/* DIR/ID.txt with every '/' of the id as '%' (ids are paths; a leading "./" dropped so
 * that the file is not hidden); never overwrites. */
static int dump(const char *dir, const char *id, const char *bytes, size_t len)
{
    while (id[0] == '.' && id[1] == '/')
        id += 2;
    size_t n = strlen(id);
    char *name = malloc(strlen(dir) + n + 6);
    if (!name)
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    char *p = name + sprintf(name, "%s/", dir);
    for (size_t i = 0; i < n; i++)
        *p++ = id[i] == '/' ? '%' : id[i];
    strcpy(p, ".txt");
    doppel_diag d;
    dp_diag_clear(&d);
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0666), rc = EXIT_OK;
    if (fd < 0) {
        dp_diag_errno(&d, errno, errno == EEXIST ? "exists (--dump-text never overwrites)" : "cannot create");
        rc = cli_runtime_error(name, DOPPEL_ERR_IO, &d);
    } else {
        size_t off = 0;
        while (off < len) {
            ssize_t w = write(fd, bytes + off, len - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        if (close(fd) != 0 || off < len) {
            dp_diag_errno(&d, errno ? errno : EIO, "cannot write");
            rc = cli_runtime_error(name, DOPPEL_ERR_IO, &d);
        }
    }
    free(name);
    return rc;
}

int cli_extract_take(cli_extract *x, const dp_corpus_item *items, size_t n, dp_docsrc *srcs)
{
    return dp_io_reader_take_many(x->reader, items, n, srcs) ? cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL)
                                                              : EXIT_OK;
}

int cli_extract_doc(cli_extract *x, size_t num, const dp_corpus_item *doc, dp_docsrc *taken, bool added)
{
    dp_docsrc src = *taken;
    memset(taken, 0, sizeof *taken);
    if (!added) {
        dp_docsrc_free(&src);
        return EXIT_OK;
    }
    if (x->keep_extracted && src.segs) { /* offsets stay in the text shown */
        free(src.segs);
        src.segs = NULL, src.n_segs = 0;
        src.extracted = true;
    }
    if (dp_grow((void **)&x->docs, &x->cap_docs, num + 1, sizeof *x->docs)) {
        dp_docsrc_free(&src);
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    }
    while (x->n_docs < num)
        memset(&x->docs[x->n_docs++], 0, sizeof *x->docs);
    x->docs[num] = src;
    x->n_docs = num + 1;
    if (x->dump_dir && (src.format || src.extracted))
        return dump(x->dump_dir, doc->id, doc->bytes, doc->len);
    return EXIT_OK;
}

int cli_extract_mark(cli_extract *x, size_t num)
{
    if (dp_grow((void **)&x->docs, &x->cap_docs, num + 1, sizeof *x->docs))
        return DOPPEL_ERR_NOMEM;
    while (x->n_docs <= num)
        memset(&x->docs[x->n_docs++], 0, sizeof *x->docs);
    x->docs[num].extracted = true;
    return DOPPEL_OK;
}

const dp_docsrc *cli_extract_record(const cli_extract *x, size_t num)
{
    return num < x->n_docs ? &x->docs[num] : NULL;
}

int cli_extract_put(cli_extract *x, size_t num, bool extracted, dp_textseg *segs, size_t n_segs)
{
    if (cli_extract_mark(x, num))
        return DOPPEL_ERR_NOMEM;
    x->docs[num] = (dp_docsrc){.extracted = extracted, .segs = segs, .n_segs = n_segs};
    return DOPPEL_OK;
}

void cli_extract_remove(cli_extract *x, size_t num)
{
    if (num >= x->n_docs)
        return;
    dp_docsrc_free(&x->docs[num]);
    memmove(x->docs + num, x->docs + num + 1, (x->n_docs - num - 1) * sizeof *x->docs);
    x->n_docs--;
}

const dp_pair_result *cli_extract_pair(cli_extract *x, const dp_pair_result *r, uint32_t a, uint32_t b,
                                       dp_pair_result *copy)
{
    const dp_docsrc *da = cli_extract_record(x, a), *db = cli_extract_record(x, b);
    bool ma = da && da->segs, mb = db && db->segs;
    if (!ma && !mb)
        return r;
    if (dp_grow((void **)&x->buf, &x->cap_buf, r->n_passages ? r->n_passages : 1, sizeof *x->buf))
        return NULL;
    for (size_t i = 0; i < r->n_passages; i++) {
        dp_passage p = r->passages[i];
        if (ma)
            p.a_start = dp_docsrc_start(da, p.a_start), p.a_end = dp_docsrc_end(da, p.a_end);
        if (mb)
            p.b_start = dp_docsrc_start(db, p.b_start), p.b_end = dp_docsrc_end(db, p.b_end);
        x->buf[i] = p;
    }
    *copy = *r;
    copy->passages = x->buf;
    return copy;
}

const dp_common_passage *cli_extract_common(cli_extract *x, const dp_common_passage *c,
                                            size_t (*num_of)(void *ctx, const char *id), void *ctx,
                                            dp_common_passage *copy)
{
    bool any = false;
    for (size_t i = 0; i < x->n_docs && !any; i++)
        any = x->docs[i].segs != NULL;
    if (!any)
        return c;
    if (dp_grow((void **)&x->cbuf, &x->cap_cbuf, c->n_members ? c->n_members : 1, sizeof *x->cbuf))
        return NULL;
    for (size_t i = 0; i < c->n_members; i++) {
        dp_common_member m = c->members[i];
        const dp_docsrc *d = cli_extract_record(x, num_of(ctx, m.id));
        if (d && d->segs)
            m.start = dp_docsrc_start(d, m.start), m.end = dp_docsrc_end(d, m.end);
        x->cbuf[i] = m;
    }
    *copy = *c;
    copy->members = x->cbuf;
    return copy;
}

bool cli_extract_maps(const cli_extract *x, size_t num)
{
    const dp_docsrc *d = cli_extract_record(x, num);
    return d && (d->extracted || d->segs);
}

const char *cli_extract_offsets(const cli_extract *x, size_t num)
{
    const dp_docsrc *d = cli_extract_record(x, num);
    return d && d->extracted ? "extracted" : NULL;
}
