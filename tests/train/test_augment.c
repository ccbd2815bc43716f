/* WordNet synonyms from the fixture database, the obfuscated copies (deterministic per
 * seed, within their rates, keeping most words), the prose and Brown readers and the
 * fresh copies of each pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doppel.h"
#include "train/augment.h"
#include "train/wordnet.h"

#define DATA DOPPEL_TEST_DATA "/train/data"

static dp_wordnet *load_fixture(void)
{
    dp_wordnet *wn;
    assert_int_equal(dp_wordnet_load(&wn, DATA "/wordnet", NULL), DOPPEL_OK);
    return wn;
}

static void test_wordnet(void **state)
{
    (void)state;
    dp_wordnet *wn = load_fixture();
    /* car, run, house (noun), walk (verb), quick (adj); dog has only a multi-word synonym */
    assert_int_equal(dp_wordnet_size(wn), 5);
    size_t first, n = dp_wordnet_count(wn, "car", 3, &first);
    assert_int_equal(n, 4);
    const char *want[4] = {"auto", "automobile", "machine", "motorcar"};
    for (size_t i = 0; i < n; i++)
        assert_string_equal(dp_wordnet_synonym(wn, first, i), want[i]);
    assert_int_equal(dp_wordnet_count(wn, "run", 3, &first), 1); /* the noun sense wins */
    assert_string_equal(dp_wordnet_synonym(wn, first, 0), "tally");
    assert_int_equal(dp_wordnet_count(wn, "quick", 5, &first), 2); /* markers dropped */
    assert_string_equal(dp_wordnet_synonym(wn, first, 1), "speedy");
    assert_int_equal(dp_wordnet_count(wn, "dog", 3, &first), 0);
    assert_int_equal(dp_wordnet_count(wn, "ca", 2, &first), 0);
    assert_int_equal(dp_wordnet_count(wn, "cars", 4, &first), 0);
    assert_int_equal(dp_wordnet_count(NULL, "car", 3, &first), 0);
    dp_wordnet_free(wn);
    assert_int_equal(dp_wordnet_load(&wn, DATA "/none", NULL), DOPPEL_ERR_IO);
}

static void copy_of(const dp_augment_config *c, const dp_wordnet *wn, uint64_t seed, const char *text,
                    dp_augment_buf *out, dp_augment_stats *st)
{
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    dp_str s[4]; /* sentences end at ". " */
    int n = 0;
    for (const char *p = text; *p && n < 4; n++) {
        const char *e = strstr(p, ". ");
        size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
        s[n] = (dp_str){p, (uint32_t)len};
        p += len + (e ? 1 : 0);
    }
    out->len = 0;
    memset(st, 0, sizeof *st);
    assert_int_equal(dp_augment_passage(c, wn, &rng, s, n, out, st), DOPPEL_OK);
}

static void test_synonyms_only(void **state)
{
    (void)state;
    dp_wordnet *wn = load_fixture();
    dp_augment_config c;
    dp_augment_config_default(&c);
    c.p_delete = c.p_insert = c.p_swap = c.p_merge = c.p_split = 0.0f;
    c.p_synonym = 1.0f;
    dp_augment_buf out = {NULL, 0, 0};
    dp_augment_stats st;
    /* 10 words: cap 2*1*10 = 20, so every replaceable word is replaced: Walk (capital
     * kept), house, quick, "cars" is not a lemma; "car", "run", "dog" are too
     * short, "the", "will" function words. */
    copy_of(&c, wn, 7, "Walk and house, quick: the dog will run cars car.", &out, &st);
    char q[32];
    assert_int_equal(strncmp(out.s, "Stroll and home, ", 17), 0);
    assert_int_equal(sscanf(out.s + 17, "%31s the dog will run cars car.", q), 1);
    assert_true(strcmp(q, "fast:") == 0 || strcmp(q, "speedy:") == 0);
    assert_int_equal(st.replaced, 3);
    /* with the seeds 1..20, both synonyms of quick are drawn */
    int seen[2] = {0, 0};
    for (uint64_t seed = 1; seed <= 20; seed++) {
        copy_of(&c, wn, seed, "The quick dog.", &out, &st);
        seen[0] |= strcmp(out.s, "The fast dog.") == 0;
        seen[1] |= strcmp(out.s, "The speedy dog.") == 0;
    }
    assert_true(seen[0] && seen[1]);
    free(out.s);
    dp_wordnet_free(wn);
}

