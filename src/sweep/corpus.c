#include "core/grow.h"
#include "sweep/corpus.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/readfile.h"
#include "core/workers.h"
#include "sweep/idset.h"

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

typedef enum { E_FILE, E_SUBMISSION, E_SKIP, E_JSONL } entry_kind;

/* What dp_corpus_next will read, recorded by the add functions. */
typedef struct entry {
    entry_kind kind;
    char *id;     /* file path, submission directory, or --jsonl path */
    char *reason; /* E_SKIP */
    strvec files; /* E_SUBMISSION, in name order */
    dev_t dev;    /* E_FILE, E_SUBMISSION: the file or directory, when has_ino */
    ino_t ino;
    bool has_ino;
    bool duplicate; /* E_SKIP: the same file as an earlier entry */
    bool listed;    /* added by dp_corpus_add_lists (a line of a --list file's range) */
    uint64_t *chunk_at; /* E_JSONL split in chunks (dp_corpus_set_chunks): [n_chunks + 1]
                         * lines before each chunk, the last the file's; else NULL */
    size_t n_chunks;
    uint64_t bytes;     /* with chunk_at: the file's size */
} entry;

struct dp_corpus {
    dp_corpus_opts opts;
    entry *entries;
    size_t n_entries, cap_entries;
    size_t cursor;
    /* E_SUBMISSION in progress: next file, joined bytes so far, their parts. */
    size_t sub_pos;
    char *acc;
    size_t acc_len, acc_cap;
    dp_doc_part *parts;
    size_t n_parts, cap_parts;
    bool oversized;
    char left_out[160]; /* the formats of the files left out of it, e.g. ".docx, .pdf" */
    /* E_JSONL in progress. */
    FILE *jf;
    char *line;
    size_t line_cap;
    uint64_t lineno;
    bool deduped;  /* files reached twice made skipped entries (at the first dp_corpus_next) */
    dp_idset ids;  /* of the documents yielded so far */
    /* Units (an entry other than --jsonl, or one --jsonl line) are numbered in reading
     * order; only those in [unit_first, unit_last) are read (dp_corpus_restrict). */
    uint64_t unit, unit_first, unit_last;
};

/* ---- small helpers ---------------------------------------------------- */

static int strvec_push(strvec *s, char *str)
{
    if (!str || dp_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v)) {
        free(str);
        return DOPPEL_ERR_NOMEM;
    }
    s->v[s->n++] = str;
    return DOPPEL_OK;
}

static void strvec_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    bool slash = a > 0 && dir[a - 1] != '/';
    char *p = malloc(a + slash + b + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    if (slash)
        p[a] = '/';
    memcpy(p + a + slash, name, b + 1);
    return p;
}

static char *concat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);
    if (s) {
        memcpy(s, a, na);
        memcpy(s + na, b, nb + 1);
    }
    return s;
}

static int add_entry(dp_corpus *c, entry_kind kind, const char *id, const char *reason,
                     strvec *files)
{
    if (dp_grow((void **)&c->entries, &c->cap_entries, c->n_entries + 1, sizeof *c->entries))
        return DOPPEL_ERR_NOMEM;
    entry e = {.kind = kind, .id = strdup(id), .reason = reason ? strdup(reason) : NULL};
    if (!e.id || (reason && !e.reason)) {
        free(e.id), free(e.reason);
        return DOPPEL_ERR_NOMEM;
    }
    if (files) {
        e.files = *files;
        memset(files, 0, sizeof *files);
    }
    c->entries[c->n_entries++] = e;
    return DOPPEL_OK;
}

/* An entry for a file or submission, remembering what it is on disk. */
static int add_real(dp_corpus *c, entry_kind kind, const char *id, strvec *files, const struct stat *st)
{
    int rc = add_entry(c, kind, id, NULL, files);
    if (rc == DOPPEL_OK) {
        entry *e = &c->entries[c->n_entries - 1];
        e->dev = st->st_dev, e->ino = st->st_ino, e->has_ino = true;
    }
    return rc;
}

static bool matches_any(const char *path, const char *const *pats, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < n; i++)
        if (fnmatch(pats[i], strchr(pats[i], '/') ? path : base, 0) == 0)
            return true;
    return false;
}

/* Whether a file found by walking is wanted (--include / --exclude). */
static bool wanted(const dp_corpus *c, const char *path)
{
    if (c->opts.n_include && !matches_any(path, c->opts.include, c->opts.n_include))
        return false;
    return !matches_any(path, c->opts.exclude, c->opts.n_exclude);
}

/* ---- walking directories ---------------------------------------------- */

typedef struct dirid {
    dev_t dev;
    ino_t ino;
} dirid;

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The names in dir except . and .., sorted; NULL names with *err set on failure. */
static int list_dir(const char *dir, strvec *names, int *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        *err = errno;
        return DOPPEL_ERR_IO;
    }
    struct dirent *de;
    int rc = DOPPEL_OK;
    while (rc == DOPPEL_OK && (de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, ".."))
            rc = strvec_push(names, strdup(de->d_name));
    closedir(d);
    if (rc == DOPPEL_OK && names->n > 1)
        qsort(names->v, names->n, sizeof *names->v, by_name);
    return rc;
}

