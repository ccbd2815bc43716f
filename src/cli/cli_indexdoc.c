#include "cli/cli_indexdoc.h"
#include "cli/cli_indexfiles.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_corpus.h"
#include "core/checksum.h"
#include "core/grow.h"
#include "core/path.h"
#include "sweep/idset.h"

/* ---- the files of an index's documents (index add) --------------------- */

static void inode_key(const struct stat *st, char key[48])
{
    snprintf(key, 48, "%llu:%llu", (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
}

struct cli_index_files {
    char *real_dir;   /* the index file's folder, resolved */
    dp_idset sources; /* source -> id of the document that has it */
    dp_idset inodes;  /* "device:inode" -> id */
};

int cli_index_files_open(cli_index_files **out, const char *index_path, const doppel_index *ix)
{
    cli_index_files *f = calloc(1, sizeof *f);
    char *dir = dp_path_dir(index_path);
    if (!(*out = f) || !dir) {
        free(dir);
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    }
    f->real_dir = realpath(dir, NULL);
    if (!f->real_dir) {
        fprintf(stderr, "doppel: %s: cannot resolve the index's folder: %s\n", index_path, strerror(errno));
        free(dir);
        return EXIT_RUNTIME;
    }
    int rc = DOPPEL_OK;
    for (size_t i = 0; i < doppel_index_count(ix) && !rc; i++) {
        const char *id = doppel_index_id(ix, i), *first;
        doppel_doc_origin o = {.size = sizeof o};
        if ((rc = doppel_index_doc_origin(ix, id, &o, NULL)))
            break;
        /* a document of a format-2 index has no source: its id, read from here, is the best guess */
        char *path = o.source ? dp_path_join(dir, o.source) : strdup(id);
        if (!path) {
            rc = DOPPEL_ERR_NOMEM;
            break;
        }
        struct stat st;
        char key[48];
        if (o.source)
            rc = dp_idset_add(&f->sources, o.source, id, &first);
        if (!rc && stat(path, &st) == 0) {
            inode_key(&st, key);
            rc = dp_idset_add(&f->inodes, key, id, &first);
        }
        free(path);
    }
    free(dir);
    return rc ? cli_runtime_error(NULL, rc, NULL) : EXIT_OK;
}

void cli_index_files_free(cli_index_files *f)
{
    if (!f)
        return;
    free(f->real_dir);
    dp_idset_free(&f->sources);
    dp_idset_free(&f->inodes);
    free(f);
}

int cli_index_files_check(cli_index_files *f, const char *path, char **source, const char **dup)
{
    *source = NULL, *dup = NULL;
    char *real = realpath(path, NULL);
    if (!real)
        return errno == ENOMEM ? DOPPEL_ERR_NOMEM : DOPPEL_OK;
    *source = dp_path_relative(f->real_dir, real);
    free(real);
    if (!*source)
        return DOPPEL_ERR_NOMEM;
    struct stat st;
    char key[48];
    if (!(*dup = dp_idset_find(&f->sources, *source)) && stat(path, &st) == 0) {
        inode_key(&st, key);
        *dup = dp_idset_find(&f->inodes, key);
    }
    return DOPPEL_OK;
}

int cli_index_files_record(cli_index_files *f, const char *path, const char *source, const char *id)
{
    const char *first;
    struct stat st;
    char key[48];
    int rc = dp_idset_add(&f->sources, source, id, &first);
    if (!rc && stat(path, &st) == 0) {
        inode_key(&st, key);
        rc = dp_idset_add(&f->inodes, key, id, &first);
    }
    return rc;
}

/* ---- the texts of an index's documents (reports) ----------------------- */

typedef struct indexed {
    char *id, *source;
    uint32_t crc;
    uint64_t len;
    int has_sum;
    long long line_at; /* where its --texts line starts, or -1 */
    char *why;         /* the last reason its text was not shown (lives with the set) */
    dp_doc_part *parts; /* a submission's files, as last read */
    size_t n_parts;
    int warned;        /* its change was said on stderr */
} indexed;

struct cli_doctexts {
    indexed *docs; /* by id */
    size_t n;
    char *dir;     /* the index file's folder, as given */
    const char *texts_path;
    FILE *texts;   /* --texts, or NULL */
    dp_corpus_opts co;
    doppel_doc_part *pub; /* cli_doctexts_parts_public's */
    size_t cap_pub;
};

static int by_id(const void *x, const void *y) { return strcmp(((const indexed *)x)->id, ((const indexed *)y)->id); }

static int id_vs(const void *key, const void *x) { return strcmp(key, ((const indexed *)x)->id); }

static indexed *find(const cli_doctexts *t, const char *id)
{
    return t->n ? bsearch(id, t->docs, t->n, sizeof *t->docs, id_vs) : NULL;
}

/* Notes where each indexed document's line is in the --texts file. */
static int scan_texts(cli_doctexts *t)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    uint64_t lineno = 0;
    long long at = 0;
    int rc = DOPPEL_OK;
    while (!rc && (got = getline(&line, &cap, t->texts)) > 0) {
        lineno++;
        dp_corpus_item it = {0};
        rc = dp_corpus_jsonl_line(line, (size_t)got, t->texts_path, lineno, SIZE_MAX, &it);
        indexed *d = !rc && it.kind == DP_CORPUS_DOC ? find(t, it.id) : NULL;
        if (d && d->line_at < 0)
            d->line_at = at;
        dp_corpus_item_clear(&it);
        at += got;
    }
    free(line);
    if (!rc && ferror(t->texts))
        rc = DOPPEL_ERR_IO;
    return rc;
}

/* The set of n documents (to fill in by id) of the index at index_path. */
static int doctexts_new(cli_doctexts **out, size_t n, const char *index_path, const dp_corpus_opts *co)
{
    cli_doctexts *t = calloc(1, sizeof *t);
    *out = t;
    if (!t || !(t->dir = dp_path_dir(index_path)))
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    t->co = *co;
    t->n = n;
    if (!(t->docs = calloc(t->n ? t->n : 1, sizeof *t->docs)))
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    return EXIT_OK;
}

static int doctexts_set(cli_doctexts *t, size_t i, const char *id, const char *source, uint32_t crc, uint64_t len,
                        int has_sum)
{
    indexed *x = &t->docs[i];
    *x = (indexed){.id = strdup(id), .source = source ? strdup(source) : NULL, .crc = crc, .len = len,
                   .has_sum = has_sum, .line_at = -1};
    return !x->id || (source && !x->source) ? cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL) : EXIT_OK;
}

