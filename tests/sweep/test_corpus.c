/* Corpus reading: walking, ordering, skip reasons, by-dir submissions, --jsonl, --list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sweep/corpus.h"
#include "put_file.h"

static char root[64];

static void put(const char *rel, const void *bytes, size_t len) { put_file(root, rel, bytes, len); }

static void put_str(const char *rel, const char *s) { put(rel, s, strlen(s)); }

static void mk(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    assert_int_equal(mkdir(path, 0755), 0);
}

static void link_to(const char *target, const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    assert_int_equal(symlink(target, path), 0);
}

static int rm_tree(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx %s; rm -rf %s", root, root);
    return system(cmd);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/doppel-corpus-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rm_tree();
}

typedef struct {
    dp_corpus_item_kind kind;
    const char *rel;  /* id relative to root (NULL: absolute `id`) */
    const char *text; /* DOC bytes, or SKIPPED reason prefix */
} expect;

static void check_items(dp_corpus *c, const expect *want, size_t n)
{
    dp_corpus_item it = {0};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
        char id[256];
        snprintf(id, sizeof id, "%s/%s", root, want[i].rel);
        if (it.kind != want[i].kind || strcmp(it.id, id) != 0)
            fail_msg("item %zu: got %d %s, want %d %s", i, it.kind, it.id, want[i].kind, id);
        if (it.kind == DP_CORPUS_DOC) {
            assert_int_equal(it.len, strlen(want[i].text));
            assert_memory_equal(it.bytes, want[i].text, it.len);
        } else {
            assert_memory_equal(it.reason, want[i].text, strlen(want[i].text));
        }
    }
    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
    assert_int_equal(it.kind, DP_CORPUS_END);
    dp_corpus_item_clear(&it);
}