/* Why `path` cannot be used, from a failed stat: loop, broken link, or errno. */
static int skip_unstattable(dp_corpus *c, const char *path, int err)
{
    struct stat st;
    if (err == ELOOP)
        return add_entry(c, E_SKIP, path, "symlink loop", NULL);
    if (err == ENOENT && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        return add_entry(c, E_SKIP, path, "broken symlink", NULL);
    char *r = concat("unreadable: ", strerror(err));
    int rc = r ? add_entry(c, E_SKIP, path, r, NULL) : DOPPEL_ERR_NOMEM;
    free(r);
    return rc;
}

/*
 * Every regular file under dir, depth first in name order, into `files` (a
 * submission) or as E_FILE entries (files NULL). Directories already on the path
 * from the root (reached again through a symlink) are skipped as loops.
 */
static int walk(dp_corpus *c, const char *dir, dirid *anc, size_t depth, size_t max_depth,
                strvec *files)
{
    strvec names = {0};
    int err = 0;
    int rc = list_dir(dir, &names, &err);
    if (rc == DOPPEL_ERR_IO) {
        char *r = concat("unreadable directory: ", strerror(err));
        rc = r ? add_entry(c, E_SKIP, dir, r, NULL) : DOPPEL_ERR_NOMEM;
        free(r);
        strvec_free(&names);
        return rc;
    }
    for (size_t i = 0; rc == DOPPEL_OK && i < names.n; i++) {
        char *path = join_path(dir, names.v[i]);
        if (!path) {
            rc = DOPPEL_ERR_NOMEM;
            break;
        }
        struct stat st;
        if (stat(path, &st) != 0) {
            rc = skip_unstattable(c, path, errno);
        } else if (S_ISDIR(st.st_mode)) {
            bool loop = depth + 1 >= max_depth;
            for (size_t k = 0; k <= depth && !loop; k++)
                loop = anc[k].dev == st.st_dev && anc[k].ino == st.st_ino;
            if (loop) {
                rc = add_entry(c, E_SKIP, path, "symlink loop", NULL);
            } else {
                anc[depth + 1] = (dirid){st.st_dev, st.st_ino};
                rc = walk(c, path, anc, depth + 1, max_depth, files);
            }
        } else if (!S_ISREG(st.st_mode)) {
            rc = add_entry(c, E_SKIP, path, "not a regular file", NULL);
        } else if (!wanted(c, path)) {
            /* left out as asked */
        } else if (files) {
            rc = strvec_push(files, path);
            path = NULL;
        } else {
            rc = add_real(c, E_FILE, path, NULL, &st);
        }
        free(path);
    }
    strvec_free(&names);
    return rc;
}

/* Walks a directory with loop detection rooted at it. */
static int walk_root(dp_corpus *c, const char *dir, const struct stat *st, strvec *files)
{
    /* Deeper nesting than this is treated as a loop (no real corpus nests so far). */
    enum { MAX_DEPTH = 256 };
    dirid *anc = malloc(MAX_DEPTH * sizeof *anc);
    if (!anc)
        return DOPPEL_ERR_NOMEM;
    anc[0] = (dirid){st->st_dev, st->st_ino};
    int rc = walk(c, dir, anc, 0, MAX_DEPTH, files);
    free(anc);
    return rc;
}

int dp_corpus_add_submission(dp_corpus *c, const char *path)
{
    struct stat st;
    strvec files = {0};
    int rc;
    if (stat(path, &st) != 0)
        return skip_unstattable(c, path, errno);
    if (S_ISDIR(st.st_mode)) {
        rc = walk_root(c, path, &st, &files);
        if (rc == DOPPEL_OK)
            rc = add_real(c, E_SUBMISSION, path, &files, &st);
    } else if (S_ISREG(st.st_mode)) {
        rc = strvec_push(&files, strdup(path));
        if (rc == DOPPEL_OK)
            rc = add_real(c, E_SUBMISSION, path, &files, &st);
    } else {
        rc = add_entry(c, E_SKIP, path, "not a regular file", NULL);
    }
    strvec_free(&files);
    return rc;
}

/* --by-dir: every entry directly under root is one submission. */
static int add_submissions(dp_corpus *c, const char *root)
{
    strvec names = {0};
    int err = 0;
    int rc = list_dir(root, &names, &err);
    if (rc == DOPPEL_ERR_IO) {
        strvec_free(&names);
        return skip_unstattable(c, root, err);
    }
    for (size_t i = 0; rc == DOPPEL_OK && i < names.n; i++) {
        char *path = join_path(root, names.v[i]);
        rc = path ? dp_corpus_add_submission(c, path) : DOPPEL_ERR_NOMEM;
        free(path);
    }
    strvec_free(&names);
    return rc;
}

/* A path from the command line (missing_is_error) or a --list line (skipped). */
static int add_one(dp_corpus *c, const char *path, bool missing_is_error, doppel_diag *diag)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int err = errno;
        if (!missing_is_error)
            return skip_unstattable(c, path, err);
        if (err == ENOENT)
            return dp_diag_set(diag, DOPPEL_ERR_NOT_FOUND, DP_NO_POS, DP_NO_POS,
                               "no such file or directory");
        return dp_diag_errno(diag, err, "cannot stat");
    }
    int rc;
    if (S_ISDIR(st.st_mode) && c->opts.by_dir) {
        rc = add_submissions(c, path);
    } else if (S_ISDIR(st.st_mode)) {
        rc = walk_root(c, path, &st, NULL);
    } else if (c->opts.by_dir) {
        strvec files = {0};
        rc = strvec_push(&files, strdup(path));
        if (rc == DOPPEL_OK)
            rc = add_real(c, E_SUBMISSION, path, &files, &st);
        strvec_free(&files);
    } else {
        rc = add_real(c, E_FILE, path, NULL, &st);
    }
    return rc == DOPPEL_OK ? rc : dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
}

/* ---- public: building ------------------------------------------------- */

int dp_corpus_create(dp_corpus **out, const dp_corpus_opts *opts)
{
    dp_corpus *c = calloc(1, sizeof *c);
    if (!c)
        return DOPPEL_ERR_NOMEM;
    if (opts)
        c->opts = *opts;
    if (!c->opts.max_bytes)
        c->opts.max_bytes = DP_CORPUS_DEFAULT_MAX_BYTES;
    c->unit_last = UINT64_MAX;
    *out = c;
    return DOPPEL_OK;
}

void dp_corpus_free(dp_corpus *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_entries; i++) {
        free(c->entries[i].id);
        free(c->entries[i].reason);
        strvec_free(&c->entries[i].files);
        free(c->entries[i].chunk_at);
    }
    free(c->entries);
    free(c->acc);
    for (size_t i = 0; i < c->n_parts; i++)
        free(c->parts[i].path);
    free(c->parts);
    if (c->jf)
        fclose(c->jf);
    free(c->line);
    dp_idset_free(&c->ids);
    free(c);
}

int dp_corpus_add_path(dp_corpus *c, const char *path, doppel_diag *diag)
{
    return add_one(c, path, true, diag);
}

