#!/usr/bin/env python3
"""A PAN-style text-alignment corpus with planted passages (Python 3 standard library only).

Usage (deterministic for a given --seed):

    python3 bench/pan_gen.py --seed 2 --out /tmp/pan2 [--sources 100] [--suspicious 150]

Inputs: the Brown corpus (word/TAG files + cats.txt, from /work/shared/data/brown by default)
and WordNet 3.0 from /usr/share/wordnet (Debian's wordnet-base) for synonyms; without it a
small built-in list is used and the output differs. The readers and edits of the demo
generator (corpora/demo/textsrc.py, edits.py) are shared; no Bible text is used, so the
books the demo reserves stay out.

Output under --out:
    src/source-documentNNNNN.txt      each the first ~1000 words of its own Brown document
    susp/suspicious-documentNNNNN.txt each ~700 words of another Brown document of the same
                                      category as its sources (so every document shares a topic
                                      with them), with 0 (no plagiarism, 40%) or 1-3 planted
                                      passages between its paragraphs
    truth/suspicious-documentNNNNN.xml  PAN XML: <feature name="plagiarism" obfuscation=C
                                      this_offset this_length source_reference source_offset
                                      source_length/>, offsets in characters

Every suspicious document with plagiarism has one obfuscation class C for its passages:
  none        the source sentences as they are;
  random      PAN's random obfuscation: each word, with probability rate (0.1, 0.2 or 0.3, the
              `rate` attribute), is deleted, replaced by a WordNet synonym, swapped with the next
              word, or followed by a word drawn from the passage;
  reorder     the passage's sentences shuffled;
  splitmerge  long sentences split at ', and' / ';' and neighbouring sentences merged;
  summary     6-12 source sentences condensed into about a third as many: each summary
              sentence joins the opening of one sentence to the end of the next one or two,
              drops some modifiers and replaces some words by synonyms.
A passage takes 3-10 source sentences (6-12 for summary), more while it has fewer than 50
words (tokens). A case's source span is the whole passage taken; its suspicious span the text
inserted.
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "corpora", "demo"))
import edits  # noqa: E402
import textsrc  # noqa: E402

CLASSES = ["none", "random", "reorder", "splitmerge", "summary"]
RATES = [0.1, 0.2, 0.3]
MIN_WORDS = 50


def sentences_of(doc, words):
    """The document's first sentences up to about `words` words, as paragraphs."""
    out, n = [], 0
    for para in doc["paragraphs"]:
        if n >= words:
            break
        out.append(para)
        n += sum(len(s) for s in para)
    return out


def random_obfuscation(sents, rng, syn, rate):
    pool = [t for s in sents for t in s if t[0].isalpha()]
    out = []
    for s in sents:
        toks = list(s)
        i, res = 0, []
        while i < len(toks):
            w, t = toks[i]
            if not w.isalpha() or rng.random() >= rate:
                res.append(toks[i])
                i += 1
                continue
            op = rng.randrange(4)
            if op == 0:      # delete
                pass
            elif op == 1:    # synonym (kept when there is none)
                new, _ = edits.substitute([toks[i]], rng, syn, 1.0)
                res.extend(new)
            elif op == 2 and i + 1 < len(toks) and toks[i + 1][0].isalpha():  # swap
                res.extend([toks[i + 1], toks[i]])
                i += 1
            else:            # insert a word of the passage after it
                res.extend([toks[i], (rng.choice(pool)[0].lower(), "x")])
            i += 1
        if res:
            out.append(res)
    return out


def split_merge(sents, rng):
    out = []
    for s in sents:
        parts = edits.split(s) if len(s) > 14 else None
        out.extend(parts if parts else [s])
    merged, k = [], 0
    while k < len(out):
        if k + 1 < len(out) and out[k][-1][0] == "." and rng.random() < 0.5:
            merged.append(edits.merge(out[k], out[k + 1]))
            k += 2
        else:
            merged.append(out[k])
            k += 1
    return merged


def summarise(sents, rng, syn):
    """Groups of 2-3 sentences -> one: the first ~60% of the first, then the last ~40% of the
    last, joined with ', and'; modifiers dropped, a few synonyms."""
    out, k = [], 0
    while k < len(sents):
        g = sents[k:k + rng.choice([2, 3])]
        k += len(g)
        head = [t for t in g[0] if t[0] not in ".!?"]
        head = head[:max(4, int(len(head) * 0.6))]
        if len(g) > 1:
            tail = g[-1][int(len(g[-1]) * 0.6):]
            tail = [t for t in tail if t[0] not in ".!?"]
            sent = head + ([(",", ","), ("and", "cc")] + tail if len(tail) >= 3 else [])
        else:
            sent = head
        sent, _ = edits.substitute(edits.delete_modifiers(sent, rng, 0.5), rng, syn, 0.15)
        out.append(sent + [(".", ".")])
    return out


def obfuscate(cls, sents, rng, syn, rate):
    if cls == "none":
        return sents
    if cls == "random":
        return random_obfuscation(sents, rng, syn, rate)
    if cls == "reorder":
        s = list(sents)
        while len(s) > 1 and s == sents:
            rng.shuffle(s)
        return s
    if cls == "splitmerge":
        return split_merge(sents, rng)
    return summarise(sents, rng, syn)


