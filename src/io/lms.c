#include "io/lms.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/grow.h"
#include "core/readfile.h"
#include "doppel.h"
#include "io/zipread.h"

/* One file of an export. */
typedef struct lfile {
    size_t export;   /* which export */
    char *path;      /* inside it */
    dp_lms_file f;
    uint32_t student; /* index into students */
} lfile;

typedef struct export {
    char *path;
    char *bytes; /* a zip's bytes (NULL: a directory) */
    size_t len;
    dp_zip *zip;
} export;

struct dp_lms {
    dp_lms_kind kind;
    bool all_attempts;
    size_t max_bytes;
    dp_io_reader *reader;
    export *exports;
    size_t n_exports, cap_exports;
    lfile *files;
    size_t n_files, cap_files;
    bool sorted;
    size_t cursor;          /* next file to hand out */
    dp_corpus_item *queue;  /* items made, waiting to be handed out */
    size_t n_queue, q_pos, cap_queue;
    uint32_t n_students;
    char **receipt_names; /* Blackboard: pairs of username, full name from the receipts */
    size_t n_receipt_names, cap_receipt_names;
};

int dp_lms_create(dp_lms **l, dp_lms_kind kind, bool all_attempts, size_t max_bytes, dp_io_reader *reader)
{
    *l = calloc(1, sizeof **l);
    if (!*l)
        return DOPPEL_ERR_NOMEM;
    (*l)->kind = kind, (*l)->all_attempts = all_attempts, (*l)->reader = reader;
    (*l)->max_bytes = max_bytes ? max_bytes : DP_CORPUS_DEFAULT_MAX_BYTES;
    return DOPPEL_OK;
}

void dp_lms_free(dp_lms *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_exports; i++) {
        dp_zip_close(l->exports[i].zip);
        free(l->exports[i].bytes), free(l->exports[i].path);
    }
    for (size_t i = 0; i < l->n_files; i++) {
        free(l->files[i].path);
        dp_lms_file_free(&l->files[i].f);
    }
    for (size_t i = l->q_pos; i < l->n_queue; i++)
        dp_corpus_item_clear(&l->queue[i]);
    for (size_t i = 0; i < l->n_receipt_names; i++)
        free(l->receipt_names[i]);
    free(l->exports), free(l->files), free(l->queue), free(l->receipt_names);
    free(l);
}

/* ---- listing an export ------------------------------------------------ */

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_push(names *s, char *str)
{
    if (!str || dp_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v)) {
        free(str);
        return DOPPEL_ERR_NOMEM;
    }
    s->v[s->n++] = str;
    return DOPPEL_OK;
}

static void names_free(names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

/* Regular files under root/rel, as paths relative to root (no symlinked folders). */
static int list_dir(const char *root, const char *rel, names *out, int depth)
{
    char *dir = *rel ? dp_io_printf("%s/%s", root, rel) : strdup(root);
    if (!dir)
        return DOPPEL_ERR_NOMEM;
    DIR *d = opendir(dir);
    int rc = DOPPEL_OK;
    if (!d) {
        free(dir);
        return DOPPEL_ERR_IO;
    }
    struct dirent *de;
    while (rc == DOPPEL_OK && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *sub = *rel ? dp_io_printf("%s/%s", rel, de->d_name) : strdup(de->d_name);
        char *full = sub ? dp_io_printf("%s/%s", root, sub) : NULL;
        struct stat st;
        if (!sub || !full)
            rc = DOPPEL_ERR_NOMEM;
        else if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode) && depth < 8)
            rc = list_dir(root, sub, out, depth + 1);
        else if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            rc = names_push(out, sub);
            sub = NULL;
        }
        free(sub), free(full);
    }
    closedir(d);
    free(dir);
    return rc;
}

/* How many of the names each system's convention reads; the best (auto). */
static dp_lms_kind detect(const names *n)
{
    size_t best = 0;
    dp_lms_kind kind = DP_LMS_AUTO;
    for (dp_lms_kind k = DP_LMS_MOODLE; k <= DP_LMS_BLACKBOARD; k++) {
        size_t hits = 0;
        for (size_t i = 0; i < n->n; i++) {
            dp_lms_file f;
            if (dp_lms_parse(k, n->v[i], &f) == DP_LMS_FILE)
                hits++;
            dp_lms_file_free(&f);
        }
        if (hits > best)
            best = hits, kind = k;
    }
    return kind;
}

/* A Blackboard receipt's "Name: Full Name (username)" line, remembered so that the
 * report names the student rather than the username. */
