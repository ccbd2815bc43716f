/* doppel embed: one text per line in, one vector per line out. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_model.h"
#include "cli/cli_tmp.h"
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/diag.h"
#include "core/jsonw.h"

enum { FMT_TSV, FMT_JSONL, FMT_F32 };

/* Lines are encoded in chunks so memory stays bounded for any input. */
#define CHUNK 4096

static void write_vec(FILE *f, int fmt, const float *v, size_t od)
{
    if (fmt == FMT_F32) {
        for (size_t k = 0; k < od; k++) {
            uint32_t u;
            memcpy(&u, &v[k], 4);
            unsigned char b[4] = {(unsigned char)u, (unsigned char)(u >> 8), (unsigned char)(u >> 16),
                                  (unsigned char)(u >> 24)};
            fwrite(b, 1, 4, f);
        }
    } else if (fmt == FMT_JSONL) {
        dp_jsonw w;
        dp_jsonw_init(&w, f);
        dp_jsonw_array_begin(&w);
        for (size_t k = 0; k < od; k++)
            dp_jsonw_float(&w, v[k]);
        dp_jsonw_array_end(&w);
        dp_jsonw_newline(&w);
    } else {
        for (size_t k = 0; k < od; k++)
            fprintf(f, "%s%.9g", k ? "\t" : "", (double)v[k]);
        fputc('\n', f);
    }
}

int cmd_embed(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},   {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},  {"threads", required_argument, NULL, 'j'},
        CLI_PRECISION_OPTION,                      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model_opt = NULL, *output = NULL;
    int fmt = FMT_TSV, c, precision = DOPPEL_PRECISION_AUTO;
    long threads = CLI_DEFAULT_THREADS;
    while ((c = cli_getopt("embed", argc, argv, "m:f:o:j:h", longopts)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("embed", precision)
        case 'o': output = optarg; break;
        case 'j':
            if (!cli_parse_long("embed", "--threads", optarg, 1, CLI_MAX_THREADS, &threads))
                return EXIT_USAGE;
            break;
        case 'f':
            if (strcmp(optarg, "tsv") == 0)
                fmt = FMT_TSV;
            else if (strcmp(optarg, "jsonl") == 0)
                fmt = FMT_JSONL;
            else if (strcmp(optarg, "f32") == 0)
                fmt = FMT_F32;
            else
                return cli_usage_error("embed", "--format expects tsv, jsonl or f32, got '%s'", optarg);
            break;
        case 'h':
            printf("Usage: doppel embed [OPTIONS] [FILE|-]\n\n"
                   "Reads one text per line (standard input without FILE or with -; decoded as\n"
                   "`doppel sweep` decodes: UTF-8, UTF-16 with a BOM, Windows-1252) and writes\n"
                   "one unit vector per line, in input order. A line is cut after its first 128\n"
                   "tokens; an empty or blank line gets the zero vector, whose\n"
                   "cosine with anything is 0.\n\n"
                   "Options:\n" CLI_MODEL_HELP
                   "  -f, --format F         tsv (tab-separated floats, default), jsonl (a JSON\n"
                   "                         array per line) or f32 (raw little-endian float32,\n"
                   "                         out_dim per line, no separators)\n"
                   "  -o, --output FILE      write here (atomically) instead of standard output\n"
                   CLI_THREADS_HELP CLI_PRECISION_HELP CLI_HELP_HELP);
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    cli_lines in;
    int rc = cli_lines_open(&in, "embed", argc, argv, model_opt, (int)threads, precision);
    if (rc)
        return rc;
    size_t n = in.n, od = in.dim;
    float *vec = NULL;
    dp_atomic_file af = {0};
    doppel_diag d;
    dp_diag_clear(&d);
    if (output)
        dp_atomic_remove_stale(output);
    if (output && (rc = dp_atomic_open(&af, output, &d))) {
        rc = cli_runtime_error(output, rc, &d);
        goto done;
    }
    cli_tmp_arm(af.tmp_path);
    FILE *f = output ? af.f : stdout;
    vec = malloc(CHUNK * od * sizeof *vec);
    if (!vec) {
        rc = cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
        goto done;
    }
    for (size_t at = 0; at < n; at += CHUNK) {
        size_t k = n - at < CHUNK ? n - at : CHUNK;
        int err = cli_encode(in.enc, (const char *const *)in.lines + at, in.lens + at, k, vec, od, &d);
        if (err) {
            rc = cli_runtime_error(in.input, err, &d);
            goto done;
        }
        for (size_t i = 0; i < k; i++)
            write_vec(f, fmt, vec + i * od, od);
    }
    if (output) {
        if ((rc = dp_atomic_commit(&af, &d)))
            rc = cli_runtime_error(output, rc, &d);
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "doppel embed: cannot write to standard output\n");
        rc = EXIT_RUNTIME;
    }
done:
    if (output && af.f)
        dp_atomic_abort(&af);
    cli_tmp_disarm();
    free(vec);
    cli_lines_close(&in);
    return rc;
}