/* Sorts the documents by id and reads where --texts holds each. */
static int doctexts_finish(cli_doctexts *t, const char *texts_jsonl)
{
    qsort(t->docs, t->n, sizeof *t->docs, by_id);
    if (texts_jsonl) {
        t->texts_path = texts_jsonl;
        if (!(t->texts = fopen(texts_jsonl, "rb"))) {
            fprintf(stderr, "doppel: %s: cannot open: %s\n", texts_jsonl, strerror(errno));
            return EXIT_RUNTIME;
        }
        int rc = scan_texts(t);
        if (rc)
            return rc == DOPPEL_ERR_IO ? (fprintf(stderr, "doppel: %s: cannot read\n", texts_jsonl), EXIT_RUNTIME)
                                       : cli_runtime_error(texts_jsonl, rc, NULL);
    }
    return EXIT_OK;
}

int cli_doctexts_open(cli_doctexts **out, const dp_sweep *sw, const char *index_path, const char *texts_jsonl,
                      const dp_corpus_opts *co)
{
    int status = doctexts_new(out, dp_sweep_count(sw), index_path, co);
    for (size_t i = 0; !status && i < (*out)->n; i++) {
        const dp_sweep_doc *d = dp_sweep_doc_at(sw, i);
        status = doctexts_set(*out, i, d->id, d->source, d->text_crc, d->text_len, d->has_sum);
    }
    return status ? status : doctexts_finish(*out, texts_jsonl);
}

int cli_doctexts_open_index(cli_doctexts **out, const doppel_index *ix, const char *index_path,
                            const char *texts_jsonl, const cli_reader *r)
{
    int status = doctexts_new(out, doppel_index_count(ix), index_path, cli_reader_corpus_opts(r));
    for (size_t i = 0; !status && i < (*out)->n; i++) {
        const char *id = doppel_index_id(ix, i);
        doppel_doc_origin o = {.size = sizeof o};
        doppel_diag d;
        int rc = doppel_index_doc_origin(ix, id, &o, &d);
        status = rc ? cli_runtime_error(id, rc, &d)
                    : doctexts_set(*out, i, id, o.source, o.text_crc, o.text_len, o.has_checksum);
    }
    return status ? status : doctexts_finish(*out, texts_jsonl);
}

static void drop_parts(indexed *x)
{
    for (size_t i = 0; i < x->n_parts; i++)
        free(x->parts[i].path);
    free(x->parts);
    x->parts = NULL, x->n_parts = 0;
}

void cli_doctexts_parts_public(cli_doctexts *t, const char *id, const doppel_doc_part **parts, size_t *n)
{
    const indexed *x = find(t, id);
    *parts = NULL, *n = 0;
    if (!x || !x->n_parts || dp_grow((void **)&t->pub, &t->cap_pub, x->n_parts, sizeof *t->pub))
        return; /* out of memory: the pane goes without its files' names */
    for (size_t i = 0; i < x->n_parts; i++)
        t->pub[i] = (doppel_doc_part){x->parts[i].path, x->parts[i].start, x->parts[i].len};
    *parts = t->pub, *n = x->n_parts;
}

void cli_doctexts_free(cli_doctexts *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->docs[i].id), free(t->docs[i].source), free(t->docs[i].why);
        drop_parts(&t->docs[i]);
    }
    free(t->docs);
    free(t->pub);
    free(t->dir);
    if (t->texts)
        fclose(t->texts);
    free(t);
}

