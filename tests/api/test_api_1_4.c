/*
 * What API 1.4 adds: doppel_index_add_many (documents added in blocks, made on the index's
 * threads at once), groups of documents never compared together, and
 * doppel_index_set_reference. Only <doppel.h>, shared library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <doppel.h>

static const char orig[] = "The committee met on Tuesday to discuss the budget. It decided that the new library "
                           "would be built on the old railway land north of the river before the next winter.";
static const char copy[] = "My essay is short. It decided that the new library would be built on the old railway "
                           "land north of the river before the next winter. That is all.";
static const char edit[] = "The board gathered on Tuesday about money. They decided the new library would be put up "
                           "on the old railway ground north of the river before next winter came.";
static const char other[] = "Penguins live almost entirely in the southern hemisphere, and most of them feed on "
                            "krill, fish and squid caught while swimming underwater.";

static doppel_model *load_model(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/corpora/models/default.dpm", getenv("DOPPEL_SOURCE_ROOT"));
    doppel_model *m;
    assert_int_equal(doppel_model_load(&m, path, NULL), DOPPEL_OK);
    return m;
}

/* An index of the model m (NULL: lexical) on `threads` threads reporting every compared pair. */
static doppel_index *new_index(const doppel_model *m, int threads)
{
    doppel_index_opts o;
    doppel_index_opts_init(&o, sizeof o);
    o.threshold = 0;
    doppel_index *ix;
    assert_int_equal(doppel_index_create(&ix, m, threads, &o, NULL), DOPPEL_OK);
    return ix;
}

/* The index's sweep as JSON Lines without the summary's wall time (malloc'd). */
static char *swept(doppel_index *ix)
{
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    doppel_write_opts o;
    doppel_write_opts_init(&o, sizeof o);
    o.seconds = 0;
    assert_int_equal(doppel_report_write(r, &o, f, NULL), DOPPEL_OK);
    fclose(f);
    doppel_report_free(r);
    return buf;
}

/* The documents of the block test: ids, texts; "blank" has no words, "copy" comes twice. */
#define N_ITEMS 7
static const char *const ids[N_ITEMS] = {"orig", "blank", "copy", "edit", "other", "copy", "last"};
static const char *const texts[N_ITEMS] = {orig, "  \n ", copy, edit, other, orig, edit};

static void add_many_is_add_one_by_one(void **state)
{
    (void)state;
    doppel_model *m = load_model();
    doppel_index *one = new_index(m, 1), *many = new_index(m, 3);
    int want[N_ITEMS];
    for (size_t i = 0; i < N_ITEMS; i++)
        want[i] = doppel_index_add(one, ids[i], texts[i], strlen(texts[i]), i == 6, NULL);
    doppel_add_item items[N_ITEMS];
    for (size_t i = 0; i < N_ITEMS; i++)
        items[i] = (doppel_add_item){.id = ids[i], .bytes = texts[i], .len = strlen(texts[i]), .is_reference = i == 6,
                                     .rc = -1};
    assert_int_equal(doppel_index_add_many(many, items, N_ITEMS, sizeof *items, NULL), DOPPEL_OK);
    for (size_t i = 0; i < N_ITEMS; i++)
        assert_int_equal(items[i].rc, want[i]);
    assert_int_equal(items[1].rc, DOPPEL_ERR_EMPTY);
    assert_int_equal(items[5].rc, DOPPEL_ERR_INVALID);
    assert_non_null(strstr(items[5].diag.message, "'copy' is already in the index"));
    assert_int_equal(items[0].rc, DOPPEL_OK);
    /* the same documents in the same order, with the same vectors to the bit */
    assert_int_equal(doppel_index_count(many), 5);
    size_t dim = doppel_index_dim(many);
    float *a = malloc(dim * sizeof *a), *b = malloc(dim * sizeof *b);
    for (size_t i = 0; i < doppel_index_count(one); i++) {
        assert_string_equal(doppel_index_id(one, i), doppel_index_id(many, i));
        assert_int_equal(doppel_index_doc_vector(one, doppel_index_id(one, i), a, dim, NULL), DOPPEL_OK);
        assert_int_equal(doppel_index_doc_vector(many, doppel_index_id(many, i), b, dim, NULL), DOPPEL_OK);
        assert_memory_equal(a, b, dim * sizeof *a);
    }
    /* and the same report, "blank" listed as skipped in both */
    char *ra = swept(one), *rb = swept(many);
    assert_non_null(strstr(ra, "\"blank\""));
    assert_non_null(strstr(ra, "\"b\":\"last\""));
    assert_string_equal(ra, rb);
    free(ra), free(rb), free(a), free(b);
    /* a block whose documents are all in already adds nothing */
    assert_int_equal(doppel_index_add_many(many, items, 1, sizeof *items, NULL), DOPPEL_OK);
    assert_int_equal(items[0].rc, DOPPEL_ERR_INVALID);
    assert_int_equal(doppel_index_count(many), 5);
    doppel_index_free(one), doppel_index_free(many);
    doppel_model_free(m);
}