def text_of(paragraphs):
    """Paragraphs of (word, tag) sentences -> text, and each sentence's (start, end) per paragraph."""
    parts, spans, pos = [], [], 0
    for p, para in enumerate(paragraphs):
        if p:
            parts.append("\n\n")
            pos += 2
        row = []
        for i, s in enumerate(para):
            if i:
                parts.append(" ")
                pos += 1
            t = textsrc.detok(s)
            row.append((pos, pos + len(t)))
            parts.append(t)
            pos += len(t)
        spans.append(row)
    return "".join(parts), spans


def xml_attr(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--suspicious", type=int, default=150)
    ap.add_argument("--brown", default="/work/shared/data/brown")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    syn = edits.Synonyms()
    brown = textsrc.load_brown(a.brown)
    by_cat = {}
    for doc_id in sorted(brown):
        by_cat.setdefault(brown[doc_id]["category"], []).append(doc_id)
    cats = sorted(by_cat)
    for c in cats:
        rng.shuffle(by_cat[c])
    # sources and suspicious documents drawn category by category, each from its own Brown document
    sources, susp = [], []
    k = 0
    while len(sources) < a.sources or len(susp) < a.suspicious:
        c = cats[k % len(cats)]
        k += 1
        if not by_cat[c]:
            if not any(by_cat.values()):
                sys.exit("pan_gen: not enough Brown documents for this many documents")
            continue
        if len(sources) < a.sources and (len(sources) * a.suspicious <= len(susp) * a.sources or
                                         len(susp) >= a.suspicious):
            sources.append((c, by_cat[c].pop()))
        elif len(susp) < a.suspicious:
            susp.append((c, by_cat[c].pop()))
    for sub in ("src", "susp", "truth"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    src_sents = {}
    for n, (c, d) in enumerate(sources, 1):
        name = "source-document%05d.txt" % n
        paras = sentences_of(brown[d], 1000)
        text, spans = text_of(paras)
        with open(os.path.join(a.out, "src", name), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        flat = [(s, sp) for para, row in zip(paras, spans) for s, sp in zip(para, row)]
        src_sents.setdefault(c, []).append((name, flat))
    counts = {}
    for n, (c, d) in enumerate(susp, 1):
        name = "suspicious-document%05d.txt" % n
        paras = [list(p) for p in sentences_of(brown[d], 700)]
        cls = "no-plagiarism" if rng.random() < 0.4 or c not in src_sents else rng.choice(CLASSES)
        rate = rng.choice(RATES) if cls == "random" else None
        plants = []  # (paragraph index to insert before, sentences, source name, source span)
        if cls != "no-plagiarism":
            for _ in range(rng.randint(1, 3)):
                src_name, flat = rng.choice(src_sents[c])
                length = rng.randint(6, 12) if cls == "summary" else rng.randint(3, 10)
                if len(flat) <= length:
                    continue
                i = rng.randrange(len(flat) - length)
                # at least MIN_WORDS words, as PAN's cases (short dialogue lines make short passages)
                while i + length < len(flat) and sum(len(s) for s, _ in flat[i:i + length]) < MIN_WORDS:
                    length += 1
                taken = flat[i:i + length]
                sents = obfuscate(cls, [s for s, _ in taken], rng, syn, rate)
                plants.append((rng.randint(0, len(paras)), sents, src_name, (taken[0][1][0], taken[-1][1][1])))
        # insert from the last position down, so earlier positions stay valid
        order = sorted(range(len(plants)), key=lambda p: -plants[p][0])
        marks = {}
        for p in order:
            at = plants[p][0]
            paras.insert(at, plants[p][1])
            for q in marks:
                if marks[q] >= at:
                    marks[q] += 1
            marks[p] = at
        text, spans = text_of(paras)
        feats = []
        for p, (_, _, src_name, (so, se)) in enumerate(plants):
            row = spans[marks[p]]
            feats.append((row[0][0], row[-1][1], src_name, so, se))
        feats.sort()
        with open(os.path.join(a.out, "susp", name), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        with open(os.path.join(a.out, "truth", name[:-4] + ".xml"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<document reference="%s">\n' % name)
            for ts, te, src_name, so, se in feats:
                f.write('<feature name="plagiarism" obfuscation="%s"%s this_offset="%d" this_length="%d" '
                        'source_reference="%s" source_offset="%d" source_length="%d"/>\n'
                        % (cls, ' rate="%g"' % rate if rate else "", ts, te - ts, xml_attr(src_name), so, se - so))
            f.write("</document>\n")
        counts[cls] = counts.get(cls, 0) + len(feats) if feats else counts.get(cls, 0) + (cls == "no-plagiarism")
    print("pan_gen: seed %d: %d sources, %d suspicious documents; cases by class (documents for "
          "no-plagiarism): %s; WordNet %s" % (a.seed, len(sources), len(susp), counts,
                                              "yes" if syn.available else "no (built-in list)"))


if __name__ == "__main__":
    main()
