/* doppel pairs: the cosine of text_a and text_b on each TSV line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_model.h"
#include "cli/commands.h"
#include "core/diag.h"

#define CHUNK 2048 /* pairs per encoder call */

int cmd_pairs(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"threads", required_argument, NULL, 'j'},
        CLI_PRECISION_OPTION,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL;
    long threads = CLI_DEFAULT_THREADS;
    int c, precision = DOPPEL_PRECISION_AUTO;
    while ((c = cli_getopt("pairs", argc, argv, "m:j:h", longopts)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("pairs", precision)
        case 'j':
            if (!cli_parse_long("pairs", "--threads", optarg, 1, CLI_MAX_THREADS, &threads))
                return EXIT_USAGE;
            break;
        case 'h':
            printf("Usage: doppel pairs [OPTIONS] [FILE|-]\n\n"
                   "Reads lines text_a<TAB>text_b (further columns are ignored) and prints the\n"
                   "cosine similarity of each pair, one per input line, in input order. A line\n"
                   "without a tab gets a warning naming it and prints nan, so output line N\n"
                   "always belongs to input line N. An empty or blank text scores 0. Input is\n"
                   "decoded as `doppel sweep` decodes (UTF-8, UTF-16 with a BOM, Windows-1252).\n\n"
                   "Options:\n" CLI_MODEL_HELP CLI_THREADS_HELP CLI_PRECISION_HELP CLI_HELP_HELP);
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    cli_lines in;
    int rc = cli_lines_open(&in, "pairs", argc, argv, model_opt, (int)threads, precision);
    if (rc)
        return rc;
    const char *shown = strcmp(in.input, "-") == 0 ? "<stdin>" : in.input;
    size_t n = in.n, od = in.dim;
    const char **texts = malloc(2 * CHUNK * sizeof *texts);
    size_t *tlens = malloc(2 * CHUNK * sizeof *tlens);
    float *vec = malloc(2 * CHUNK * od * sizeof *vec);
    char *ok = malloc(CHUNK);
    if (!texts || !tlens || !vec || !ok) {
        rc = cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
        goto done;
    }
    for (size_t at = 0; at < n; at += CHUNK) {
        size_t k = n - at < CHUNK ? n - at : CHUNK;
        for (size_t i = 0; i < k; i++) {
            const char *s = in.lines[at + i];
            size_t l = in.lens[at + i];
            const char *tab = memchr(s, '\t', l);
            ok[i] = tab != NULL;
            if (!tab) {
                doppel_diag d;
                dp_diag_set(&d, DOPPEL_ERR_FORMAT, DP_NO_POS, at + i + 1, "no tab between text_a and text_b; printing nan");
                cli_warn(shown, DOPPEL_ERR_FORMAT, &d);
                tab = s + l; /* encode the line against nothing; the result is not printed */
            }
            const char *b = tab < s + l ? tab + 1 : s + l;
            const char *bend = memchr(b, '\t', (size_t)(s + l - b));
            texts[2 * i] = s, tlens[2 * i] = (size_t)(tab - s);
            texts[2 * i + 1] = b, tlens[2 * i + 1] = (size_t)((bend ? bend : s + l) - b);
        }
        doppel_diag d;
        dp_diag_clear(&d);
        int err = cli_encode(in.enc, texts, tlens, 2 * k, vec, od, &d);
        if (err) {
            rc = cli_runtime_error(shown, err, &d);
            goto done;
        }
        for (size_t i = 0; i < k; i++) {
            if (ok[i])
                printf("%.6f\n", cli_cosine(vec + 2 * i * od, vec + (2 * i + 1) * od, od));
            else
                printf("nan\n");
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "doppel pairs: cannot write to standard output\n");
        rc = EXIT_RUNTIME;
    }
done:
    free(texts), free(tlens), free(vec), free(ok);
    cli_lines_close(&in);
    return rc;
}
