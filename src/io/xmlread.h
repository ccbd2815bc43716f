/*
 * Parsing the XML members of office documents with libxml2, safely: no network
 * (XML_PARSE_NONET), no external DTD, entities never substituted, and a document that
 * declares entities at all (no word processor writes one; billion-laughs attacks do)
 * is refused.
 */
#ifndef DP_IO_XMLREAD_H
#define DP_IO_XMLREAD_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Parses member `name`'s bytes. DOPPEL_OK with *doc; DOPPEL_ERR_NOMEM; or
 * DOPPEL_ERR_FORMAT with *why (malloc'd): "NAME: malformed XML at line L: ..." or
 * "NAME: declares XML entities (refused: entity expansion)".
 */
int dp_xml_parse(const char *name, const char *bytes, size_t len, xmlDoc **doc, char **why);

/* The element's local name is `local` in namespace `ns`. */
bool dp_xml_is(const xmlNode *n, const char *ns, const char *local);

#endif