/* The paths on the lines of f that start in bytes [lo, hi) (hi UINT64_MAX: to the end),
 * added as a --list's lines are; entries it adds are marked listed. */
static int add_lines(dp_corpus *c, FILE *f, uint64_t lo, uint64_t hi, doppel_diag *diag)
{
    uint64_t at = 0;
    if (lo > 0) { /* from the byte before: the line that ends there is not this range's */
        if (fseeko(f, (off_t)(lo - 1), SEEK_SET) != 0)
            return dp_diag_errno(diag, errno, "cannot seek");
        int ch;
        at = lo - 1;
        while ((ch = getc(f)) != EOF && (at++, ch != '\n'))
            ;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = DOPPEL_OK;
    while (rc == DOPPEL_OK && at < hi && (n = getline(&line, &cap, f)) >= 0) {
        at += (uint64_t)n;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        size_t before = c->n_entries;
        if (n > 0)
            rc = add_one(c, line, false, diag);
        for (size_t i = before; i < c->n_entries; i++)
            c->entries[i].listed = true;
    }
    if (rc == DOPPEL_OK && ferror(f))
        rc = dp_diag_errno(diag, errno, "read failed");
    free(line);
    return rc;
}

int dp_corpus_add_list(dp_corpus *c, const char *list_path, doppel_diag *diag)
{
    size_t at;
    return dp_corpus_add_lists(c, &list_path, 1, 0, 1, &at, diag);
}

/* List i's size, into *size, checking that it can be read. */
static int list_size(const char *path, uint64_t *size, doppel_diag *diag)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return dp_diag_errno(diag, errno, "cannot open");
    if (!S_ISREG(st.st_mode)) /* a pipe is read once (and its open would wait for a writer) */
        return dp_diag_set(diag, DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS,
                           "not a regular file: the processes cannot share its lines");
    FILE *f = fopen(path, "r");
    if (!f)
        return dp_diag_errno(diag, errno, "cannot open");
    fclose(f);
    *size = (uint64_t)st.st_size;
    return DOPPEL_OK;
}

int dp_corpus_add_lists(dp_corpus *c, const char *const *lists, size_t n_lists, size_t k, size_t n,
                        size_t *at, doppel_diag *diag)
{
    uint64_t total = 0, *size = calloc(n_lists ? n_lists : 1, sizeof *size);
    if (!size)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int rc = DOPPEL_OK;
    for (size_t i = 0; i < n_lists && n > 1 && rc == DOPPEL_OK; i++) /* one process reads every line */
        if ((rc = list_size(lists[*at = i], &size[i], diag)) == DOPPEL_OK)
            total += size[i];
    uint64_t lo = total * k / n, hi = total * (k + 1) / n, off = 0;
    for (size_t i = 0; i < n_lists && rc == DOPPEL_OK; off += size[i++]) {
        if (n > 1 && (hi <= off || lo >= off + size[i]))
            continue; /* no line of it starts in the range */
        FILE *f = fopen(lists[*at = i], "r");
        if (!f) {
            rc = dp_diag_errno(diag, errno, "cannot open");
            break;
        }
        uint64_t a = lo > off ? lo - off : 0, b = hi - off;
        rc = n == 1 ? add_lines(c, f, 0, UINT64_MAX, diag) : add_lines(c, f, a, b < size[i] ? b : size[i], diag);
        fclose(f);
    }
    free(size);
    return rc;
}

int dp_corpus_add_jsonl(dp_corpus *c, const char *jsonl_path, doppel_diag *diag)
{
    FILE *f = fopen(jsonl_path, "r");
    if (!f)
        return dp_diag_errno(diag, errno, "cannot open");
    fclose(f);
    int rc = add_entry(c, E_JSONL, jsonl_path, NULL, NULL);
    return rc == DOPPEL_OK ? rc : dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
}

/* ---- sniffing --------------------------------------------------------- */

static bool is_space(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v';
}

const char *dp_corpus_sniff(const char *bytes, size_t len)
{
    const unsigned char *p = (const unsigned char *)bytes;
    if (len == 0)
        return "empty";
    /* Byte-order marks (longest first: UTF-32LE starts like UTF-16LE). */
    static const struct {
        const char *bom;
        size_t n;
    } boms[] = {{"\xFF\xFE\0\0", 4}, {"\0\0\xFE\xFF", 4}, {"\xEF\xBB\xBF", 3},
                {"\xFF\xFE", 2},     {"\xFE\xFF", 2}};
    for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
        if (len >= boms[i].n && memcmp(p, boms[i].bom, boms[i].n) == 0)
            return len == boms[i].n ? "empty" : NULL;
    size_t n = len < DP_CORPUS_SNIFF_BYTES ? len : DP_CORPUS_SNIFF_BYTES;
    size_t nul[2] = {0, 0}, ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == 0)
            nul[i & 1]++;
        else if (p[i] < 0x20 && !is_space(p[i]) && p[i] != 0x1B)
            ctrl++;
    }
    size_t even = (n + 1) / 2, odd = n / 2;
    /* UTF-16 without a mark: ASCII-range text puts a NUL in every other byte. */
    bool utf16 = n >= 4 && ((nul[0] * 10 >= even * 3 && nul[1] * 100 <= odd) ||
                            (nul[1] * 10 >= odd * 3 && nul[0] * 100 <= even));
    if (utf16)
        return NULL;
    /* A stray NUL per KiB is tolerated (some editors leave one); more is binary. */
    if ((nul[0] + nul[1]) * 1024 > n || ctrl * 10 > n)
        return "binary";
    for (size_t i = 0; i < len; i++)
        if (!is_space(p[i]))
            return NULL;
    return "empty";
}