static int read_receipt(dp_lms *l, const export *e, size_t index, const char *path)
{
    char *bytes = NULL, *why = NULL;
    size_t len;
    int rc;
    if (e->zip) {
        rc = dp_zip_read(e->zip, index, 65536, &bytes, &len, &why);
    } else {
        doppel_diag d;
        char *full = dp_io_printf("%s/%s", e->path, path);
        rc = full ? dp_read_file(full, 65536, &bytes, &len, &d) : DOPPEL_ERR_NOMEM;
        free(full);
    }
    free(why);
    if (rc != DOPPEL_OK) /* an unreadable receipt only loses the full name */
        return rc == DOPPEL_ERR_NOMEM ? rc : DOPPEL_OK;
    const char *line = strncmp(bytes, "Name: ", 6) == 0 ? bytes : strstr(bytes, "\nName: ");
    if (line) {
        line += line[0] == '\n' ? 7 : 6;
        const char *eol = line + strcspn(line, "\r\n");
        const char *open = NULL;
        for (const char *p = line; p < eol; p++)
            if (*p == '(')
                open = p;
        if (open && open > line + 1 && eol[-1] == ')' &&
            !dp_grow((void **)&l->receipt_names, &l->cap_receipt_names, l->n_receipt_names + 2, sizeof(char *))) {
            char *user = dp_io_printf("%.*s", (int)(eol - 1 - open - 1), open + 1);
            char *name = dp_io_printf("%.*s", (int)(open - 1 - line), line);
            if (user && name) {
                l->receipt_names[l->n_receipt_names++] = user;
                l->receipt_names[l->n_receipt_names++] = name;
            } else {
                free(user), free(name);
                rc = DOPPEL_ERR_NOMEM;
            }
        }
    }
    free(bytes);
    return rc;
}

/* The full name a receipt gave this username, or NULL. */
static const char *receipt_name(const dp_lms *l, const char *user)
{
    for (size_t i = 0; i + 1 < l->n_receipt_names; i += 2)
        if (!strcmp(l->receipt_names[i], user))
            return l->receipt_names[i + 1];
    return NULL;
}

int dp_lms_add(dp_lms *l, const char *path, char **why)
{
    *why = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = dp_io_printf("cannot open: %s", strerror(errno));
        return *why ? DOPPEL_ERR_NOT_FOUND : DOPPEL_ERR_NOMEM;
    }
    if (dp_grow((void **)&l->exports, &l->cap_exports, l->n_exports + 1, sizeof *l->exports))
        return DOPPEL_ERR_NOMEM;
    export e = {strdup(path), NULL, 0, NULL};
    names n = {0};
    int rc = e.path ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    if (rc == DOPPEL_OK && S_ISDIR(st.st_mode)) {
        if ((rc = list_dir(path, "", &n, 0)) == DOPPEL_ERR_IO)
            *why = dp_io_printf("cannot read the directory");
    } else if (rc == DOPPEL_OK) {
        doppel_diag d;
        dp_diag_clear(&d);
        rc = dp_read_file(path, (size_t)DP_ZIP_MAX_TOTAL, &e.bytes, &e.len, &d);
        if (rc != DOPPEL_OK && rc != DOPPEL_ERR_NOMEM)
            *why = dp_io_printf("cannot read: %s", d.message);
        if (rc == DOPPEL_OK && (rc = dp_zip_open(&e.zip, e.bytes, e.len, why)) == DOPPEL_OK)
            for (size_t i = 0; i < dp_zip_count(e.zip) && rc == DOPPEL_OK; i++)
                rc = names_push(&n, strdup(dp_zip_name(e.zip, i)));
    }
    dp_lms_kind kind = l->kind;
    if (rc == DOPPEL_OK && kind == DP_LMS_AUTO && (kind = detect(&n)) == DP_LMS_AUTO) {
        *why = dp_io_printf("not recognised as a Moodle, Canvas or Blackboard export (no file named as %s, %s or %s)",
                            dp_lms_convention(DP_LMS_MOODLE), dp_lms_convention(DP_LMS_CANVAS),
                            dp_lms_convention(DP_LMS_BLACKBOARD));
        rc = DOPPEL_ERR_FORMAT;
    }
    for (size_t i = 0; i < n.n && rc == DOPPEL_OK; i++) {
        lfile lf = {l->n_exports, n.v[i], {0}, 0};
        int m = dp_lms_parse(kind, n.v[i], &lf.f);
        if (m < 0 || dp_grow((void **)&l->files, &l->cap_files, l->n_files + 1, sizeof *l->files)) {
            dp_lms_file_free(&lf.f);
            rc = DOPPEL_ERR_NOMEM;
        } else if (m != DP_LMS_IGNORE) { /* unnamed files are kept, to be reported */
            n.v[i] = NULL;
            l->files[l->n_files++] = lf;
        } else if (kind == DP_LMS_BLACKBOARD && strstr(n.v[i], "_attempt_")) {
            rc = read_receipt(l, &e, i, n.v[i]);
        }
    }
    names_free(&n);
    if (rc != DOPPEL_OK) {
        if (!*why && rc != DOPPEL_ERR_NOMEM)
            *why = dp_io_printf("%s", doppel_strerror(rc));
        dp_zip_close(e.zip);
        free(e.bytes), free(e.path);
        return rc;
    }
    l->exports[l->n_exports++] = e;
    l->sorted = false;
    return DOPPEL_OK;
}