static void test_walk(void **state)
{
    (void)state;
    put_str("a.txt", "alpha text");
    mk("b");
    put_str("b/c.txt", "gamma");
    mk("b/d");
    put_str("b/d/e.txt", "epsilon");
    link_to("..", "b/loop");
    put_str("empty.txt", "");
    put_str("ws.txt", "  \n\t ");
    static const char bin[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
    put("bin.dat", bin, sizeof bin);
    put("utf16.txt", "\xFF\xFEh\0i\0", 6);
    put("utf16nobom.txt", "h\0i\0 \0t\0h\0e\0r\0e\0", 16);
    char big[100];
    memset(big, 'x', sizeof big);
    put("big.txt", big, sizeof big);
    link_to("self", "self");
    link_to("nowhere", "dangling");
    bool as_root = geteuid() == 0;
    put_str("unreadable.txt", "secret");
    char path[256];
    snprintf(path, sizeof path, "%s/unreadable.txt", root);
    chmod(path, 0);

    const expect all[] = {
        {DP_CORPUS_DOC, "a.txt", "alpha text"},
        {DP_CORPUS_DOC, "b/c.txt", "gamma"},
        {DP_CORPUS_DOC, "b/d/e.txt", "epsilon"},
        {DP_CORPUS_SKIPPED, "b/loop", "symlink loop"},
        {DP_CORPUS_SKIPPED, "big.txt", "larger than 64 bytes"},
        {DP_CORPUS_SKIPPED, "bin.dat", "binary"},
        {DP_CORPUS_SKIPPED, "dangling", "broken symlink"},
        {DP_CORPUS_SKIPPED, "empty.txt", "empty"},
        {DP_CORPUS_SKIPPED, "self", "symlink loop"},
        {DP_CORPUS_SKIPPED, "unreadable.txt", "unreadable: cannot open: Permission denied"},
        {DP_CORPUS_DOC, "utf16.txt", "\xFF\xFEh\0i\0"},
        {DP_CORPUS_DOC, "utf16nobom.txt", "h"}, /* compared by length below */
        {DP_CORPUS_SKIPPED, "ws.txt", "empty"},
    };
    /* Root can read a mode-000 file: then it is an ordinary document. */
    expect want[13];
    memcpy(want, all, sizeof all);
    if (as_root)
        want[9] = (expect){DP_CORPUS_DOC, "unreadable.txt", "secret"};
    dp_corpus_opts opts = {.max_bytes = 64};
    dp_corpus *c;
    assert_int_equal(dp_corpus_create(&c, &opts), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_path(c, root, NULL), DOPPEL_OK);
    /* utf16 bytes contain NULs: compare those two by hand. */
    dp_corpus_item it = {0};
    for (size_t i = 0; i < 13; i++) {
        assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
        snprintf(path, sizeof path, "%s/%s", root, want[i].rel);
        if (it.kind != want[i].kind || strcmp(it.id, path) != 0)
            fail_msg("item %zu: got %d %s, want %d %s", i, it.kind, it.id, want[i].kind, path);
        if (i == 10) {
            assert_int_equal(it.len, 6);
            assert_memory_equal(it.bytes, "\xFF\xFEh\0i\0", 6);
        } else if (i == 11) {
            assert_int_equal(it.len, 16);
            assert_memory_equal(it.bytes, "h\0i\0 \0t\0h\0e\0r\0e\0", 16);
        } else if (it.kind == DP_CORPUS_DOC) {
            assert_int_equal(it.len, strlen(want[i].text));
            assert_memory_equal(it.bytes, want[i].text, it.len);
            assert_int_equal(it.bytes[it.len], '\0');
        } else {
            assert_memory_equal(it.reason, want[i].text, strlen(want[i].text));
        }
    }
    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
    assert_int_equal(it.kind, DP_CORPUS_END);
    dp_corpus_item_clear(&it);
    dp_corpus_free(c);

    /* A root that does not exist is an error, not a skip. */
    doppel_diag d;
    assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
    snprintf(path, sizeof path, "%s/missing", root);
    assert_int_equal(dp_corpus_add_path(c, path, &d), DOPPEL_ERR_NOT_FOUND);
    dp_corpus_free(c);
}

static void test_by_dir(void **state)
{
    (void)state;
    mk("subs");
    mk("subs/s1");
    put_str("subs/s1/x.txt", "one");
    put_str("subs/s1/y.txt", "two");
    put("subs/s1/w.bin", "\0\0\0\0\x01\x02\0\0", 8);
    mk("subs/s2");
    mk("subs/s2/deep");
    put_str("subs/s2/deep/z.txt", "three");
    mk("subs/s3");
    put_str("subs/top.txt", "four");
    dp_corpus_opts opts = {.by_dir = true};
    dp_corpus *c;
    assert_int_equal(dp_corpus_create(&c, &opts), DOPPEL_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/subs/", root); /* trailing slash: no "//" in ids */
    assert_int_equal(dp_corpus_add_path(c, path, NULL), DOPPEL_OK);
    const expect want[] = {
        {DP_CORPUS_SKIPPED, "subs/s1/w.bin", "binary"},
        {DP_CORPUS_DOC, "subs/s1", "one\n\ntwo"},
        {DP_CORPUS_DOC, "subs/s2", "three"},
        {DP_CORPUS_SKIPPED, "subs/s3", "empty"},
        {DP_CORPUS_DOC, "subs/top.txt", "four"},
    };
    /* Check the parts of s1 on the way. */
    dp_corpus_item it = {0};
    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
    assert_int_equal(it.n_parts, 2);
    snprintf(path, sizeof path, "%s/subs/s1/y.txt", root);
    assert_string_equal(it.parts[1].path, path);
    assert_int_equal(it.parts[0].start, 0);
    assert_int_equal(it.parts[0].len, 3);
    assert_int_equal(it.parts[1].start, 5);
    assert_int_equal(it.parts[1].len, 3);
    size_t part;
    uint64_t off;
    assert_true(dp_doc_locate(it.parts, it.n_parts, 6, &part, &off));
    assert_int_equal(part, 1);
    assert_int_equal(off, 1);
    assert_true(dp_doc_locate(it.parts, it.n_parts, 0, &part, &off));
    assert_int_equal(part, 0);
    assert_false(dp_doc_locate(it.parts, it.n_parts, 3, &part, &off)); /* separator */
    assert_false(dp_doc_locate(it.parts, it.n_parts, 8, &part, &off));
    dp_corpus_item_clear(&it);
    dp_corpus_free(c);

    assert_int_equal(dp_corpus_create(&c, &opts), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_path(c, path, NULL), DOPPEL_OK); /* a file: itself */
    dp_corpus_free(c);
    assert_int_equal(dp_corpus_create(&c, &opts), DOPPEL_OK);
    snprintf(path, sizeof path, "%s/subs", root);
    assert_int_equal(dp_corpus_add_path(c, path, NULL), DOPPEL_OK);
    check_items(c, want, 5);
    dp_corpus_free(c);
}

static void test_jsonl(void **state)
{
    (void)state;
    put_str("in.jsonl", "{\"id\": \"d1\", \"text\": \"hello\"}\n"
                        "{\"id\": \"d2\", \"text\": \n"
                        "\n"
                        "{\"id\": 7, \"text\": \"seven\"}\r\n"
                        "{\"id\": \"d3\"}\n"
                        "{\"id\": \"d4\", \"text\": \"\"}\n"
                        "[1, 2]\n"
                        "{\"id\": \"d5\", \"text\": \"caf\\u00e9 \\\"q\\\"\"}");
    dp_corpus *c;
    assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/in.jsonl", root);
    assert_int_equal(dp_corpus_add_jsonl(c, path, NULL), DOPPEL_OK);
    struct {
        dp_corpus_item_kind kind;
        const char *id, *text;
    } want[] = {
        {DP_CORPUS_DOC, "d1", "hello"},
        {DP_CORPUS_SKIPPED, ":2", "malformed line: "},
        {DP_CORPUS_DOC, "7", "seven"},
        {DP_CORPUS_SKIPPED, ":5", "malformed line: no string \"text\""},
        {DP_CORPUS_SKIPPED, "d4", "empty"},
        {DP_CORPUS_SKIPPED, ":7", "malformed line: no string or integer \"id\""},
        {DP_CORPUS_DOC, "d5", "caf\xc3\xa9 \"q\""},
    };
    dp_corpus_item it = {0};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
        assert_int_equal(it.kind, want[i].kind);
        char id[300];
        snprintf(id, sizeof id, "%s%s", want[i].id[0] == ':' ? path : "", want[i].id);
        assert_string_equal(it.id, id);
        if (it.kind == DP_CORPUS_DOC)
            assert_string_equal(it.bytes, want[i].text);
        else
            assert_memory_equal(it.reason, want[i].text, strlen(want[i].text));
    }
    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
    assert_int_equal(it.kind, DP_CORPUS_END);
    dp_corpus_free(c);

    doppel_diag d;
    assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
    snprintf(path, sizeof path, "%s/none.jsonl", root);
    assert_int_equal(dp_corpus_add_jsonl(c, path, &d), DOPPEL_ERR_IO);
    dp_corpus_free(c);
}

/* The ids and kinds one corpus yields, "KIND:id\n" each, appended to out. */
static void read_all(dp_corpus *c, char *out, size_t cap)
{
    dp_corpus_item it = {0};
    for (;;) {
        assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
        if (it.kind == DP_CORPUS_END)
            break;
        size_t at = strlen(out);
        snprintf(out + at, cap - at, "%d:%s\n", (int)it.kind, it.id);
    }
    dp_corpus_item_clear(&it);
}

/* One item as text, appended to out: kind, id, bytes or reason, flags. */
static void dump_item(const dp_corpus_item *it, char *out, size_t cap)
{
    size_t at = strlen(out);
    snprintf(out + at, cap - at, "%d|%s|%.*s|%s|%d%d%d\n", (int)it->kind, it->id, (int)it->len,
             it->bytes ? it->bytes : "", it->reason ? it->reason : "", it->is_path, it->duplicate, it->in_submission);
}

/* A corpus read through dp_corpus_next_unread in blocks of `block` items, each block
 * loaded on `threads` threads, dumped. */
static void read_blocks(dp_corpus *c, size_t block, size_t threads, char *out, size_t cap)
{
    dp_corpus_item it[8] = {0};
    for (bool end = false; !end;) {
        size_t n = 0;
        for (; n < block; n++) {
            assert_int_equal(dp_corpus_next_unread(c, &it[n], NULL), DOPPEL_OK);
            if ((end = it[n].kind == DP_CORPUS_END))
                break;
            if (it[n].pending && !it[n].jsonl)
                assert_null(it[n].bytes); /* a file is read by dp_corpus_load_many */
        }
        assert_int_equal(dp_corpus_load_many(c, it, n, threads, NULL), DOPPEL_OK);
        for (size_t i = 0; i < n; i++) {
            assert_false(it[i].pending);
            dump_item(&it[i], out, cap);
        }
    }
    for (size_t i = 0; i < 8; i++)
        dp_corpus_item_clear(&it[i]);
}

/* Files and --jsonl lines read several at once (dp_corpus_next_unread, dp_corpus_load_many)
 * come out as dp_corpus_next yields them, whatever the block and the threads: documents,
 * skip reasons, repeated ids (across blocks, files and --jsonl lines), in order. */
static void test_unread(void **state)
{
    (void)state;
    mk("d");
    put_str("d/a.txt", "alpha text");
    put_str("d/b.txt", "");
    put("d/c.bin", "\0\0\0\0\x01\x02\0\0", 8);
    char big[100];
    memset(big, 'x', sizeof big);
    put("d/e.txt", big, sizeof big);
    put_str("d/f.txt", "phi");
    link_to("nowhere", "d/g");
    char path[256], cmd[600];
    snprintf(path, sizeof path, "%s/d/a.txt", root);
    char jsonl[2048];
    snprintf(jsonl, sizeof jsonl,
             "{\"id\": \"j1\", \"text\": \"one\"}\n"
             "\n"
             "{\"id\": \"j2\", \"text\": \n"
             "{\"id\": \"j1\", \"text\": \"again\"}\n"
             "   \t\n"
             "{\"id\": \"%s\", \"text\": \"a path\"}\n"
             "{\"id\": \"j3\", \"text\": \"\"}\n"
             "{\"id\": 9, \"text\": \"nine\"}\n"
             "{\"id\": \"j4\", \"text\": \"%.80s\"}\n"
             "{\"id\": \"j5\", \"text\": \"five\"}",
             path, big);
    put_str("in.jsonl", jsonl);
    snprintf(cmd, sizeof cmd, "%s/in.jsonl", root);
    dp_corpus_opts opts = {.max_bytes = 64};
    char want[4096] = "", got[4096];
    for (size_t block = 0; block <= 8; block++)
        for (size_t threads = 1; threads <= 4; threads++) {
            if ((block == 0) != (threads == 1))
                continue; /* block 0: dp_corpus_next, once */
            dp_corpus *c;
            assert_int_equal(dp_corpus_create(&c, &opts), DOPPEL_OK);
            snprintf(path, sizeof path, "%s/d", root);
            assert_int_equal(dp_corpus_add_path(c, path, NULL), DOPPEL_OK);
            assert_int_equal(dp_corpus_add_jsonl(c, cmd, NULL), DOPPEL_OK);
            assert_int_equal(dp_corpus_add_path(c, path, NULL), DOPPEL_OK); /* the same files again */
            got[0] = '\0';
            if (block == 0)
                for (dp_corpus_item it = {0};;) {
                    assert_int_equal(dp_corpus_next(c, &it, NULL), DOPPEL_OK);
                    if (it.kind == DP_CORPUS_END)
                        break;
                    dump_item(&it, want, sizeof want);
                }
            else
                read_blocks(c, block, threads, got, sizeof got);
            dp_corpus_free(c);
            if (block && strcmp(got, want) != 0)
                fail_msg("block %zu, %zu threads:\n%s\nwant:\n%s", block, threads, got, want);
        }
    /* what was read: each kind of item is there */
    assert_non_null(strstr(want, "|alpha text|"));
    assert_non_null(strstr(want, "|j1|one|"));
    assert_non_null(strstr(want, "duplicate id \"j1\""));
    assert_non_null(strstr(want, "|9|nine|"));
    assert_non_null(strstr(want, "malformed line"));
    assert_non_null(strstr(want, "larger than 64 bytes"));
    assert_non_null(strstr(want, "|binary|"));
    assert_non_null(strstr(want, "|broken symlink|"));
    assert_non_null(strstr(want, "the same file as"));
    snprintf(path, sizeof path, "duplicate id \"%s/d/a.txt\"", root);
    assert_non_null(strstr(want, path));
}

/* --jsonl files split in byte chunks (as --mpi splits them): every chunk count of n
 * processes, then each process's share read from its chunk: the shares laid end to end
 * are what one process reads (the same documents, skipped lines and line numbers). */
static void test_jsonl_chunks(void **state)
{
    (void)state;
    put_str("a.jsonl", "{\"id\": \"a1\", \"text\": \"one\"}\n"
                       "\n"
                       "{\"id\": \"a2\", \"text\": \"two, a longer line than the others around it\"}\n"
                       "not json\n"
                       "{\"id\": \"a3\", \"text\": \"three\"}\n"
                       "{\"id\": \"a5\", \"text\": \"five\"}\n"
                       "{\"id\": \"a4\", \"text\": \"four\"}");
    put_str("b.jsonl", "{\"id\": \"b1\", \"text\": \"b one\"}\n\n\n{\"id\": \"b2\", \"text\": \"b two\"}\n");
    char pa[256], pb[256];
    snprintf(pa, sizeof pa, "%s/a.jsonl", root);
    snprintf(pb, sizeof pb, "%s/b.jsonl", root);
    static char whole[4096], parts[4096];
    whole[0] = '\0';
    dp_corpus *c;
    uint64_t units_whole;
    assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_jsonl(c, pa, NULL), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_jsonl(c, pb, NULL), DOPPEL_OK);
    assert_int_equal(dp_corpus_count_units(c, &units_whole), DOPPEL_OK);
    assert_int_equal(units_whole, 11);
    read_all(c, whole, sizeof whole);
    dp_corpus_free(c);
    for (size_t n = 1; n <= 40; n += n < 6 ? 1 : 17) { /* 40: chunks inside lines, empty ones */
        uint64_t lines[2 * 40];
        assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
        assert_int_equal(dp_corpus_add_jsonl(c, pa, NULL), DOPPEL_OK);
        assert_int_equal(dp_corpus_add_jsonl(c, pb, NULL), DOPPEL_OK);
        assert_int_equal(dp_corpus_jsonl_count(c), 2);
        for (size_t k = 0; k < n; k++)
            dp_corpus_chunk_lines(c, k, n, lines + 2 * k);
        dp_corpus_free(c);
        parts[0] = '\0';
        for (size_t r = 0; r < n; r++) {
            uint64_t units;
            assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
            assert_int_equal(dp_corpus_add_jsonl(c, pa, NULL), DOPPEL_OK);
            assert_int_equal(dp_corpus_add_jsonl(c, pb, NULL), DOPPEL_OK);
            assert_int_equal(dp_corpus_set_chunks(c, n, lines), DOPPEL_OK);
            assert_int_equal(dp_corpus_count_units(c, &units), DOPPEL_OK);
            assert_int_equal(units, units_whole);
            dp_corpus_restrict(c, units * r / n, units * (r + 1) / n);
            read_all(c, parts, sizeof parts);
            dp_corpus_free(c);
        }
        if (strcmp(parts, whole) != 0)
            fail_msg("%zu chunks: got\n%s\nwant\n%s", n, parts, whole);
    }
}