bool dp_doc_locate(const dp_doc_part *parts, size_t n_parts, uint64_t off, size_t *part,
                   uint64_t *file_off)
{
    size_t lo = 0, hi = n_parts;
    while (lo < hi) { /* first part starting after off */
        size_t mid = lo + (hi - lo) / 2;
        if (parts[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || off >= parts[lo - 1].start + parts[lo - 1].len)
        return false;
    *part = lo - 1;
    *file_off = off - parts[lo - 1].start;
    return true;
}

size_t dp_corpus_planned(const dp_corpus *c, bool *exact)
{
    size_t n = 0;
    *exact = true;
    for (size_t i = c->cursor; i < c->n_entries; i++) {
        n += c->entries[i].kind == E_FILE || c->entries[i].kind == E_SUBMISSION;
        if (c->entries[i].kind == E_JSONL)
            *exact = false;
    }
    return n;
}

/* ---- iterating -------------------------------------------------------- */

void dp_corpus_item_clear(dp_corpus_item *item)
{
    free(item->id);
    free(item->reason);
    free(item->bytes);
    for (size_t i = 0; i < item->n_parts; i++)
        free(item->parts[i].path);
    free(item->parts);
    free(item->where);
    memset(item, 0, sizeof *item);
}

static int set_skipped(dp_corpus_item *item, const char *id, const char *reason)
{
    item->kind = DP_CORPUS_SKIPPED;
    item->id = strdup(id);
    item->reason = strdup(reason);
    if (!item->id || !item->reason) {
        dp_corpus_item_clear(item);
        return DOPPEL_ERR_NOMEM;
    }
    return DOPPEL_OK;
}

static int set_too_large(dp_corpus_item *item, const char *id, size_t max)
{
    char r[80];
    snprintf(r, sizeof r, "larger than %zu bytes (--max-bytes)", max);
    return set_skipped(item, id, r);
}

/* Reads a file of at most `max` bytes. A bad file is not an error: *bytes is NULL
 * and *reason (malloc'd) says why. */
static int read_doc(const dp_corpus *c, const char *path, size_t max, char **bytes, size_t *len,
                    char **reason)
{
    doppel_diag d;
    dp_diag_clear(&d);
    *bytes = *reason = NULL;
    const char *why;
    bool handled = false;
    int rc = c->opts.read ? c->opts.read(c->opts.read_ctx, path, max, bytes, len, reason, &handled) : DOPPEL_OK;
    if (handled && (rc != DOPPEL_OK || *reason))
        return rc;
    if (!handled)
        rc = dp_read_file(path, max, bytes, len, &d);
    if (rc == DOPPEL_ERR_NOMEM)
        return rc;
    if (rc == DOPPEL_ERR_TOO_LARGE) {
        char r[80];
        snprintf(r, sizeof r, "larger than %zu bytes (--max-bytes)", max);
        *reason = strdup(r);
    } else if (rc != DOPPEL_OK) {
        *reason = concat("unreadable: ", d.message);
    } else if ((why = dp_corpus_sniff(*bytes, *len)) || (c->opts.reject && (why = c->opts.reject(*bytes, *len)))) {
        free(*bytes);
        *bytes = NULL;
        *reason = strdup(why);
    } else {
        return DOPPEL_OK;
    }
    return *reason ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
}

/* Resets the by-dir accumulator for the next submission. */
static void sub_reset(dp_corpus *c)
{
    for (size_t i = 0; i < c->n_parts; i++)
        free(c->parts[i].path);
    c->n_parts = 0;
    c->acc_len = 0;
    c->sub_pos = 0;
    c->oversized = false;
    c->left_out[0] = '\0';
}

/* Appends one file to the submission being joined. */
static int sub_append(dp_corpus *c, const char *path, const char *bytes, size_t len)
{
    size_t sep = c->n_parts ? strlen(DP_CORPUS_PART_SEPARATOR) : 0;
    if (c->acc_len + sep + len > c->opts.max_bytes) {
        c->oversized = true;
        return DOPPEL_OK;
    }
    if (dp_grow((void **)&c->acc, &c->acc_cap, c->acc_len + sep + len + 1, 1) ||
        dp_grow((void **)&c->parts, &c->cap_parts, c->n_parts + 1, sizeof *c->parts))
        return DOPPEL_ERR_NOMEM;
    char *p = strdup(path);
    if (!p)
        return DOPPEL_ERR_NOMEM;
    memcpy(c->acc + c->acc_len, DP_CORPUS_PART_SEPARATOR, sep);
    c->acc_len += sep;
    memcpy(c->acc + c->acc_len, bytes, len);
    c->parts[c->n_parts++] = (dp_doc_part){p, c->acc_len, len};
    c->acc_len += len;
    c->acc[c->acc_len] = '\0';
    return DOPPEL_OK;
}

/* Adds the format of `path` (its extension, or "files without an extension") to the
 * list `list` unless it is there: what a submission left without text was made of. */
static void note_format(char *list, size_t cap, const char *path)
{
    const char *base = strrchr(path, '/'), *dot;
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    const char *fmt = dot && dot != base ? dot : "files without an extension";
    size_t n = strlen(fmt), at = strlen(list);
    for (const char *p = list; (p = strstr(p, fmt)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return;
    if (at + n + 3 < cap)
        snprintf(list + at, cap - at, "%s%s", at ? ", " : "", fmt);
}

/* The next item of a submission: a skipped file of it, or the whole submission. */
static int next_submission(dp_corpus *c, const entry *e, dp_corpus_item *item, bool *done)
{
    while (c->sub_pos < e->files.n && !c->oversized) {
        const char *path = e->files.v[c->sub_pos++];
        char *bytes, *reason;
        size_t len;
        int rc = read_doc(c, path, c->opts.max_bytes, &bytes, &len, &reason);
        if (rc != DOPPEL_OK)
            return rc;
        if (reason) {
            note_format(c->left_out, sizeof c->left_out, path);
            rc = set_skipped(item, path, reason);
            item->in_submission = true;
            free(reason);
            return rc;
        }
        rc = sub_append(c, path, bytes, len);
        free(bytes);
        if (rc != DOPPEL_OK)
            return rc;
    }
    *done = true;
    int rc;
    if (c->oversized) {
        rc = set_too_large(item, e->id, c->opts.max_bytes);
    } else if (c->n_parts == 0 && c->left_out[0]) {
        char why[320];
        snprintf(why, sizeof why, "no text doppel can read: its files are %s; doppel reads plain text "
                                  "(UTF-8, UTF-16 with a BOM, Windows-1252)", c->left_out);
        rc = set_skipped(item, e->id, why);
    } else if (c->n_parts == 0) {
        rc = set_skipped(item, e->id, "empty: no text files");
    } else {
        item->kind = DP_CORPUS_DOC;
        item->is_path = true;
        item->id = strdup(e->id);
        item->bytes = malloc(c->acc_len + 1);
        item->parts = malloc(c->n_parts * sizeof *item->parts);
        if (!item->id || !item->bytes || !item->parts) {
            dp_corpus_item_clear(item);
            rc = DOPPEL_ERR_NOMEM;
        } else {
            memcpy(item->bytes, c->acc, c->acc_len + 1);
            item->len = c->acc_len;
            memcpy(item->parts, c->parts, c->n_parts * sizeof *item->parts);
            item->n_parts = c->n_parts;
            c->n_parts = 0; /* the paths moved to the item */
            rc = DOPPEL_OK;
        }
    }
    sub_reset(c);
    return rc;
}

/* A malformed --jsonl line: skipped as FILE:LINE. */
static int jsonl_bad(const char *file, uint64_t lineno, dp_corpus_item *item, const char *why)
{
    char id[32];
    snprintf(id, sizeof id, ":%llu", (unsigned long long)lineno);
    char *full = concat(file, id);
    char *reason = concat("malformed line: ", why);
    int rc = full && reason ? set_skipped(item, full, reason) : DOPPEL_ERR_NOMEM;
    free(full);
    free(reason);
    return rc;
}

int dp_corpus_jsonl_line(const char *line, size_t len, const char *file, uint64_t lineno, size_t max_bytes,
                         dp_corpus_item *item)
{
    if (max_bytes == 0)
        max_bytes = DP_CORPUS_DEFAULT_MAX_BYTES;
    while (len > 0 && is_space((unsigned char)line[len - 1]))
        len--;
    size_t lead = 0;
    while (lead < len && is_space((unsigned char)line[lead]))
        lead++;
    if (lead == len) {
        item->kind = DP_CORPUS_END;
        return DOPPEL_OK;
    }
    json_error_t jerr;
    json_t *o = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    if (!o)
        return jsonl_bad(file, lineno, item, jerr.text);
    json_t *id = json_object_get(o, "id"), *text = json_object_get(o, "text");
    int rc;
    char num[32];
    const char *ids = json_is_string(id) ? json_string_value(id) : NULL;
    if (json_is_integer(id)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(id));
        ids = num;
    }
    if (!json_is_object(o) || !ids)
        rc = jsonl_bad(file, lineno, item, "no string or integer \"id\"");
    else if (json_is_string(id) && (*ids == '\0' || strlen(ids) != json_string_length(id)))
        rc = jsonl_bad(file, lineno, item, "\"id\" is empty or holds a NUL");
    else if (!json_is_string(text))
        rc = jsonl_bad(file, lineno, item, "no string \"text\"");
    else if (json_string_length(text) > max_bytes)
        rc = set_too_large(item, ids, max_bytes);
    else {
        const char *t = json_string_value(text);
        size_t tl = json_string_length(text);
        const char *why = dp_corpus_sniff(t, tl);
        if (why) {
            rc = set_skipped(item, ids, why);
        } else {
            item->kind = DP_CORPUS_DOC;
            item->id = strdup(ids);
            item->bytes = malloc(tl + 1);
            rc = DOPPEL_OK;
            if (!item->id || !item->bytes) {
                dp_corpus_item_clear(item);
                rc = DOPPEL_ERR_NOMEM;
            } else {
                memcpy(item->bytes, t, tl + 1);
                item->len = tl;
            }
        }
    }
    json_decref(o);
    return rc;
}

/* The longest --jsonl line read: a text of max_bytes bytes written with \uXXXX
 * escapes (6 bytes per byte), plus room for the id. Longer lines are skipped
 * without being held, so one huge line cannot exhaust memory. */
static size_t jsonl_line_cap(size_t max_bytes)
{
    return max_bytes > (SIZE_MAX - 65536) / 6 ? SIZE_MAX : 6 * max_bytes + 65536;
}

/* Reads one line (line end included) into c->line, holding at most `cap` bytes:
 * *n is its full length, *kept what is held (< *n when it was too long).
 * *n is 0 at the end of the file or on a read error. */
static int read_line(dp_corpus *c, size_t cap, size_t *n, size_t *kept)
{
    size_t len = 0, total = 0;
    int ch, rc = DOPPEL_OK;
    flockfile(c->jf);
    while ((ch = getc_unlocked(c->jf)) != EOF) {
        if (len < cap && rc == DOPPEL_OK) {
            /* never past the line's limit: a long line does not double beyond it */
            if (len + 2 > c->line_cap)
                rc = dp_grow_in((void **)&c->line, &c->line_cap, len + 2, 1, 4096, cap + 1);
            if (rc == DOPPEL_OK)
                c->line[len++] = (char)ch;
        }
        total++;
        if (ch == '\n')
            break;
    }
    funlockfile(c->jf);
    if (c->line)
        c->line[len] = '\0';
    *n = total, *kept = len;
    return rc;
}

static bool unit_owned(const dp_corpus *c, uint64_t u) { return u >= c->unit_first && u < c->unit_last; }

/* At the start of the chunk of e holding line `line` (0-based, in a file just opened): the
 * first line that starts in its bytes, the lines before it passed over unread. */
static int seek_chunk(dp_corpus *c, const entry *e, uint64_t line)
{
    size_t k = 0;
    while (k + 1 < e->n_chunks && e->chunk_at[k + 1] <= line)
        k++;
    uint64_t start = e->bytes * k / e->n_chunks;
    if (start > 0) { /* from the byte before: the line that ends there is not this chunk's */
        if (fseeko(c->jf, (off_t)(start - 1), SEEK_SET) != 0)
            return DOPPEL_ERR_IO;
        int ch;
        while ((ch = getc(c->jf)) != EOF && ch != '\n')
            ;
    }
    c->lineno = e->chunk_at[k];
    c->unit += e->chunk_at[k];
    return DOPPEL_OK;
}

/* The line just read (kept bytes of it) as a pending document, for load to
 * parse; DP_CORPUS_END when it is blank, as dp_corpus_jsonl_line says. */
static int pend_line(dp_corpus *c, size_t kept, dp_corpus_item *item)
{
    size_t i = 0;
    while (i < kept && is_space((unsigned char)c->line[i]))
        i++;
    if (i == kept) {
        item->kind = DP_CORPUS_END;
        return DOPPEL_OK;
    }
    if (!(item->bytes = malloc(kept + 1)))
        return DOPPEL_ERR_NOMEM;
    memcpy(item->bytes, c->line, kept + 1);
    item->len = kept;
    item->kind = DP_CORPUS_DOC, item->pending = true;
    return DOPPEL_OK;
}

/* The next document or skipped line of a --jsonl file; *done at its end. */
static int next_jsonl(dp_corpus *c, const entry *e, dp_corpus_item *item, bool *done, bool unread,
                      doppel_diag *diag)
{
    if (!c->jf) {
        uint64_t base = c->unit, lines = e->chunk_at ? e->chunk_at[e->n_chunks] : 0;
        if (e->chunk_at && base + lines <= c->unit_first) { /* wholly another process's: unread */
            c->unit += lines;
            *done = true;
            item->kind = DP_CORPUS_END;
            return DOPPEL_OK;
        }
        c->jf = fopen(e->id, "r");
        c->lineno = 0;
        if (c->jf && e->chunk_at && c->unit_first > base && seek_chunk(c, e, c->unit_first - base) != DOPPEL_OK) {
            fclose(c->jf);
            c->jf = NULL;
            *done = true;
            return dp_diag_set(diag, DOPPEL_ERR_IO, DP_NO_POS, DP_NO_POS, "%s: cannot seek: %s", e->id, strerror(errno));
        }
        if (!c->jf) {
            *done = true;
            if (!unit_owned(c, c->unit++)) { /* another process's unit */
                item->kind = DP_CORPUS_END;
                return DOPPEL_OK;
            }
            char *r = concat("unreadable: ", strerror(errno));
            int rc = r ? set_skipped(item, e->id, r) : DOPPEL_ERR_NOMEM;
            free(r);
            return rc;
        }
    }
    size_t cap = jsonl_line_cap(c->opts.max_bytes);
    for (;;) {
        size_t n, kept;
        if (c->unit >= c->unit_last) { /* the rest is another process's */
            item->kind = DP_CORPUS_END;
            return DOPPEL_OK;
        }
        if (read_line(c, cap, &n, &kept) != DOPPEL_OK)
            return DOPPEL_ERR_NOMEM;
        if (n == 0) {
            int err = ferror(c->jf) ? errno : 0;
            fclose(c->jf);
            c->jf = NULL;
            *done = true;
            if (err) {
                dp_diag_set(diag, DOPPEL_ERR_IO, DP_NO_POS, c->lineno + 1, "%s: read failed: %s",
                            e->id, strerror(err));
                if (diag)
                    diag->sys_errno = err;
                return DOPPEL_ERR_IO;
            }
            item->kind = DP_CORPUS_END;
            return DOPPEL_OK;
        }
        c->lineno++;
        if (!unit_owned(c, c->unit++))
            continue;
        if (kept < n) {
            char id[32];
            snprintf(id, sizeof id, ":%llu", (unsigned long long)c->lineno);
            char *full = concat(e->id, id);
            int rc = full ? set_too_large(item, full, c->opts.max_bytes) : DOPPEL_ERR_NOMEM;
            free(full);
            return rc;
        }
        int rc = unread ? pend_line(c, kept, item)
                               : dp_corpus_jsonl_line(c->line, kept, e->id, c->lineno, c->opts.max_bytes, item);
        if (rc == DOPPEL_OK && item->kind == DP_CORPUS_DOC)
            item->jsonl = e->id, item->lineno = c->lineno;
        if (rc != DOPPEL_OK || item->kind != DP_CORPUS_END)
            return rc;
    }
}

typedef struct real_file {
    dev_t dev;
    ino_t ino;
    size_t entry;
} real_file;

static int by_inode(const void *x, const void *y)
{
    const real_file *a = x, *b = y;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

/* e, a file or submission, as a skipped entry: another name of the file `first` is. */
static int same_file(entry *e, const char *first)
{
    char *reason = concat("the same file as ", first);
    if (!reason)
        return DOPPEL_ERR_NOMEM;
    free(e->reason);
    strvec_free(&e->files);
    e->kind = E_SKIP, e->reason = reason, e->has_ino = false, e->duplicate = true;
    return DOPPEL_OK;
}

/* One document per real file: an entry whose file or directory an earlier entry already
 * is (named twice, or reached through a symlink) becomes a skipped one. */
static int dedupe(dp_corpus *c)
{
    real_file *r = malloc((c->n_entries ? c->n_entries : 1) * sizeof *r);
    if (!r)
        return DOPPEL_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < c->n_entries; i++)
        if (c->entries[i].has_ino)
            r[n++] = (real_file){c->entries[i].dev, c->entries[i].ino, i};
    qsort(r, n, sizeof *r, by_inode);
    int rc = DOPPEL_OK;
    for (size_t i = 1; i < n && rc == DOPPEL_OK; i++) {
        if (r[i].dev != r[i - 1].dev || r[i].ino != r[i - 1].ino)
            continue;
        size_t first = i - 1;
        while (first > 0 && r[first - 1].dev == r[i].dev && r[first - 1].ino == r[i].ino)
            first--;
        rc = same_file(&c->entries[r[i].entry], c->entries[r[first].entry].id);
    }
    free(r);
    return rc;
}

uint64_t dp_corpus_listed_units(const dp_corpus *c)
{
    uint64_t n = 0;
    for (size_t i = 0; i < c->n_entries; i++)
        n += c->entries[i].listed;
    return n;
}

int dp_corpus_listed_files(dp_corpus *c, dp_corpus_file **files, size_t *n)
{
    *files = NULL, *n = 0;
    if (!c->deduped && dedupe(c))
        return DOPPEL_ERR_NOMEM;
    c->deduped = true;
    dp_corpus_file *f = malloc((c->n_entries ? c->n_entries : 1) * sizeof *f);
    if (!f)
        return DOPPEL_ERR_NOMEM;
    uint64_t unit = 0;
    for (size_t i = 0; i < c->n_entries; i++) {
        const entry *e = &c->entries[i];
        if (!e->listed)
            continue;
        if (e->has_ino)
            f[(*n)++] = (dp_corpus_file){(uint64_t)e->dev, (uint64_t)e->ino, e->id, unit};
        unit++;
    }
    *files = f;
    return DOPPEL_OK;
}

int dp_corpus_same_file(dp_corpus *c, uint64_t unit, const char *first)
{
    for (size_t i = 0; i < c->n_entries; i++)
        if (c->entries[i].listed && unit-- == 0)
            return c->entries[i].has_ino ? same_file(&c->entries[i], first) : DOPPEL_OK;
    return DOPPEL_OK;
}

static int next_item(dp_corpus *c, dp_corpus_item *item, bool unread, doppel_diag *diag);
static int settle(dp_corpus *c, dp_corpus_item *item, doppel_diag *diag);

void dp_corpus_duplicate_reason(char *buf, size_t size, const char *id, const char *first)
{
    snprintf(buf, size, "duplicate id \"%s\" (first at %s)", id, first);
}

/* dp_corpus_next, or with unread dp_corpus_next_unread. */
static int next(dp_corpus *c, dp_corpus_item *item, bool unread, doppel_diag *diag)
{
    if (!c->deduped) {
        if (dedupe(c))
            return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
        c->deduped = true;
    }
    int rc = next_item(c, item, unread, diag);
    return rc || item->pending ? rc : settle(c, item, diag);
}

int dp_corpus_next(dp_corpus *c, dp_corpus_item *item, doppel_diag *diag) { return next(c, item, false, diag); }

int dp_corpus_next_unread(dp_corpus *c, dp_corpus_item *item, doppel_diag *diag)
{
    return next(c, item, true, diag);
}

/* A pending item read: what dp_corpus_next would have yielded, but for the repeated id
 * (settle). Only reads c. */
static int load(const dp_corpus *c, dp_corpus_item *item)
{
    dp_corpus_item got = {0};
    int rc;
    if (item->jsonl) {
        rc = dp_corpus_jsonl_line(item->bytes, item->len, item->jsonl, item->lineno, c->opts.max_bytes, &got);
        got.jsonl = item->jsonl, got.lineno = item->lineno;
    } else {
        char *reason;
        rc = read_doc(c, item->id, c->opts.max_bytes, &got.bytes, &got.len, &reason);
        if (rc == DOPPEL_OK && reason)
            rc = set_skipped(&got, item->id, reason);
        else if (rc == DOPPEL_OK)
            got.kind = DP_CORPUS_DOC, got.is_path = true, got.id = item->id, item->id = NULL;
        free(reason);
    }
    dp_corpus_item_clear(item);
    if (rc != DOPPEL_OK)
        dp_corpus_item_clear(&got);
    *item = got;
    return rc;
}

/* Pending items taken in turn by the workers of dp_corpus_load_many. */
typedef struct load_job {
    const dp_corpus *c;
    dp_corpus_item *items;
    const size_t *which;
    size_t n;
    atomic_size_t *next;
    atomic_int *rc;
} load_job;

static void *load_worker(void *arg)
{
    load_job *j = arg;
    for (size_t i; (i = atomic_fetch_add(j->next, 1)) < j->n;)
        if (load(j->c, &j->items[j->which[i]]))
            atomic_store(j->rc, DOPPEL_ERR_NOMEM);
    return NULL;
}

int dp_corpus_load_many(dp_corpus *c, dp_corpus_item *items, size_t n, size_t threads, doppel_diag *diag)
{
    size_t *which = malloc((n ? n : 1) * sizeof *which), m = 0;
    if (!which)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    for (size_t i = 0; i < n; i++)
        if (items[i].pending)
            which[m++] = i;
    atomic_size_t at = 0;
    atomic_int rc = DOPPEL_OK;
    load_job jobs[DP_WORKERS_MAX];
    size_t workers = threads < 1 ? 1 : threads > DP_WORKERS_MAX ? DP_WORKERS_MAX : threads;
    if (workers > m)
        workers = m;
    for (size_t w = 0; w < workers; w++)
        jobs[w] = (load_job){c, items, which, m, &at, &rc};
    dp_workers_run(jobs, sizeof *jobs, workers, load_worker);
    int out = atomic_load(&rc);
    for (size_t k = 0; k < m && !out; k++)
        out = settle(c, &items[which[k]], diag);
    free(which);
    return out == DOPPEL_ERR_NOMEM ? dp_diag_set(diag, out, DP_NO_POS, DP_NO_POS, NULL) : out;
}

/* A document yielded (loaded) in turn: a repeated id becomes a skipped entry, or with
 * ids_elsewhere the item gets its where. */
static int settle(dp_corpus *c, dp_corpus_item *item, doppel_diag *diag)
{
    if (item->kind != DP_CORPUS_DOC)
        return DOPPEL_OK;
    /* a --jsonl document is named by its line, any other by its id */
    char *at = NULL;
    if (item->jsonl) {
        char line[32];
        snprintf(line, sizeof line, ":%llu", (unsigned long long)item->lineno);
        if (!(at = concat(item->jsonl, line)))
            return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    }
    if (c->opts.ids_elsewhere) { /* the caller checks them, told where each was read */
        if (!(item->where = at ? at : strdup(item->id)))
            return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
        return DOPPEL_OK;
    }
    const char *first;
    int rc = dp_idset_add(&c->ids, item->id, at ? at : item->id, &first);
    if (!rc && first) {
        size_t n = strlen(item->id) + strlen(first) + 64;
        char *reason = malloc(n), *id = at ? at : strdup(item->id);
        at = NULL;
        if (reason && id) {
            dp_corpus_duplicate_reason(reason, n, item->id, first);
            dp_corpus_item_clear(item);
            item->kind = DP_CORPUS_SKIPPED, item->id = id, item->reason = reason, item->duplicate = true;
        } else {
            free(reason), free(id);
            rc = DOPPEL_ERR_NOMEM;
        }
    }
    free(at);
    return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
}

static int next_item(dp_corpus *c, dp_corpus_item *item, bool unread, doppel_diag *diag)
{
    dp_corpus_item_clear(item);
    while (c->cursor < c->n_entries && c->unit < c->unit_last) {
        const entry *e = &c->entries[c->cursor];
        bool done = false;
        int rc = DOPPEL_OK;
        if (e->kind != E_JSONL && !unit_owned(c, c->unit)) { /* passed over unread */
            c->cursor++, c->unit++;
            continue;
        }
        switch (e->kind) {
        case E_SKIP:
            rc = set_skipped(item, e->id, e->reason);
            item->duplicate = e->duplicate;
            done = true;
            break;
        case E_FILE: {
            char *reason;
            done = true;
            if (unread) { /* dp_corpus_load_many reads it */
                item->kind = DP_CORPUS_DOC, item->pending = true, item->is_path = true;
                if (!(item->id = strdup(e->id)))
                    rc = DOPPEL_ERR_NOMEM;
                break;
            }
            rc = read_doc(c, e->id, c->opts.max_bytes, &item->bytes, &item->len, &reason);
            if (rc == DOPPEL_OK && reason) {
                rc = set_skipped(item, e->id, reason);
                free(reason);
            } else if (rc == DOPPEL_OK) {
                item->kind = DP_CORPUS_DOC;
                item->is_path = true;
                if (!(item->id = strdup(e->id))) {
                    dp_corpus_item_clear(item);
                    rc = DOPPEL_ERR_NOMEM;
                }
            }
            break;
        }
        case E_SUBMISSION:
            rc = next_submission(c, e, item, &done);
            break;
        case E_JSONL:
            rc = next_jsonl(c, e, item, &done, unread, diag);
            break;
        }
        if (done) {
            c->cursor++;
            c->unit += e->kind != E_JSONL;
        }
        if (rc != DOPPEL_OK)
            return rc == DOPPEL_ERR_NOMEM ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL)
                                          : rc;
        if (item->kind != DP_CORPUS_END)
            return DOPPEL_OK;
    }
    item->kind = DP_CORPUS_END;
    return DOPPEL_OK;
}

/* ---- a share of the corpus -------------------------------------------- */

int dp_corpus_count_units(const dp_corpus *c, uint64_t *n)
{
    uint64_t units = 0;
    char buf[65536];
    for (size_t i = 0; i < c->n_entries; i++) {
        if (c->entries[i].chunk_at) { /* counted chunk by chunk already */
            units += c->entries[i].chunk_at[c->entries[i].n_chunks];
            continue;
        }
        FILE *f = c->entries[i].kind == E_JSONL ? fopen(c->entries[i].id, "r") : NULL;
        if (!f) { /* an entry, or a --jsonl file that cannot be read (one skipped unit) */
            units++;
            continue;
        }
        size_t got;
        char last = '\n';
        while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
            for (const char *p = buf; (p = memchr(p, '\n', got - (size_t)(p - buf))); p++)
                units++;
            last = buf[got - 1];
        }
        units += last != '\n'; /* a last line without its line end */
        int err = ferror(f);
        fclose(f);
        if (err)
            return DOPPEL_ERR_IO;
    }
    *n = units;
    return DOPPEL_OK;
}

void dp_corpus_restrict(dp_corpus *c, uint64_t first, uint64_t last)
{
    c->unit_first = first;
    c->unit_last = last;
}

size_t dp_corpus_jsonl_count(const dp_corpus *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_entries; i++)
        n += c->entries[i].kind == E_JSONL;
    return n;
}

