#include "report/markup.h"

#include <stdint.h>

#include "core/utf8.h"

void dp_markup_escape(FILE *f, const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '&': fputs("&amp;", f); break;
            case '<': fputs("&lt;", f); break;
            case '>': fputs("&gt;", f); break;
            case '"': fputs("&quot;", f); break;
            case '\'': fputs("&#39;", f); break;
            default:
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                    fputs("\xEF\xBF\xBD", f);
                else
                    fputc(c, f);
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t n = dp_utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            fputs("\xEF\xBF\xBD", f);
            i++;
        } else {
            fwrite(p + i, 1, n, f);
            i += n;
        }
    }
}