static void test_list(void **state)
{
    (void)state;
    mk("l");
    put_str("l/one.txt", "first");
    mk("l/dir");
    put_str("l/dir/two.txt", "second");
    char list[512];
    snprintf(list, sizeof list, "%s/l/dir\n\n%s/l/gone.txt\r\n%s/l/one.txt\n", root, root, root);
    put_str("list.txt", list);
    dp_corpus *c;
    assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/list.txt", root);
    assert_int_equal(dp_corpus_add_list(c, path, NULL), DOPPEL_OK);
    const expect want[] = {
        {DP_CORPUS_DOC, "l/dir/two.txt", "second"},
        {DP_CORPUS_SKIPPED, "l/gone.txt", "unreadable: No such file"},
        {DP_CORPUS_DOC, "l/one.txt", "first"},
    };
    check_items(c, want, 3);
    dp_corpus_free(c);
}

/* --list files split in byte ranges (as --mpi splits them, laid end to end): the ranges'
 * paths read in turn, files named in two ranges made one as the MPI layer makes them (the
 * first of a device and inode in the job's order), are what one process reads of the
 * lists: the same files, folders walked, skipped paths, each once. */
static void test_list_ranges(void **state)
{
    (void)state;
    mk("r");
    mk("r/dir");
    put_str("r/dir/x.txt", "ex");
    put_str("r/dir/y.txt", "why");
    put_str("r/one.txt", "first");
    put_str("r/two.txt", "second");
    char l1[1024], l2[1024], p1[256], p2[256];
    snprintf(l1, sizeof l1, "\n%s/r/one.txt\r\n\n%s/r/dir\n%s/r/gone.txt\n%s/r/dir/y.txt\n", root, root, root, root);
    snprintf(l2, sizeof l2, "%s/r/two.txt\n\n\n%s/r/one.txt\n%s/r/dir", root, root, root); /* no last line end */
    put_str("l1.txt", l1);
    put_str("l2.txt", l2);
    snprintf(p1, sizeof p1, "%s/l1.txt", root);
    snprintf(p2, sizeof p2, "%s/l2.txt", root);
    const char *lists[] = {p1, p2};
    static char whole[4096], parts[4096];
    whole[0] = '\0';
    dp_corpus *c;
    size_t at;
    assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_list(c, p1, NULL), DOPPEL_OK);
    assert_int_equal(dp_corpus_add_list(c, p2, NULL), DOPPEL_OK);
    read_all(c, whole, sizeof whole);
    dp_corpus_free(c);
    char again[300];
    snprintf(again, sizeof again, "%d:%s/r/one.txt", (int)DP_CORPUS_SKIPPED, root);
    assert_non_null(strstr(whole, again)); /* named again in l2: one file */
    for (size_t n = 1; n <= 60; n += n < 7 ? 1 : 53) { /* 60: ranges inside lines, empty ones */
        dp_corpus *cs[60];
        dp_corpus_file *f[60];
        size_t nf[60];
        uint64_t before[60], units = 0;
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(dp_corpus_create(&cs[k], NULL), DOPPEL_OK);
            assert_int_equal(dp_corpus_add_lists(cs[k], lists, 2, k, n, &at, NULL), DOPPEL_OK);
            uint64_t u;
            assert_int_equal(dp_corpus_count_units(cs[k], &u), DOPPEL_OK);
            assert_int_equal(dp_corpus_listed_units(cs[k]), u);
            before[k] = units, units += u;
            assert_int_equal(dp_corpus_listed_files(cs[k], &f[k], &nf[k]), DOPPEL_OK);
        }
        for (size_t k = 0; k < n; k++) /* each file after the job's first of its inode */
            for (size_t i = 0; i < nf[k]; i++)
                for (size_t j = 0; j <= k; j++) {
                    size_t e = 0;
                    while (e < nf[j] && !(f[j][e].dev == f[k][i].dev && f[j][e].ino == f[k][i].ino))
                        e++;
                    if (e < nf[j] && before[j] + f[j][e].unit < before[k] + f[k][i].unit) {
                        assert_int_equal(dp_corpus_same_file(cs[k], f[k][i].unit, f[j][e].id), DOPPEL_OK);
                        break;
                    }
                }
        parts[0] = '\0';
        for (size_t k = 0; k < n; k++) {
            read_all(cs[k], parts, sizeof parts);
            free(f[k]);
            dp_corpus_free(cs[k]);
        }
        if (strcmp(parts, whole) != 0)
            fail_msg("%zu ranges: got\n%s\nwant\n%s", n, parts, whole);
    }
    assert_int_equal(dp_corpus_create(&c, NULL), DOPPEL_OK);
    const char *missing[] = {p1, "/no/such/list"};
    assert_int_equal(dp_corpus_add_lists(c, missing, 2, 0, 2, &at, NULL), DOPPEL_ERR_IO);
    assert_int_equal(at, 1);
    dp_corpus_free(c);
}

