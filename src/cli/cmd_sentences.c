/* doppel sentences: the sentences of a text as JSON Lines with their byte spans. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cli_text.h"
#include "cli/commands.h"
#include "core/jsonw.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: doppel sentences [OPTIONS] [FILE|-]\n\n"
            "Splits FILE (default: stdin) into sentences and prints one JSON object per\n"
            "sentence: {\"start\":..., \"end\":..., \"text\":...}, where start/end are byte\n"
            "offsets into the file as stored (end exclusive) and text is that slice\n"
            "decoded to UTF-8. Blank lines always end a sentence; a sentence holds at\n"
            "most 256 tokens.\n\n"
            "Options:\n"
            "      --encoding ENC     auto (default), utf-8, cp1252 or latin1\n"
            CLI_HELP_HELP "\n"
            "Invalid byte sequences become U+FFFD with a warning. Inputs over 64 MiB\n"
            "are refused (exit 3).\n");
}

static bool print_sentences(const doppel_doc *doc)
{
    size_t len;
    const char *text = doppel_doc_text(doc, &len);
    const doppel_sentence *s;
    size_t n = doppel_doc_sentences(doc, &s);
    dp_jsonw w;
    dp_jsonw_init(&w, stdout);
    for (size_t i = 0; i < n; i++) {
        dp_jsonw_object_begin(&w);
        dp_jsonw_key(&w, "start");
        dp_jsonw_uint(&w, s[i].start);
        dp_jsonw_key(&w, "end");
        dp_jsonw_uint(&w, s[i].end);
        dp_jsonw_key(&w, "text");
        dp_jsonw_string(&w, text + s[i].dstart, (size_t)(s[i].dend - s[i].dstart));
        dp_jsonw_object_end(&w);
        dp_jsonw_newline(&w);
    }
    return dp_jsonw_ok(&w);
}

int cmd_sentences(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"encoding", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    doppel_encoding enc = DOPPEL_ENC_AUTO;
    int c;
    while ((c = cli_getopt("sentences", argc, argv, "h", longopts)) != -1) {
        switch (c) {
        case 'e':
            if (!cli_parse_encoding("sentences", optarg, &enc))
                return EXIT_USAGE;
            break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    return cli_text_print("sentences", argc, argv, false, enc, print_sentences);
}
