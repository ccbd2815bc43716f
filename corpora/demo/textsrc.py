"""Source text readers shared by the corpus generators (Python 3 standard library only).

Brown corpus (NLTK layout, word/TAG tokens): one sentence per line, paragraphs separated by
blank lines. A sentence is kept as a list of (word, tag) pairs so that the edit step can use
the part-of-speech tags; `detok` turns it into natural text.

KJV<->WEB verse TSV: book, chapter, verse, kjv, web (header row).
"""
import os
import re

# Punctuation that attaches to the word before it.
_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "'", "''", "%"}
# Punctuation that attaches to the word after it.
_NO_SPACE_AFTER = {"(", "``", "$"}


def _clean_sentence(toks):
    """Drop doubled punctuation (the corpus has ';/. ;/.') and unbalanced double quotes
    (quotations in Brown often span several sentences; an essay must not carry half of one)."""
    out = []
    for w, t in toks:
        if out and w == out[-1][0] and not w[0].isalnum():
            continue
        out.append((w, t))
    if sum(w == "``" for w, _ in out) != sum(w == "''" for w, _ in out):
        out = [(w, t) for w, t in out if w not in ("``", "''")]
    if out and out[-1][0] not in (".", "!", "?", "''", ")", ":", ";"):
        out.append((".", "."))  # some Brown lines end without a full stop
    return out


def detok(toks):
    """(word, tag) list -> sentence text with English spacing and ASCII double quotes."""
    parts = []
    glue = True  # no space before the next token
    for w, _ in toks:
        text = {"``": '"', "''": '"'}.get(w, w)
        if parts and not glue and w not in _NO_SPACE_BEFORE and not w.startswith("'") \
                and w not in ("n't",):
            parts.append(" ")
        parts.append(text)
        glue = w in _NO_SPACE_AFTER
    s = "".join(parts)
    return s[:1].upper() + s[1:]


def _is_headline(toks):
    return sum(t.endswith("-hl") for _, t in toks) * 2 > len(toks)


def load_brown(root):
    """Return {doc_id: {"category": str, "paragraphs": [[sentence, ...], ...]}} where a
    sentence is a list of (word, tag). Headlines and 1-2 token fragments are dropped."""
    cats = {}
    with open(os.path.join(root, "cats.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                cats[parts[0]] = parts[1]
    docs = {}
    for doc_id in sorted(cats):
        with open(os.path.join(root, doc_id), encoding="utf-8") as f:
            raw = f.read()
        paragraphs = []
        for block in re.split(r"\n\s*\n", raw):
            para = []
            for line in block.split("\n"):
                toks = []
                for item in line.split():
                    w, _, t = item.rpartition("/")
                    if w:
                        toks.append((w, t))
                toks = _clean_sentence(toks)
                if len(toks) >= 3 and not _is_headline(toks):
                    para.append(toks)
            if para:
                paragraphs.append(para)
        docs[doc_id] = {"category": cats[doc_id], "paragraphs": paragraphs}
    return docs


def word_count(text):
    return len(text.split())


# The WEB export lost the space after some punctuation ("synagogue,and").
_WEB_COMMA = re.compile(r"([,;:])(?=[A-Za-z\u201c])")


# ... and after footnoted words ("Godcreated", "Yahwehspoke"): words that start with one of
# these, are themselves rare and end in a common word are split.
_WEB_FOOTNOTED = ("Yahweh", "God", "Sheol", "Spirit", "Lord", "cubits", "shekels", "offspring",
                  "princes", "cherubim", "body")
_WORD = re.compile(r"[A-Za-z]+")


def _unglue(text, counts):
    def fix(m):
        w = m.group(0)
        if counts[w] > 2:
            return w
        for p in _WEB_FOOTNOTED:
            if w.startswith(p) and counts.get(w[len(p):], 0) >= 5 and w[len(p)].islower():
                return p + " " + w[len(p):]
        return w
    return _WORD.sub(fix, text)


def load_verses(path):
    """Return {book: {chapter: [(verse, kjv, web), ...]}} in file order."""
    rows = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 5:
                rows.append(cols)
    counts = {}
    for row in rows:
        for w in _WORD.findall(row[4]):
            counts[w] = counts.get(w, 0) + 1
    books = {}
    for book, ch, v, kjv, web in rows:
        web = _unglue(_WEB_COMMA.sub(r"\1 ", web.strip()), counts)
        books.setdefault(book, {}).setdefault(int(ch), []).append((int(v), kjv.strip(), web))
    return books


def read_book_list(path):
    """One book name per line as in the TSV's first column; '#' starts a comment."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names