/* The lines that start in bytes [lo, hi) of f (a line starts at byte 0 and after each
 * line end short of the file's end), reading bytes [lo - 1, hi) only; UINT64_MAX when
 * they cannot be read. */
static uint64_t lines_starting(FILE *f, uint64_t lo, uint64_t hi, uint64_t bytes)
{
    if (lo >= hi)
        return 0;
    uint64_t n = lo == 0, at = lo ? lo - 1 : 0;
    char buf[65536];
    if (fseeko(f, (off_t)at, SEEK_SET) != 0)
        return UINT64_MAX;
    while (at + 1 < hi) { /* a line end at byte q starts a line at q + 1 */
        size_t want = hi - 1 - at < sizeof buf ? (size_t)(hi - 1 - at) : sizeof buf;
        size_t got = fread(buf, 1, want, f);
        if (got == 0)
            return UINT64_MAX;
        for (const char *p = buf; (p = memchr(p, '\n', got - (size_t)(p - buf))); p++)
            n += at + (uint64_t)(p - buf) + 1 < bytes;
        at += got;
    }
    return n;
}

void dp_corpus_chunk_lines(const dp_corpus *c, size_t k, size_t n, uint64_t *lines)
{
    size_t j = 0;
    for (size_t i = 0; i < c->n_entries; i++) {
        if (c->entries[i].kind != E_JSONL)
            continue;
        FILE *f = fopen(c->entries[i].id, "r");
        struct stat st;
        lines[j] = UINT64_MAX;
        if (f && fstat(fileno(f), &st) == 0) {
            uint64_t b = (uint64_t)st.st_size;
            lines[j] = lines_starting(f, b * k / n, b * (k + 1) / n, b);
        }
        if (f)
            fclose(f);
        j++;
    }
}

int dp_corpus_set_chunks(dp_corpus *c, size_t n, const uint64_t *lines)
{
    size_t nj = dp_corpus_jsonl_count(c), j = 0;
    for (size_t i = 0; i < c->n_entries; i++) {
        entry *e = &c->entries[i];
        if (e->kind != E_JSONL)
            continue;
        struct stat st;
        bool ok = stat(e->id, &st) == 0;
        for (size_t k = 0; k < n && ok; k++)
            ok = lines[k * nj + j] != UINT64_MAX;
        j++;
        if (!ok) /* read as a whole where it is needed (or skipped as unreadable) */
            continue;
        if (!(e->chunk_at = malloc((n + 1) * sizeof *e->chunk_at)))
            return DOPPEL_ERR_NOMEM;
        e->chunk_at[0] = 0;
        for (size_t k = 0; k < n; k++)
            e->chunk_at[k + 1] = e->chunk_at[k] + lines[k * nj + (j - 1)];
        e->n_chunks = n, e->bytes = (uint64_t)st.st_size;
    }
    return DOPPEL_OK;
}
