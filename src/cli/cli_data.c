#include "cli/cli_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/grow.h"
#include "core/readfile.h"
#include "train/augment.h"

static void warn_line(void *ctx, uint64_t line, const char *message)
{
    doppel_diag d;
    dp_diag_clear(&d);
    dp_diag_set(&d, DOPPEL_ERR_FORMAT, DP_NO_POS, line, "%s", message);
    cli_warn(*(const char **)ctx, DOPPEL_ERR_FORMAT, &d);
}

int cli_data_read(dp_dataset *ds, const char *path, dp_data_format fmt)
{
    doppel_diag d;
    dp_diag_clear(&d);
    dp_data_counts c;
    int rc = dp_dataset_read(ds, path, fmt, warn_line, &path, &c, &d);
    if (rc)
        return cli_runtime_error(path, rc, &d);
    fprintf(stderr, "doppel: %s: %llu pairs (%s), %llu malformed lines skipped\n", path,
            (unsigned long long)c.pairs, dp_data_format_name(fmt), (unsigned long long)c.skipped);
    return EXIT_OK;
}

int cli_read_list(const char *path, char **buf, const char ***names, size_t *n)
{
    doppel_diag d;
    dp_diag_clear(&d);
    size_t len;
    *names = NULL;
    *n = 0;
    int rc = dp_read_file(path, (size_t)1 << 26, buf, &len, &d);
    if (rc)
        return cli_runtime_error(path, rc, &d);
    size_t cap = 0;
    for (char *p = *buf, *end = *buf + len; p < end;) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        *eol = '\0';
        char *q = p, *e = eol;
        while (q < e && (*q == ' ' || *q == '\t'))
            q++;
        while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            *--e = '\0';
        if (q < e && *q != '#') {
            if (DP_GROW(*names, cap, *n + 1, 64))
                return cli_runtime_error(path, DOPPEL_ERR_NOMEM, NULL);
            (*names)[(*n)++] = q;
        }
        p = eol + 1;
    }
    return EXIT_OK;
}

int cli_prose_read(dp_dataset *ds, const char *path, dp_data_format fmt, const char *wordnet_dir,
                   dp_wordnet **wn, const char *const *exclude, size_t nexclude, uint64_t seed)
{
    doppel_diag d;
    dp_diag_clear(&d);
    struct stat sb;
    const char *wdir = wordnet_dir ? wordnet_dir : "/usr/share/wordnet";
    if (!*wn && (wordnet_dir || stat(wdir, &sb) == 0)) {
        int rc = dp_wordnet_load(wn, wdir, &d);
        if (rc)
            return cli_runtime_error(wdir, rc, &d);
        fprintf(stderr, "doppel: %s: %zu WordNet words with synonyms\n", wdir, dp_wordnet_size(*wn));
    } else if (!*wn) {
        fprintf(stderr, "doppel: warning: no WordNet at %s: copies without synonyms (see --wordnet)\n", wdir);
    }
    dp_augment_config c;
    dp_augment_config_default(&c);
    dp_prose_counts pc;
    int rc = dp_prose_read(ds, path, fmt == DP_DATA_BROWN ? DP_PROSE_BROWN : DP_PROSE_TEXT, exclude, nexclude, *wn,
                           &c, seed, &pc, &d);
    if (rc)
        return cli_runtime_error(path, rc, &d);
    const dp_augment_stats *s = &pc.stats;
    fprintf(stderr,
            "doppel: %s: %zu files (%zu excluded), %zu sentences, %zu pairs (%s); edits in %zu words: %zu deleted, "
            "%zu synonyms, %zu inserted, %zu swaps, %zu merges, %zu splits\n",
            path, pc.files, pc.excluded, pc.sentences, ds->src[ds->nsources - 1].n, dp_data_format_name(fmt),
            s->words, s->deleted, s->replaced, s->inserted, s->swapped, s->merged, s->split);
    return EXIT_OK;
}
