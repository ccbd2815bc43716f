#!/usr/bin/env python3
"""Reads a sweep's JSONL report and prints, per reported pair, the words each passage
covers on each side, so that the format tests can check what was found where.

  passages.py REPORT.jsonl DUMPDIR
Each side's text is the file itself (offsets into its bytes: HTML markup and entities
are then stripped from the span) or, when the pair says "a_offsets":"extracted", the
text under DUMPDIR written by --dump-text. Output, one line per passage:
  A<TAB>B<TAB>KIND<TAB>words of a's span<TAB>words of b's span
"""
import html
import json
import re
import sys


def words(s):
    return " ".join(re.findall(r"[a-z0-9]+", s.lower()))


def text_of(doc_id, how, dumpdir):
    if how == "extracted":
        name = doc_id[2:] if doc_id.startswith("./") else doc_id
        return open(f"{dumpdir}/{name.replace('/', '%')}.txt", "rb").read()
    return open(doc_id, "rb").read()


def span(data, start, end):
    s = data[start:end].decode("utf-8", "replace")
    s = re.sub(r"<[^>]*>", " ", s)  # markup inside an HTML span
    return words(html.unescape(s))


def main():
    report, dumpdir = sys.argv[1], sys.argv[2]
    for line in open(report, encoding="utf-8"):
        r = json.loads(line)
        if r["type"] != "pair":
            continue
        ta = text_of(r["a"], r.get("a_offsets"), dumpdir)
        tb = text_of(r["b"], r.get("b_offsets"), dumpdir)
        for p in r["passages"]:
            print("\t".join([r["a"], r["b"], p["kind"], span(ta, p["a_start"], p["a_end"]),
                             span(tb, p["b_start"], p["b_end"])]))


if __name__ == "__main__":
    main()
