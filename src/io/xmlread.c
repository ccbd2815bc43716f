#include "io/xmlread.h"

#include <libxml/parser.h>
#include <string.h>

#include "doppel.h"
#include "io/zipread.h"

/* Limits of libxml2 itself stay on (no XML_PARSE_HUGE). */
#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static bool declares_entities(const char *bytes, size_t len)
{
    /* Checked on the bytes before parsing, so that no entity is ever expanded, even
     * the once libxml2 does to check an entity's content. */
    static const char tag[] = "<!ENTITY";
    size_t n = sizeof tag - 1;
    for (size_t i = 0; i + n <= len; i++)
        if (bytes[i] == '<' && memcmp(bytes + i, tag, n) == 0)
            return true;
    return false;
}

int dp_xml_parse(const char *name, const char *bytes, size_t len, xmlDoc **doc, char **why)
{
    *doc = NULL, *why = NULL;
    if (declares_entities(bytes, len)) {
        *why = dp_io_printf("%s: declares XML entities (refused: entity expansion)", name);
        return *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
    }
    if (len > INT32_MAX) {
        *why = dp_io_printf("%s: too large", name);
        return *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return DOPPEL_ERR_NOMEM;
    *doc = xmlCtxtReadMemory(ctxt, bytes, (int)len, name, NULL, XML_OPTS);
    if (!*doc || !ctxt->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[160] = "not well-formed";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t m = strlen(msg);
            while (m > 0 && (msg[m - 1] == '\n' || msg[m - 1] == ' '))
                msg[--m] = '\0';
        }
        *why = dp_io_printf("%s: malformed XML at line %d: %s", name, e ? e->line : 0, msg);
        xmlFreeDoc(*doc);
        *doc = NULL;
        xmlFreeParserCtxt(ctxt);
        return *why ? DOPPEL_ERR_FORMAT : DOPPEL_ERR_NOMEM;
    }
    xmlFreeParserCtxt(ctxt);
    return DOPPEL_OK;
}

bool dp_xml_is(const xmlNode *n, const char *ns, const char *local)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ns) == 0 && strcmp((const char *)n->name, local) == 0;
}