/* Whether the lexical sweep of orig and copy in groups ga and gb reports their pair. */
static int pair_reported(uint32_t ga, uint32_t gb)
{
    doppel_index *ix = new_index(NULL, 2);
    doppel_add_item items[3] = {
        {.id = "orig", .bytes = orig, .len = sizeof orig - 1, .group = ga},
        {.id = "copy", .bytes = copy, .len = sizeof copy - 1, .group = gb},
        {.id = "other", .bytes = other, .len = sizeof other - 1, .group = ga},
    };
    assert_int_equal(doppel_index_add_many(ix, items, 3, sizeof *items, NULL), DOPPEL_OK);
    doppel_report *r;
    assert_int_equal(doppel_index_sweep(ix, &r, NULL), DOPPEL_OK);
    int found = 0;
    for (const doppel_pair *p; (p = doppel_report_next(r));)
        found |= strcmp(p->a, "orig") == 0 && strcmp(p->b, "copy") == 0;
    doppel_summary s;
    doppel_report_summary(r, &s);
    /* every pair but those within a group is compared (threshold 0) */
    size_t want = ga && ga == gb ? 0 : ga ? 2 : 3;
    assert_int_equal(s.pairs_compared, want);
    doppel_report_free(r);
    doppel_index_free(ix);
    return found;
}

static void groups_are_not_compared_within(void **state)
{
    (void)state;
    assert_true(pair_reported(0, 0));
    assert_true(pair_reported(1, 2));
    assert_false(pair_reported(7, 7));
}

static void set_reference_marks_and_unmarks(void **state)
{
    (void)state;
    doppel_index *ix = new_index(NULL, 1);
    assert_int_equal(doppel_index_add(ix, "copy", copy, sizeof copy - 1, 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_add(ix, "orig", orig, sizeof orig - 1, 0, NULL), DOPPEL_OK);
    char *plain = swept(ix);
    assert_non_null(strstr(plain, "\"a\":\"copy\",\"b\":\"orig\""));
    /* a reference is side b, and two references are not compared */
    assert_int_equal(doppel_index_set_reference(ix, "copy", 1, NULL), DOPPEL_OK);
    char *ref = swept(ix);
    assert_non_null(strstr(ref, "\"a\":\"orig\",\"b\":\"copy\""));
    assert_int_equal(doppel_index_set_reference(ix, "orig", 1, NULL), DOPPEL_OK);
    char *refs = swept(ix);
    assert_null(strstr(refs, "\"a\":"));
    assert_non_null(strstr(refs, "\"pairs_compared\":0"));
    assert_int_equal(doppel_index_set_reference(ix, "orig", 0, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_set_reference(ix, "copy", 0, NULL), DOPPEL_OK);
    char *back = swept(ix);
    assert_string_equal(back, plain);
    doppel_diag d;
    assert_int_equal(doppel_index_set_reference(ix, "nobody", 1, &d), DOPPEL_ERR_NOT_FOUND);
    assert_non_null(strstr(d.message, "nobody"));
    free(plain), free(ref), free(refs), free(back);
    doppel_index_free(ix);
}

/* The stride: shorter than 1.4's item refused; longer with zeros past it taken (a newer
 * caller's fields left at their defaults), a set byte there refused naming it. */
static void item_size_is_checked(void **state)
{
    (void)state;
    doppel_index *ix = new_index(NULL, 1);
    typedef struct longer {
        doppel_add_item it;
        uint64_t later;
    } longer;
    longer two[2] = {{{.id = "orig", .bytes = orig, .len = sizeof orig - 1}, 0},
                     {{.id = "copy", .bytes = copy, .len = sizeof copy - 1}, 0}};
    doppel_diag d;
    assert_int_equal(doppel_index_add_many(ix, &two[0].it, 2, sizeof(doppel_add_item) - 1, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "item_size is"));
    two[1].later = 1;
    assert_int_equal(doppel_index_add_many(ix, &two[0].it, 2, sizeof(longer), &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "items[1]"));
    assert_int_equal(doppel_index_count(ix), 0);
    two[1].later = 0;
    assert_int_equal(doppel_index_add_many(ix, &two[0].it, 2, sizeof(longer), &d), DOPPEL_OK);
    assert_int_equal(two[0].it.rc, DOPPEL_OK);
    assert_int_equal(two[1].it.rc, DOPPEL_OK);
    assert_string_equal(doppel_index_id(ix, 1), "copy");
    doppel_add_item no_id = {.bytes = orig, .len = 3};
    assert_int_equal(doppel_index_add_many(ix, &no_id, 1, sizeof no_id, &d), DOPPEL_ERR_INVALID);
    assert_non_null(strstr(d.message, "items[0].id is NULL"));
    assert_int_equal(doppel_index_add_many(ix, NULL, 0, sizeof no_id, NULL), DOPPEL_OK);
    assert_int_equal(doppel_index_count(ix), 2);
    doppel_index_free(ix);
}

static void version_is_1_4(void **state)
{
    (void)state;
    assert_true(doppel_version_number() >= 10400);
    assert_int_equal(DOPPEL_VERSION_MINOR, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_many_is_add_one_by_one),
        cmocka_unit_test(groups_are_not_compared_within),
        cmocka_unit_test(set_reference_marks_and_unmarks),
        cmocka_unit_test(item_size_is_checked),
        cmocka_unit_test(version_is_1_4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