static void test_sniff(void **state)
{
    (void)state;
    assert_string_equal(dp_corpus_sniff("", 0), "empty");
    assert_string_equal(dp_corpus_sniff("\xEF\xBB\xBF", 3), "empty");
    assert_null(dp_corpus_sniff("\xEF\xBB\xBFx", 4));
    assert_null(dp_corpus_sniff("\0h\0i\0!\0?", 8));             /* UTF-16BE, no mark */
    assert_null(dp_corpus_sniff("\xFF\xFE\0\0h\0\0\0", 8));      /* UTF-32LE mark */
    assert_string_equal(dp_corpus_sniff("h\0\0\0i\0\0\0", 8), "binary"); /* UTF-32, no mark */
    char text[3000];
    memset(text, 'a', sizeof text);
    text[1500] = '\0'; /* one stray NUL in 3000 bytes: still text */
    assert_null(dp_corpus_sniff(text, sizeof text));
    text[10] = text[20] = text[30] = '\0';
    assert_string_equal(dp_corpus_sniff(text, sizeof text), "binary");
    memset(text, 'a', sizeof text);
    for (int i = 0; i < 400; i++)
        text[i * 7] = '\x01'; /* control bytes without NULs */
    assert_string_equal(dp_corpus_sniff(text, sizeof text), "binary");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_ranges, setup, teardown),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
