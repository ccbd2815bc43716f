#include "io/office.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"
#include "io/xmlread.h"
#include "io/zipread.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define OFFICE_NS "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define PARA_SEP "\n\n"

/* An encrypted OOXML or ODF file is not a plain zip: OOXML becomes an OLE compound
 * file, ODF keeps a zip whose manifest names an encryption algorithm. */
static int open_package(const char *bytes, size_t len, dp_zip **z, char **why)
{
    if (len >= 8 && memcmp(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        *why = dp_io_printf("encrypted (password-protected) or an old binary .doc, not a zip package");
        return *why ? DOPPEL_ERR_CORRUPT : DOPPEL_ERR_NOMEM;
    }
    return dp_zip_open(z, bytes, len, why);
}

/* Reads and parses one member; DOPPEL_ERR_NOT_FOUND (no *why) when it is absent. */
static int read_member(dp_zip *z, const char *name, xmlDoc **doc, char **why)
{
    *doc = NULL;
    long i = dp_zip_find(z, name);
    if (i < 0)
        return DOPPEL_ERR_NOT_FOUND;
    char *x;
    size_t n;
    int rc = dp_zip_read(z, (size_t)i, 0, &x, &n, why);
    if (rc == DOPPEL_OK) {
        rc = dp_xml_parse(name, x, n, doc, why);
        free(x);
    }
    return rc;
}

/* ---- docx -------------------------------------------------------------- */

static void docx_walk(const xmlNode *n, dp_textbuf *out);

static void docx_children(const xmlNode *n, dp_textbuf *out)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        docx_walk(c, out);
}

static void add_content(const xmlNode *n, dp_textbuf *out)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            dp_textbuf_add(out, (const char *)c->content, strlen((const char *)c->content), 0, 0);
}

static void docx_walk(const xmlNode *n, dp_textbuf *out)
{
    if (n->type != XML_ELEMENT_NODE)
        return;
    if (n->ns && n->ns->href && strcmp((const char *)n->ns->href, MC_NS) == 0) {
        /* Alternate content holds the same text twice: the first choice only. */
        if (strcmp((const char *)n->name, "AlternateContent") == 0) {
            for (const xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE) {
                    docx_children(c, out);
                    break;
                }
        }
        return;
    }
    if (!n->ns || !n->ns->href || strcmp((const char *)n->ns->href, W_NS) != 0) {
        docx_children(n, out); /* drawings and the like may hold text boxes */
        return;
    }
    const char *name = (const char *)n->name;
    if (!strcmp(name, "t")) {
        add_content(n, out);
    } else if (!strcmp(name, "tab") && n->parent && dp_xml_is(n->parent, W_NS, "r")) {
        dp_textbuf_add(out, "\t", 1, 0, 0);
    } else if (!strcmp(name, "br") || !strcmp(name, "cr")) {
        dp_textbuf_add(out, "\n", 1, 0, 0);
    } else if (!strcmp(name, "noBreakHyphen")) {
        dp_textbuf_add(out, "-", 1, 0, 0);
    } else if (!strcmp(name, "del") || !strcmp(name, "moveFrom") || !strcmp(name, "delText") ||
               !strcmp(name, "instrText") || !strcmp(name, "comments") || !strcmp(name, "pPr") ||
               !strcmp(name, "rPr") || !strcmp(name, "sectPr")) {
        /* tracked deletions, field codes and formatting are not text */
    } else if (!strcmp(name, "p")) {
        docx_children(n, out);
        dp_textbuf_break(out, PARA_SEP, 0);
    } else if (!strcmp(name, "footnote") || !strcmp(name, "endnote")) {
        xmlChar *type = xmlGetNsProp(n, (const xmlChar *)"type", (const xmlChar *)W_NS);
        bool separator = type && strcmp((const char *)type, "normal") != 0;
        xmlFree(type);
        if (!separator)
            docx_children(n, out);
    } else {
        docx_children(n, out); /* body, tables, runs, insertions, hyperlinks, ... */
    }
}

int dp_docx_extract(const char *bytes, size_t len, dp_textbuf *out, char **why)
{
    *why = NULL;
    dp_zip *z;
    int rc = open_package(bytes, len, &z, why);
    if (rc != DOPPEL_OK)
        return rc;
    static const char *const members[] = {"word/document.xml", "word/footnotes.xml", "word/endnotes.xml"};
    for (size_t m = 0; m < sizeof members / sizeof members[0] && rc == DOPPEL_OK; m++) {
        xmlDoc *doc;
        rc = read_member(z, members[m], &doc, why);
        if (rc == DOPPEL_ERR_NOT_FOUND && m > 0) {
            rc = DOPPEL_OK;
            continue;
        }
        if (rc == DOPPEL_ERR_NOT_FOUND) {
            *why = dp_io_printf("no word/document.xml: not a Word document");
            rc = *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
        }
        if (rc != DOPPEL_OK)
            break;
        docx_walk(xmlDocGetRootElement(doc), out);
        xmlFreeDoc(doc);
    }
    dp_zip_close(z);
    if (rc == DOPPEL_OK && out->failed)
        rc = DOPPEL_ERR_NOMEM;
    return rc;
}