/* ---- grouping --------------------------------------------------------- */

/* Unnamed files first, then by student (user id, then name), attempt, path. */
static int by_student(const void *x, const void *y)
{
    const lfile *a = x, *b = y;
    bool ua = !a->f.student, ub = !b->f.student;
    if (ua != ub)
        return ua ? -1 : 1;
    int c = 0;
    if (!ua && !(c = strcmp(a->f.user_id, b->f.user_id)) && !(c = strcmp(a->f.student, b->f.student)))
        c = strcmp(a->f.attempt, b->f.attempt);
    if (!c)
        c = (a->export > b->export) - (a->export < b->export);
    return c ? c : strcmp(a->path, b->path);
}

static bool same_student(const lfile *a, const lfile *b)
{
    return a->f.student && b->f.student && !strcmp(a->f.user_id, b->f.user_id) &&
           !strcmp(a->f.student, b->f.student);
}

static int queue_push(dp_lms *l, dp_corpus_item *it)
{
    if (dp_grow((void **)&l->queue, &l->cap_queue, l->n_queue + 1, sizeof *l->queue)) {
        dp_corpus_item_clear(it);
        return DOPPEL_ERR_NOMEM;
    }
    l->queue[l->n_queue++] = *it;
    memset(it, 0, sizeof *it);
    return DOPPEL_OK;
}

static int queue_skip(dp_lms *l, char *id, char *reason)
{
    dp_corpus_item it = {.kind = DP_CORPUS_SKIPPED, .id = id, .reason = reason};
    if (!id || !reason) {
        free(id), free(reason);
        return DOPPEL_ERR_NOMEM;
    }
    return queue_push(l, &it);
}

/* A file's bytes as text: extracted, or read as they are; NULL text with *reason. */
static int file_text(dp_lms *l, const lfile *f, const char *name, char **text, size_t *len, char **reason)
{
    const export *e = &l->exports[f->export];
    char *raw = NULL;
    size_t n = 0;
    int rc;
    *text = *reason = NULL;
    if (e->zip) {
        long i = dp_zip_find(e->zip, f->path);
        rc = i < 0 ? DOPPEL_ERR_NOT_FOUND : dp_zip_read(e->zip, (size_t)i, 0, &raw, &n, reason);
    } else {
        doppel_diag d;
        dp_diag_clear(&d);
        char *full = dp_io_printf("%s/%s", e->path, f->path);
        rc = full ? dp_read_file(full, DP_EXTRACT_MAX_FILE, &raw, &n, &d) : DOPPEL_ERR_NOMEM;
        free(full);
        if (rc != DOPPEL_OK && rc != DOPPEL_ERR_NOMEM)
            *reason = dp_io_printf("unreadable: %s", d.message);
    }
    if (rc == DOPPEL_ERR_NOMEM)
        return rc;
    if (rc != DOPPEL_OK)
        return *reason ? DOPPEL_OK : (*reason = dp_io_printf("unreadable")) ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    bool handled;
    rc = dp_io_reader_convert(l->reader, name, raw, n, l->max_bytes, text, len, reason, &handled);
    if (rc == DOPPEL_OK && !handled) {
        const char *why = dp_corpus_sniff(raw, n);
        if (why)
            *reason = strdup(why);
        else if (n > l->max_bytes)
            *reason = dp_io_printf("larger than %zu bytes (--max-bytes)", l->max_bytes);
        else
            *text = raw, *len = n, raw = NULL;
        if (!*text && !*reason)
            rc = DOPPEL_ERR_NOMEM;
    }
    free(raw);
    return rc;
}

