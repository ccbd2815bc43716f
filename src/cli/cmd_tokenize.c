/* doppel tokenize: the normalised tokens of a text, line by line or with offsets. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_text.h"
#include "cli/commands.h"
#include "core/jsonw.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: doppel tokenize [OPTIONS] [FILE|-]\n\n"
            "Prints the normalised tokens (NFKC, case-folded) of FILE (default: stdin):\n"
            "one output line per input line (ended by LF, CRLF, CR or NEL), tokens\n"
            "separated by single spaces.\n\n"
            "Options:\n"
            "      --offsets          one JSON object per token instead: {\"token\":...,\n"
            "                         \"start\":..., \"end\":...}, byte offsets into the file as\n"
            "                         stored (end exclusive)\n"
            "      --strip-accents    also remove combining marks (e with acute -> e)\n"
            "      --encoding ENC     auto (default), utf-8, cp1252 or latin1\n"
            CLI_HELP_HELP "\n"
            "Invalid byte sequences become U+FFFD with a warning. Inputs over 64 MiB\n"
            "are refused (exit 3).\n");
}

/* Length of the line end at s[i] (LF, CR, CRLF, NEL), 0 if none. */
static size_t line_end_len(const char *s, size_t len, size_t i)
{
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    if ((unsigned char)s[i] == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0x85)
        return 2;
    return 0;
}

static void print_tokens(const doppel_token *tok, size_t *t, size_t n, size_t before)
{
    for (size_t first = *t; *t < n && tok[*t].dstart < before; (*t)++)
        fprintf(stdout, "%s%s", *t == first ? "" : " ", tok[*t].norm);
    fputc('\n', stdout);
}

static bool print_lines(const doppel_doc *doc)
{
    size_t len;
    const char *text = doppel_doc_text(doc, &len);
    const doppel_token *tok;
    size_t n = doppel_doc_tokens(doc, &tok), t = 0, i = 0, line_start = 0;
    while (i < len) {
        size_t k = line_end_len(text, len, i);
        if (!k) {
            i++;
            continue;
        }
        print_tokens(tok, &t, n, i);
        i += k;
        line_start = i;
    }
    if (line_start < len) /* a last line without a line end */
        print_tokens(tok, &t, n, len);
    return true; /* write errors show in ferror(stdout) */
}

static bool print_offsets(const doppel_doc *doc)
{
    const doppel_token *tok;
    size_t n = doppel_doc_tokens(doc, &tok);
    dp_jsonw w;
    dp_jsonw_init(&w, stdout);
    for (size_t i = 0; i < n; i++) {
        dp_jsonw_object_begin(&w);
        dp_jsonw_key(&w, "token");
        dp_jsonw_string(&w, tok[i].norm, tok[i].norm_len);
        dp_jsonw_key(&w, "start");
        dp_jsonw_uint(&w, tok[i].start);
        dp_jsonw_key(&w, "end");
        dp_jsonw_uint(&w, tok[i].end);
        dp_jsonw_object_end(&w);
        dp_jsonw_newline(&w);
    }
    return dp_jsonw_ok(&w);
}

int cmd_tokenize(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"offsets", no_argument, NULL, 'o'},
        {"strip-accents", no_argument, NULL, 's'},
        {"encoding", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int offsets = 0, strip = 0, c;
    doppel_encoding enc = DOPPEL_ENC_AUTO;
    while ((c = cli_getopt("tokenize", argc, argv, "h", longopts)) != -1) {
        switch (c) {
        case 'o': offsets = 1; break;
        case 's': strip = 1; break;
        case 'e':
            if (!cli_parse_encoding("tokenize", optarg, &enc))
                return EXIT_USAGE;
            break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    return cli_text_print("tokenize", argc, argv, strip, enc, offsets ? print_offsets : print_lines);
}