/* The text of the --texts line at `at`. */
static int texts_line(cli_doctexts *t, long long at, char **bytes, size_t *len)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    if (fseeko(t->texts, (off_t)at, SEEK_SET) != 0 || (got = getline(&line, &cap, t->texts)) <= 0) {
        free(line);
        return DOPPEL_ERR_IO;
    }
    dp_corpus_item it = {0};
    int rc = dp_corpus_jsonl_line(line, (size_t)got, t->texts_path, 0, SIZE_MAX, &it);
    free(line);
    if (!rc && it.kind != DP_CORPUS_DOC)
        rc = DOPPEL_ERR_IO;
    if (!rc)
        *bytes = it.bytes, *len = it.len, it.bytes = NULL;
    dp_corpus_item_clear(&it);
    return rc;
}

/* A file (or --by-dir folder) read as when it was indexed: DOPPEL_ERR_NOT_FOUND when
 * there is no document to read at path. */
static int read_as_indexed(const cli_doctexts *t, const char *path, char **bytes, size_t *len, indexed *x)
{
    dp_corpus_item item = {0};
    int rc = cli_read_one(&t->co, path, &item, NULL);
    if (!rc && item.kind == DP_CORPUS_DOC) {
        *bytes = item.bytes, *len = item.len, item.bytes = NULL;
        drop_parts(x);
        x->parts = item.parts, x->n_parts = item.n_parts;
        item.parts = NULL, item.n_parts = 0;
    } else if (!rc)
        rc = DOPPEL_ERR_NOT_FOUND;
    dp_corpus_item_clear(&item);
    return rc;
}

static int matches(const indexed *x, const char *bytes, size_t len)
{
    return !x->has_sum || (len == x->len && dp_crc32c(0, bytes, len) == x->crc);
}

/* Sets x's reason, *why, and returns DOPPEL_ERR_NOT_FOUND (or _NOMEM). */
__attribute__((format(printf, 3, 4))) static int say(indexed *x, const char **why, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    free(x->why);
    if (!(x->why = strdup(msg)))
        return DOPPEL_ERR_NOMEM;
    *why = x->why;
    return DOPPEL_ERR_NOT_FOUND;
}

int cli_doctexts_get(cli_doctexts *t, const char *id, char **bytes, size_t *len, const char **why)
{
    indexed *x = find(t, id);
    if (!x) {
        *why = "not a document of the index";
        return DOPPEL_ERR_NOT_FOUND;
    }
    if (x->line_at >= 0) {
        int rc = texts_line(t, x->line_at, bytes, len);
        if (rc == DOPPEL_ERR_NOMEM)
            return rc;
        if (!rc && matches(x, *bytes, *len))
            return DOPPEL_OK;
        if (!rc)
            free(*bytes), *bytes = NULL;
        return rc ? say(x, why, "its line in %s cannot be read again", t->texts_path)
                  : say(x, why, "its text in %s differs from the indexed text (not shown: offsets would point at "
                                "other words)", t->texts_path);
    }
    /* where it was indexed, from the index's folder; then its id, from here */
    char *paths[3] = {x->source ? dp_path_join(t->dir, x->source) : NULL, NULL, NULL};
    if (!x->has_sum) /* a format-2 index: ids were paths as given where it was built */
        paths[1] = dp_path_join(t->dir, x->id);
    paths[2] = strdup(x->id);
    const char *changed = NULL;
    int rc = DOPPEL_ERR_NOT_FOUND;
    for (int i = 0; i < 3 && rc; i++) {
        if (!paths[i] || (i && paths[i - 1] && strcmp(paths[i], paths[i - 1]) == 0))
            continue;
        int r = read_as_indexed(t, paths[i], bytes, len, x);
        if (r == DOPPEL_ERR_NOMEM) {
            rc = r;
            break;
        }
        if (!r && matches(x, *bytes, *len))
            rc = DOPPEL_OK;
        else if (!r && !changed)
            changed = paths[i], free(*bytes), *bytes = NULL;
        else if (!r)
            free(*bytes), *bytes = NULL;
    }
    if (rc == DOPPEL_ERR_NOT_FOUND && changed) {
        if (!x->warned)
            fprintf(stderr, "doppel: warning: %s: changed since it was indexed (its text is not the indexed one); "
                            "its passages are not shown\n", changed);
        x->warned = 1;
        rc = say(x, why, "%s changed since it was indexed (not shown: offsets would point at other words)", changed);
    } else if (rc == DOPPEL_ERR_NOT_FOUND && !x->source && x->has_sum) {
        rc = say(x, why, "indexed from JSONL, and no --texts FILE.jsonl gave its text");
    } else if (rc == DOPPEL_ERR_NOT_FOUND) {
        const char *at = paths[0] ? paths[0] : paths[1] ? paths[1] : id;
        rc = strcmp(at, id) != 0 ? say(x, why, "no readable file at %s (where it was indexed) nor at %s", at, id)
                                 : say(x, why, "no readable file at %s (where it was indexed)", at);
    }
    for (int i = 0; i < 3; i++)
        free(paths[i]);
    return rc;
}