/* One document of files [from, to) (one student's attempt, or all of a student's). */
static int make_doc(dp_lms *l, size_t from, size_t to, const char *id)
{
    dp_corpus_item it = {.kind = DP_CORPUS_DOC, .id = strdup(id)};
    size_t cap = 0, cap_parts = 0;
    int rc = it.id ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    bool too_large = false;
    for (size_t i = from; i < to && rc == DOPPEL_OK && !too_large; i++) {
        const lfile *f = &l->files[i];
        char *name = dp_io_printf("%s:%s", l->exports[f->export].path, f->path);
        char *text, *reason;
        size_t len = 0;
        if (!name || (rc = file_text(l, f, name, &text, &len, &reason)) != DOPPEL_OK) {
            free(name);
            rc = DOPPEL_ERR_NOMEM;
            break;
        }
        if (reason) {
            rc = queue_skip(l, name, reason);
            continue;
        }
        if ((rc = dp_io_reader_note(l->reader, name)) != DOPPEL_OK) {
            free(name), free(text);
            break;
        }
        size_t sep = it.n_parts ? strlen(DP_CORPUS_PART_SEPARATOR) : 0;
        if (it.len + sep + len > l->max_bytes) {
            too_large = true;
        } else if (dp_grow((void **)&it.bytes, &cap, it.len + sep + len + 1, 1) ||
                   dp_grow((void **)&it.parts, &cap_parts, it.n_parts + 1, sizeof *it.parts)) {
            rc = DOPPEL_ERR_NOMEM;
        } else {
            memcpy(it.bytes + it.len, DP_CORPUS_PART_SEPARATOR, sep);
            it.len += sep;
            memcpy(it.bytes + it.len, text, len);
            it.parts[it.n_parts++] = (dp_doc_part){name, it.len, len};
            it.len += len;
            it.bytes[it.len] = '\0';
            name = NULL;
        }
        free(name), free(text);
    }
    if (rc != DOPPEL_OK) {
        dp_corpus_item_clear(&it);
        return rc;
    }
    if (too_large || it.n_parts == 0) {
        char *why = too_large ? dp_io_printf("larger than %zu bytes (--max-bytes)", l->max_bytes)
                              : strdup("empty: no readable submission files");
        char *sid = strdup(id);
        dp_corpus_item_clear(&it);
        return queue_skip(l, sid, why);
    }
    return queue_push(l, &it);
}

/* The items of the next student (or unnamed file) into the queue. */
static int next_student(dp_lms *l)
{
    lfile *f = &l->files[l->cursor];
    if (!f->f.student) {
        l->cursor++;
        return queue_skip(l, dp_io_printf("%s:%s", l->exports[f->export].path, f->path),
                          dp_io_printf("not named as a %s export file (%s)", dp_lms_kind_name(l->kind ? l->kind : DP_LMS_MOODLE),
                                       "see the README's LMS exports"));
    }
    size_t end = l->cursor + 1;
    while (end < l->n_files && same_student(&l->files[l->cursor], &l->files[end]))
        end++;
    l->n_students++; /* the group of the items queued now */
    /* two students of one name (different ids) are told apart by their ids */
    const lfile *first = &l->files[l->cursor];
    bool ambiguous = false;
    for (size_t i = 0; i < l->n_files && !ambiguous; i++)
        ambiguous = l->files[i].f.student && !strcmp(l->files[i].f.student, first->f.student) &&
                    strcmp(l->files[i].f.user_id, first->f.user_id) != 0;
    const char *shown = receipt_name(l, first->f.user_id);
    char *who = shown       ? dp_io_printf("%s (%s)", shown, first->f.user_id)
                : ambiguous ? dp_io_printf("%s (%s)", first->f.student, first->f.user_id)
                            : strdup(first->f.student);
    if (!who)
        return DOPPEL_ERR_NOMEM;
    int rc = DOPPEL_OK;
    for (size_t a = l->cursor; a < end && rc == DOPPEL_OK;) {
        size_t b = a + 1; /* files [a, b): one attempt */
        while (b < end && !strcmp(l->files[a].f.attempt, l->files[b].f.attempt))
            b++;
        if (!l->all_attempts) {
            if (b == end)
                rc = make_doc(l, a, b, who);
        } else {
            const char *at = l->files[a].f.attempt;
            while (at[0] == '0' && at[1]) /* Canvas's numbers are zero-padded to sort */
                at++;
            char *id = *at ? dp_io_printf("%s (attempt %s)", who, at) : strdup(who);
            rc = id ? make_doc(l, a, b, id) : DOPPEL_ERR_NOMEM;
            free(id);
        }
        a = b;
    }
    l->cursor = end;
    free(who);
    return rc;
}

int dp_lms_next(dp_lms *l, dp_corpus_item *item, uint32_t *group)
{
    dp_corpus_item_clear(item);
    *group = 0;
    if (!l->sorted) {
        qsort(l->files + l->cursor, l->n_files - l->cursor, sizeof *l->files, by_student);
        l->sorted = true;
    }
    while (l->q_pos == l->n_queue && l->cursor < l->n_files) {
        l->q_pos = l->n_queue = 0;
        int rc = next_student(l);
        if (rc != DOPPEL_OK)
            return rc;
    }
    if (l->q_pos == l->n_queue) {
        item->kind = DP_CORPUS_END;
        return DOPPEL_OK;
    }
    *item = l->queue[l->q_pos++];
    *group = l->n_students;
    return DOPPEL_OK;
}
