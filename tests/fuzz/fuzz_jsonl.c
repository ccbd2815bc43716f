/*
 * Target (d): the --jsonl corpus reader. Byte 0 sets --max-bytes (1 + 4 * byte 0);
 * the rest is a file of lines. Each line goes through dp_corpus_jsonl_line from
 * memory; then the whole file is read through dp_corpus_add_jsonl + dp_corpus_next.
 * Checked: a blank line gives nothing and only a blank line does; a skipped line has
 * an id and a reason, "FILE:LINE" with the right line number when it is malformed;
 * a document has a non-empty id without NUL, at most max bytes, NUL-terminated, and
 * passes the text sniff; the file reader yields exactly the per-line results, in order,
 * except that a document whose id an earlier document of the file had is skipped there,
 * as "FILE:LINE" with a reason naming the id.
 */
#include <string.h>

#include "fuzz_check.h"
#include "sweep/corpus.h"

#define FILE_NAME "f.jsonl"

static int blank(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\n\r\f\v", p[i]) || p[i] == 0)
            return 0;
    return 1;
}

static void check_item(const dp_corpus_item *it, const char *file, uint64_t lineno, size_t max)
{
    char where[64];
    snprintf(where, sizeof where, "%s:%llu", file, (unsigned long long)lineno);
    if (it->kind == DP_CORPUS_SKIPPED) {
        FUZZ_CHECK(it->id && *it->id && it->reason && *it->reason && !it->bytes);
        int malformed = strncmp(it->reason, "malformed line: ", 16) == 0;
        FUZZ_CHECK(!malformed || strcmp(it->id, where) == 0);
    } else {
        FUZZ_CHECK(it->kind == DP_CORPUS_DOC);
        FUZZ_CHECK(it->id && *it->id && it->bytes && it->len <= max && it->bytes[it->len] == '\0');
        FUZZ_CHECK(dp_corpus_sniff(it->bytes, it->len) == NULL && !it->parts);
    }
}

static int same_item(const dp_corpus_item *a, const dp_corpus_item *b)
{
    return a->kind == b->kind && strcmp(a->id, b->id) == 0 &&
           (a->kind == DP_CORPUS_SKIPPED ? strcmp(a->reason, b->reason) == 0
                                         : a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0);
}

/* whether a document before want[i] had its id (the reader keeps the first) */
static int repeated_id(const dp_corpus_item *want, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (want[j].kind == DP_CORPUS_DOC && strcmp(want[j].id, want[i].id) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t max = 1 + 4 * (size_t)data[0];
    const uint8_t *p = data + 1, *end = data + size;
    const char *path = fuzz_scratch_file(p, (size_t)(end - p));

    /* every line from memory */
    dp_corpus_item *want = NULL;
    uint64_t *want_line = NULL;
    size_t n_want = 0;
    uint64_t lineno = 0;
    while (p < end) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        lineno++;
        dp_corpus_item it = {0};
        FUZZ_CHECK(dp_corpus_jsonl_line((const char *)p, n, FILE_NAME, lineno, max, &it) == DOPPEL_OK);
        FUZZ_CHECK((it.kind == DP_CORPUS_END) == blank(p, n));
        if (it.kind != DP_CORPUS_END) {
            check_item(&it, FILE_NAME, lineno, max);
            want = realloc(want, (n_want + 1) * sizeof *want);
            want_line = realloc(want_line, (n_want + 1) * sizeof *want_line);
            FUZZ_CHECK(want && want_line);
            want_line[n_want] = lineno;
            want[n_want++] = it;
        }
        p += n;
    }

    /* the same file through the corpus reader: ids name the scratch file instead */
    dp_corpus *c;
    dp_corpus_opts opts = {.max_bytes = max};
    FUZZ_CHECK(dp_corpus_create(&c, &opts) == DOPPEL_OK);
    FUZZ_CHECK(dp_corpus_add_jsonl(c, path, NULL) == DOPPEL_OK);
    dp_corpus_item got = {0};
    size_t prefix = strlen(FILE_NAME), plen = strlen(path);
    for (size_t i = 0;; i++) {
        FUZZ_CHECK(dp_corpus_next(c, &got, NULL) == DOPPEL_OK);
        if (got.kind == DP_CORPUS_END) {
            FUZZ_CHECK(i == n_want);
            break;
        }
        FUZZ_CHECK(i < n_want);
        if (want[i].kind == DP_CORPUS_DOC && repeated_id(want, i)) {
            char at[64];
            snprintf(at, sizeof at, ":%llu", (unsigned long long)want_line[i]);
            FUZZ_CHECK(got.kind == DP_CORPUS_SKIPPED && strncmp(got.id, path, plen) == 0 &&
                       strcmp(got.id + plen, at) == 0 && strncmp(got.reason, "duplicate id", 12) == 0);
        } else if (got.kind == DP_CORPUS_SKIPPED && strncmp(got.id, path, plen) == 0 && got.id[plen] == ':' &&
            strncmp(want[i].id, FILE_NAME, prefix) == 0 && want[i].id[prefix] == ':')
            FUZZ_CHECK(strcmp(got.id + plen, want[i].id + prefix) == 0 && strcmp(got.reason, want[i].reason) == 0);
        else
            FUZZ_CHECK(same_item(&got, &want[i]));
    }
    dp_corpus_item_clear(&got);
    dp_corpus_free(c);
    for (size_t i = 0; i < n_want; i++)
        dp_corpus_item_clear(&want[i]);
    free(want);
    free(want_line);
    return 0;
}
