#!/usr/bin/env python3
"""A short-answer plagiarism set graded like Clough & Stevenson's (Python 3 standard library only).

Usage (deterministic for a given --seed):

    python3 bench/clough_gen.py --seed 2 --out /tmp/clough2 [--tasks 10]

Clough and Stevenson's corpus (2011) has students answer short questions from a source text at
four levels: near copy ("cut"), light revision, heavy revision and no plagiarism. This builds the
same design from Bible text (public domain, /work/shared/data): each task's source is a passage
of 10-16 consecutive verses of the World English Bible (WEB; a book the demo does not reserve),
and each task gets answers of 60-100% of the passage's verses (a contiguous run of them):
  cut    the WEB verses as they are;
  light  the WEB verses lightly revised: content words replaced by WordNet synonyms (about one
         in four), some adverbs dropped, two neighbouring sentences joined;
  heavy  the same verses in the Bible in Basic English (BBE), a translation in its own small
         vocabulary and sentence structure: a human rewrite of the same content;
  none   WEB verses of the same chapter outside the passage (where there is room) or of another
         chapter of the same book: the same subject, not derived from the source.
Per task: 2 cut, 2 light, 2 heavy, 4 none (Clough's corpus has about twice as many
non-plagiarised answers as of each other level).

Caveat: the default model was trained on verse-aligned translations of these books (WEB, BBE
and others; corpora/models/MODEL.md), so the heavy level is easier for the model than a
student's own rewrite; the ranking of cut > light > heavy > none is what this checks.

Output under --out: src/taskNN.txt, answers/taskNN-LEVEL-K.txt, truth.tsv (answer, task, level).
"""
import argparse
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "corpora", "demo"))
import edits  # noqa: E402
import textsrc  # noqa: E402

DATA = "/work/shared/data"
LEVELS = [("cut", 2), ("light", 2), ("heavy", 2), ("none", 4)]
ADVERBS = {"also", "then", "very", "now", "again", "surely", "certainly", "indeed", "even"}
STOP = {"that", "this", "with", "they", "them", "their", "there", "which", "will", "have", "were",
        "from", "your", "when", "what", "shall", "said", "into", "upon", "because", "those",
        "these", "also", "then", "than", "Yahweh", "God"}


def load_bbe(path):
    """{(book, chapter, verse): text} from `Book ch:v<TAB>text`."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, text = line.rstrip("\n").partition("\t")
            book, _, cv = key.rpartition(" ")
            ch, _, v = cv.partition(":")
            if ch.isdigit() and v.isdigit():
                out[(book, int(ch), int(v))] = text.strip()
    return out


def light(text, rng, syn):
    """Light revision of plain text: synonyms, dropped adverbs, one sentence join."""
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        m = re.match(r"^([A-Za-z]+)(.*)$", w)
        if m and m.group(1).lower() in ADVERBS and i > 0 and rng.random() < 0.5:
            if m.group(2) and out:
                out[-1] += m.group(2)
            continue
        if m and len(m.group(1)) > 3 and m.group(1).islower() and m.group(1) not in STOP and rng.random() < 0.25:
            for pos in ("noun", "verb", "adj", "adv"):
                cands = syn.lookup(pos, m.group(1))
                if cands:
                    w = rng.choice(cands) + m.group(2)
                    break
        out.append(w)
    text = " ".join(out)
    stops = [m.start() for m in re.finditer(r"\. (?=[A-Z])", text)]
    if stops:
        k = rng.choice(stops)
        text = text[:k] + ", and " + text[k + 2].lower() + text[k + 3:]
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tasks", type=int, default=10)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    syn = edits.Synonyms()
    books = textsrc.load_verses(os.path.join(DATA, "kjv-web", "kjv_web_verses.tsv"))
    bbe = load_bbe(os.path.join(DATA, "bibles", "BBE.tsv"))
    reserved = set(textsrc.read_book_list(os.path.join(HERE, "..", "corpora", "demo", "heldout_books.txt")))
    names = sorted(b for b in books if b not in reserved and len(books[b]) >= 3
                   and any((b, c, 1) in bbe for c in books[b]))
    os.makedirs(os.path.join(a.out, "src"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "answers"), exist_ok=True)
    truth = []
    for t in range(a.tasks):
        book = names.pop(rng.randrange(len(names)))
        chapters = sorted(c for c in books[book] if len(books[book][c]) >= 16)
        if len(chapters) < 2:
            chapters = sorted(books[book])
        ch = rng.choice(chapters)
        verses = books[book][ch]
        n = min(len(verses), rng.randint(10, 16))
        v0 = rng.randrange(len(verses) - n + 1)
        passage = verses[v0:v0 + n]
        task = "task%02d" % t
        with open(os.path.join(a.out, "src", task + ".txt"), "w", encoding="utf-8") as f:
            f.write(" ".join(web for _, _, web in passage) + "\n")
        others = [c for c in books[book] if c != ch]
        for level, count in LEVELS:
            for k in range(count):
                if level == "none":
                    # half from the passage's own chapter outside it (where it has room), half
                    # from another chapter: text on the same subject, not derived from the source
                    before, after = verses[:v0], verses[v0 + n:]
                    ov = max(before, after, key=len) if k % 2 == 0 else []
                    if len(ov) < 6:
                        ov = books[book][rng.choice(others)]
                    m = min(len(ov), rng.randint(6, 12))
                    o0 = rng.randrange(len(ov) - m + 1)
                    text = " ".join(web for _, _, web in ov[o0:o0 + m])
                else:
                    m = rng.randint(max(4, int(0.6 * n)), n)
                    s0 = rng.randrange(n - m + 1)
                    part = passage[s0:s0 + m]
                    if level == "heavy":
                        text = " ".join(bbe.get((book, ch, v), web) for v, _, web in part)
                    else:
                        text = " ".join(web for _, _, web in part)
                        if level == "light":
                            text = light(text, rng, syn)
                name = "%s-%s-%d.txt" % (task, level, k)
                with open(os.path.join(a.out, "answers", name), "w", encoding="utf-8") as f:
                    f.write(text + "\n")
                truth.append((name, task + ".txt", level))
    with open(os.path.join(a.out, "truth.tsv"), "w", encoding="utf-8") as f:
        f.write("answer\tsource\tlevel\n")
        for row in truth:
            f.write("\t".join(row) + "\n")
    print("clough_gen: seed %d: %d tasks, %d answers; WordNet %s" %
          (a.seed, a.tasks, len(truth), "yes" if syn.available else "no (built-in list)"))


if __name__ == "__main__":
    main()
