#include "cli/cli_text.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/readfile.h"

bool cli_parse_encoding(const char *cmd, const char *s, doppel_encoding *out)
{
    static const struct { const char *name; doppel_encoding enc; } names[] = {
        {"auto", DOPPEL_ENC_AUTO},     {"utf-8", DOPPEL_ENC_UTF8},         {"utf8", DOPPEL_ENC_UTF8},
        {"cp1252", DOPPEL_ENC_CP1252}, {"windows-1252", DOPPEL_ENC_CP1252}, {"latin1", DOPPEL_ENC_LATIN1},
        {"iso-8859-1", DOPPEL_ENC_LATIN1},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].enc;
            return true;
        }
    cli_usage_error(cmd, "--encoding expects auto, utf-8, cp1252 or latin1, got '%s'", s);
    return false;
}

int cli_load_doc(const char *path, const doppel_tokenizer *tk, doppel_encoding enc, doppel_doc **out)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    doppel_diag d;
    char *data = NULL;
    size_t len = 0;
    int rc = dp_read_file(path, CLI_TEXT_MAX_BYTES, &data, &len, &d);
    if (rc)
        return cli_runtime_error(name, rc, &d);
    rc = doppel_doc_create(out, tk, data, len, enc, &d);
    free(data);
    if (rc)
        return cli_runtime_error(name, rc, &d);
    doppel_decode_info info;
    doppel_doc_decode_info(*out, &info);
    if (info.invalid_count)
        cli_warn_invalid(name, info.invalid_count, info.first_invalid);
    return EXIT_OK;
}

int cli_text_print(const char *cmd, int argc, char **argv, bool strip_accents, doppel_encoding enc,
                   bool (*print)(const doppel_doc *doc))
{
    if (argc - optind > 1)
        return cli_usage_error(cmd, "expects one FILE, got %d", argc - optind);
    const char *path = optind < argc ? argv[optind] : "-";
    doppel_diag d;
    doppel_tokenizer *tk;
    int rc = doppel_tokenizer_create(&tk, strip_accents, &d);
    if (rc)
        return cli_runtime_error(NULL, rc, &d);
    doppel_doc *doc = NULL;
    int status = cli_load_doc(path, tk, enc, &doc);
    if (status == EXIT_OK && (!print(doc) || fflush(stdout) != 0 || ferror(stdout)))
        status = cli_runtime_error("<stdout>", DOPPEL_ERR_IO, NULL);
    doppel_doc_free(doc);
    doppel_tokenizer_free(tk);
    return status;
}

void cli_warn_invalid(const char *name, uint64_t count, uint64_t first)
{
    doppel_diag w = {.code = DOPPEL_ERR_ENCODING, .byte = first, .line = UINT64_MAX};
    snprintf(w.message, sizeof w.message, "%llu invalid byte sequence%s replaced by U+FFFD",
             (unsigned long long)count, count == 1 ? "" : "s");
    cli_warn(name, DOPPEL_ERR_ENCODING, &w);
}