/* Words of a that also occur in b (as a multiset), over the words of a. */
static double kept(const char *a, const char *b)
{
    char *bb = strdup(b), *aa = strdup(a), *save = NULL;
    size_t n = 0, k = 0;
    for (char *w = strtok_r(aa, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        n++;
        size_t len = strlen(w);
        for (char *p = bb; (p = strstr(p, w)); p++)
            if ((p == bb || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0')) {
                memset(p, '#', len);
                k++;
                break;
            }
    }
    free(aa);
    free(bb);
    return n ? (double)k / (double)n : 1.0;
}

static const char *const passages[] = {
    "The jury further said in term-end presentments that the City Executive Committee, which had over-all charge of "
    "the election, deserves the praise and thanks of the City of Atlanta for the manner in which the election was "
    "conducted.",
    "It recommended that Fulton legislators act to have these laws studied and revised to the end of modernizing and "
    "improving them.",
    "The grand jury commented on a number of other topics, among them the Atlanta and Fulton County purchasing "
    "departments which it said are well operated and follow generally accepted practices which inure to the best "
    "interest of both governments.",
    "Merger proposed. However, the jury said it believes these two offices should be combined to achieve greater "
    "efficiency and reduce the cost of administration.",
};

static void test_copies(void **state)
{
    (void)state;
    dp_wordnet *wn = load_fixture();
    dp_augment_config c;
    dp_augment_config_default(&c);
    dp_augment_buf x = {NULL, 0, 0}, y = {NULL, 0, 0};
    dp_augment_stats st, st2, total;
    memset(&total, 0, sizeof total);
    int differ = 0;
    for (uint64_t seed = 1; seed <= 200; seed++)
        for (size_t p = 0; p < sizeof passages / sizeof *passages; p++) {
            copy_of(&c, wn, seed, passages[p], &x, &st);
            copy_of(&c, wn, seed, passages[p], &y, &st2);
            assert_string_equal(x.s, y.s); /* the seed fixes the copy */
            copy_of(&c, wn, seed + 1000, passages[p], &y, &st2);
            differ += strcmp(x.s, y.s) != 0;
            /* the caps: at most max(1, 2 * rate * words) edits of each kind */
            size_t n = st.words;
            assert_true(st.deleted <= (size_t)(2 * 0.08f * (float)n) && st.inserted <= (size_t)(2 * 0.05f * (float)n));
            assert_true(st.swapped <= 1 && st.merged <= 1 && st.split <= 1);
            /* most words survive unchanged */
            assert_true(kept(passages[p], x.s) >= 0.7);
            total.words += n;
            total.deleted += st.deleted;
            total.inserted += st.inserted;
            total.swapped += st.swapped;
            total.merged += st.merged;
            total.split += st.split;
        }
    assert_true(differ > 700); /* other seeds, other copies */
    /* the observed rates are near the configured ones (800 passages, ~25 words each):
     * deletions and fillers skip sentence ends and edited words, so they come out lower */
    double w = (double)total.words;
    assert_true(total.deleted / w > 0.05 && total.deleted / w <= 0.08);
    assert_true(total.inserted / w > 0.03 && total.inserted / w <= 0.05);
    assert_true(total.swapped > 300 && total.swapped < 500);  /* p 0.5 of 800 */
    assert_true(total.merged > 20 && total.merged < 100);     /* 0.3 of the 200 two-sentence ones */
    assert_true(total.split > 100);                           /* 0.3 of those with a middle comma */
    free(x.s);
    free(y.s);
    dp_wordnet_free(wn);
}

static void test_brown_reader(void **state)
{
    (void)state;
    dp_augment_config c;
    dp_augment_config_default(&c);
    c.max_sentences = 1;
    c.min_words = 1;
    c.p_swap = 1.0f; /* every passage gets an edit, so none is dropped as unchanged */
    dp_dataset ds;
    dp_dataset_init(&ds);
    dp_prose_counts pc;
    const char *ex[1] = {"ca02"};
    assert_int_equal(dp_prose_read(&ds, DATA "/brown", DP_PROSE_BROWN, ex, 1, NULL, &c, 3, &pc, NULL), DOPPEL_OK);
    assert_int_equal(pc.files, 1);
    assert_int_equal(pc.excluded, 1);
    assert_int_equal(pc.sentences, 7);
    assert_int_equal(ds.nsources, 1);
    assert_int_equal(ds.src[0].format, DP_DATA_BROWN);
    assert_true(ds.n >= 6 && ds.pairs[0].label == 1.0f);
    const char *first = "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary "
                        "election produced \"no evidence\" that any irregularities took place.";
    assert_int_equal(ds.pairs[0].a.len, strlen(first));
    assert_memory_equal(ds.pairs[0].a.s, first, strlen(first));
    dp_dataset_free(&ds);
}

static void test_prose_reader(void **state)
{
    (void)state;
    dp_augment_config c;
    dp_augment_config_default(&c);
    c.max_sentences = 1;
    c.min_words = 1;
    c.p_swap = 1.0f;
    dp_dataset ds;
    dp_dataset_init(&ds);
    dp_prose_counts pc;
    assert_int_equal(dp_prose_read(&ds, DATA "/prose.txt", DP_PROSE_TEXT, NULL, 0, NULL, &c, 3, &pc, NULL),
                     DOPPEL_OK);
    /* "Mr." does not end a sentence; the line break inside a sentence becomes a space */
    assert_int_equal(pc.sentences, 3);
    assert_int_equal(ds.n, 3);
    const char *second = "Mr. Smith said nothing else to anybody, and then he went home early.";
    assert_int_equal(ds.pairs[1].a.len, strlen(second));
    assert_memory_equal(ds.pairs[1].a.s, second, strlen(second));
    dp_dataset_free(&ds);
}

/* Copies per pass: pass 0 remade equals what the reader paired, pass 1 differs for most
 * passages, a (seed, pass) gives the same copy again, and each keeps most of its words. */
static void test_copies_per_pass(void **state)
{
    (void)state;
    dp_wordnet *wn = load_fixture();
    dp_augment_config c;
    dp_augment_config_default(&c);
    c.min_words = 1; /* passages of 1-3 sentences, so copies are remade across sentence cuts */
    dp_augment_buf x = {NULL, 0, 0}, y = {NULL, 0, 0};
    dp_augment_stats st;
    memset(&st, 0, sizeof st);
    size_t npass = 0, multi = 0, differ = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        dp_dataset ds;
        dp_dataset_init(&ds);
        assert_int_equal(dp_prose_read(&ds, DATA "/prose.txt", DP_PROSE_TEXT, NULL, 0, wn, &c, seed, NULL, NULL),
                         DOPPEL_OK);
        assert_int_equal(dp_prose_read(&ds, DATA "/brown", DP_PROSE_BROWN, NULL, 0, wn, &c, seed, NULL, NULL),
                         DOPPEL_OK);
        for (int src = 0; src < 2; src++)
            for (size_t k = 0; k < ds.src[src].n; k++) {
                const dp_pair *p = &ds.pairs[ds.src[src].first + k];
                multi += ds.src[src].cuts.first[k + 1] > ds.src[src].cuts.first[k];
                x.len = 0;
                assert_int_equal(dp_prose_copy(&ds, src, k, seed, 0, &c, wn, &x, &st), DOPPEL_OK);
                assert_int_equal(x.len, p->b.len);
                assert_memory_equal(x.s, p->b.s, x.len);
                x.len = y.len = 0;
                assert_int_equal(dp_prose_copy(&ds, src, k, seed, 1, &c, wn, &x, &st), DOPPEL_OK);
                assert_int_equal(dp_prose_copy(&ds, src, k, seed, 1, &c, wn, &y, &st), DOPPEL_OK);
                assert_string_equal(x.s, y.s);
                differ += x.len != p->b.len || memcmp(x.s, p->b.s, x.len) != 0;
                char *orig = strndup(p->a.s, p->a.len);
                assert_true(kept(orig, x.s) >= 0.7);
                free(orig);
                npass++;
            }
        dp_dataset_free(&ds);
    }
    assert_true(npass >= 50 && multi >= 20);
    assert_true(differ >= npass * 9 / 10);
    free(x.s);
    free(y.s);
    dp_wordnet_free(wn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wordnet),      cmocka_unit_test(test_synonyms_only), cmocka_unit_test(test_copies),
        cmocka_unit_test(test_brown_reader), cmocka_unit_test(test_prose_reader),
        cmocka_unit_test(test_copies_per_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
