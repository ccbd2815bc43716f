/*
 * Recognising the reports doppel writes, so that an old report lying in a swept folder
 * is not taken for a document (it quotes every document, so it would match them all).
 */
#include <string.h>

#include "report/writer.h"

static bool starts(const char *bytes, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(bytes, prefix, n) == 0;
}

/* Whether needle occurs in the first `len` bytes (needle holds no NUL). */
static bool within(const char *bytes, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(bytes + i, needle, n) == 0)
            return true;
    return false;
}

const char *dp_report_sniff(const char *bytes, size_t len)
{
    if (starts(bytes, len, "<!DOCTYPE html>")) {
        size_t head = len < 1024 ? len : 1024;
        /* the generator mark, or the title every earlier version wrote */
        if (within(bytes, head, "<meta name=\"generator\" content=\"doppel") ||
            within(bytes, head, "<title>doppel "))
            return "a report written by doppel (HTML), not a document";
    }
    static const char *const jsonl[] = {"{\"type\":\"pair\",\"a\":", "{\"type\":\"skipped\",\"id\":",
                                        "{\"type\":\"cluster\",\"members\":", "{\"type\":\"summary\",\"documents\":"};
    for (size_t i = 0; i < sizeof jsonl / sizeof jsonl[0]; i++)
        if (starts(bytes, len, jsonl[i]))
            return "a report written by doppel (JSON Lines), not a document";
    if (starts(bytes, len, DP_REPORT_CSV_HEADER))
        return "a report written by doppel (CSV), not a document";
    return NULL;
}
