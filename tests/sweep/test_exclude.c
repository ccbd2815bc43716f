/* Quotations and a trailing references section are marked token by token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sweep/exclude.h"

typedef struct {
    dp_text text;
    dp_tokenizer *tk;
    dp_tokens toks;
    uint8_t mark[256];
} doc;

static void load(doc *d, const char *s)
{
    memset(d, 0, sizeof *d);
    assert_int_equal(dp_text_decode(&d->text, s, strlen(s), DP_ENC_AUTO, NULL), DOPPEL_OK);
    assert_int_equal(dp_tokenizer_create(&d->tk, &(dp_tokenizer_opts){0}, NULL), DOPPEL_OK);
    assert_int_equal(dp_tokenize(d->tk, &d->text, 0, d->text.len, &d->toks), DOPPEL_OK);
    assert_true(d->toks.n < sizeof d->mark);
}

static void unload(doc *d)
{
    dp_tokens_free(&d->toks);
    dp_tokenizer_free(d->tk);
    dp_text_free(&d->text);
}

/* The marked tokens' normal forms, space-separated. */
static char *marked(const doc *d)
{
    static char buf[1024];
    buf[0] = '\0';
    for (size_t i = 0; i < d->toks.n; i++)
        if (d->mark[i]) {
            if (buf[0])
                strcat(buf, " ");
            strcat(buf, dp_token_norm(&d->toks, i));
        }
    return buf;
}

static void test_quotes(void **state)
{
    (void)state;
    doc d;
    load(&d, "He said \"to be or not\" and \xe2\x80\x9c" "Cogito ergo\xe2\x80\x9d then \xc2\xab" "ça va\xc2\xbb. "
             "Don't mark it's apostrophes. \"Unclosed runs\n\nto the blank line only.");
    dp_mark_quoted(&d.text, &d.toks, d.mark);
    assert_string_equal(marked(&d), "to be or not cogito ergo ça va unclosed runs");
    unload(&d);
}

static void test_references(void **state)
{
    (void)state;
    doc d;
    load(&d, "References in the first line do not count.\nBody text here.\nMore body.\n"
             "  Works Cited:  \nSmith, J. (2001). A book.\n");
    size_t first = dp_mark_references(&d.text, &d.toks, d.mark);
    assert_string_equal(marked(&d), "works cited : smith , j . ( 2001 ) . a book .");
    assert_string_equal(dp_token_norm(&d.toks, first), "works");
    unload(&d);

    load(&d, "No heading at all.\nJust references mentioned in text.\n");
    assert_int_equal(dp_mark_references(&d.text, &d.toks, d.mark), d.toks.n);
    assert_string_equal(marked(&d), "");
    unload(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
