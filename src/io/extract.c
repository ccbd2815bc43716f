#include "io/extract.h"

#include <string.h>
#include <strings.h>

#include "doppel.h"
#include "io/html.h"
#include "io/notebook.h"
#include "io/office.h"
#include "io/pdf.h"

const char dp_extract_help[] =
    "Formats (by extension; others are read as text: UTF-8, UTF-16, Windows-1252):\n"
    "  .docx .odt             paragraphs, tables, notes; tracked changes accepted,\n"
    "                         comments out (built in: libzip, libxml2)\n"
    "  .html .htm .xhtml      the body's text, markup/scripts/styles out (libxml2);\n"
    "                         offsets stay bytes of the file\n"
    "  .md                    as text; --ignore-code blanks fenced code blocks\n"
    "  .ipynb                 markdown and code cells, outputs out (built in)\n"
    "  .pdf                   the text layer, by running pdftotext (Debian package\n"
    "                         poppler-utils); without it, or for a scan, skipped\n"
    "                         with that reason\n"
    "  Offsets into .docx .odt .ipynb .pdf index the extracted text (JSONL pairs say\n"
    "  \"a_offsets\":\"extracted\"; --dump-text DIR writes it).\n";

const char *dp_extract_format(const char *name, const dp_extract_opts *o)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash + 1 : name, '.');
    if (!dot)
        return NULL;
    static const struct {
        const char *ext, *format;
    } table[] = {{".docx", "docx"}, {".odt", "odt"},     {".html", "html"}, {".htm", "html"},
                 {".xhtml", "html"}, {".ipynb", "ipynb"}, {".pdf", "pdf"},   {".md", "md"},
                 {".markdown", "md"}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcasecmp(dot, table[i].ext))
            return strcmp(table[i].format, "md") == 0 && !(o && o->ignore_code) ? NULL : table[i].format;
    return NULL;
}

int dp_extract(const char *format, const char *bytes, size_t len, const dp_extract_opts *o, dp_extracted *out,
               char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    bool ignore_code = o && o->ignore_code;
    int rc;
    out->format = format;
    out->extracted = true;
    if (!strcmp(format, "docx")) {
        rc = dp_docx_extract(bytes, len, &out->text, why);
    } else if (!strcmp(format, "odt")) {
        rc = dp_odt_extract(bytes, len, &out->text, why);
    } else if (!strcmp(format, "html")) {
        out->text.mapping = true;
        out->extracted = false;
        rc = dp_html_extract(bytes, len, &out->text, why);
    } else if (!strcmp(format, "ipynb")) {
        rc = dp_ipynb_extract(bytes, len, ignore_code, &out->text, why);
    } else if (!strcmp(format, "pdf")) {
        rc = dp_pdf_extract(bytes, len, &out->text, why);
    } else if (!strcmp(format, "md")) {
        out->extracted = false;
        dp_textbuf_add(&out->text, bytes, len, 0, len);
        rc = out->text.failed ? DOPPEL_ERR_NOMEM : DOPPEL_OK;
        if (rc == DOPPEL_OK && ignore_code)
            dp_markdown_blank_code(out->text.text, out->text.len);
    } else {
        rc = DOPPEL_ERR_INVALID;
    }
    if (rc != DOPPEL_OK)
        dp_extracted_free(out);
    return rc;
}

void dp_extracted_free(dp_extracted *e) { dp_textbuf_free(&e->text); }