/* ---- odt --------------------------------------------------------------- */

static void odt_walk(const xmlNode *n, dp_textbuf *out, dp_textbuf *notes);

static void odt_children(const xmlNode *n, dp_textbuf *out, dp_textbuf *notes)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        odt_walk(c, out, notes);
}

static void odt_walk(const xmlNode *n, dp_textbuf *out, dp_textbuf *notes)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        /* only text inside paragraphs and headings is document text */
        for (const xmlNode *p = n->parent; p; p = p->parent)
            if (dp_xml_is(p, TEXT_NS, "p") || dp_xml_is(p, TEXT_NS, "h")) {
                dp_textbuf_add(out, (const char *)n->content, strlen((const char *)n->content), 0, 0);
                break;
            }
        return;
    }
    if (n->type != XML_ELEMENT_NODE)
        return;
    if (dp_xml_is(n, OFFICE_NS, "annotation") || dp_xml_is(n, OFFICE_NS, "annotation-end") ||
        dp_xml_is(n, TEXT_NS, "tracked-changes") || dp_xml_is(n, TEXT_NS, "note-citation") ||
        dp_xml_is(n, OFFICE_NS, "automatic-styles") || dp_xml_is(n, OFFICE_NS, "font-face-decls"))
        return; /* comments, deleted text (kept in tracked-changes), note numbers, styles */
    if (dp_xml_is(n, TEXT_NS, "s")) {
        xmlChar *c = xmlGetNsProp(n, (const xmlChar *)"c", (const xmlChar *)TEXT_NS);
        long k = c ? strtol((const char *)c, NULL, 10) : 1;
        xmlFree(c);
        for (long i = 0; i < (k < 1 ? 1 : k > 1000 ? 1000 : k); i++)
            dp_textbuf_add(out, " ", 1, 0, 0);
    } else if (dp_xml_is(n, TEXT_NS, "tab")) {
        dp_textbuf_add(out, "\t", 1, 0, 0);
    } else if (dp_xml_is(n, TEXT_NS, "line-break")) {
        dp_textbuf_add(out, "\n", 1, 0, 0);
    } else if (dp_xml_is(n, TEXT_NS, "note-body")) {
        odt_children(n, notes, notes); /* notes go after the body */
    } else if (dp_xml_is(n, TEXT_NS, "p") || dp_xml_is(n, TEXT_NS, "h")) {
        odt_children(n, out, notes);
        dp_textbuf_break(out, PARA_SEP, 0);
    } else {
        odt_children(n, out, notes);
    }
}

int dp_odt_extract(const char *bytes, size_t len, dp_textbuf *out, char **why)
{
    *why = NULL;
    dp_zip *z;
    int rc = open_package(bytes, len, &z, why);
    if (rc != DOPPEL_OK)
        return rc;
    xmlDoc *doc = NULL;
    long mi = dp_zip_find(z, "META-INF/manifest.xml");
    char *man;
    size_t mlen;
    if (mi >= 0 && (rc = dp_zip_read(z, (size_t)mi, 0, &man, &mlen, why)) == DOPPEL_OK) {
        if (strstr(man, "encryption-data")) {
            *why = dp_io_printf("encrypted (password-protected)");
            rc = *why ? DOPPEL_ERR_CORRUPT : DOPPEL_ERR_NOMEM;
        }
        free(man);
    }
    if (rc == DOPPEL_OK)
        rc = read_member(z, "content.xml", &doc, why);
    if (rc == DOPPEL_ERR_NOT_FOUND) {
        *why = dp_io_printf("no content.xml: not an OpenDocument text");
        rc = *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
    }
    if (rc == DOPPEL_OK) {
        dp_textbuf notes = {0};
        odt_walk(xmlDocGetRootElement(doc), out, &notes);
        if (notes.len) {
            dp_textbuf_break(out, PARA_SEP, 0);
            dp_textbuf_add(out, notes.text, notes.len, 0, 0);
        }
        if (notes.failed || out->failed)
            rc = DOPPEL_ERR_NOMEM;
        dp_textbuf_free(&notes);
        xmlFreeDoc(doc);
    }
    dp_zip_close(z);
    return rc;
}
