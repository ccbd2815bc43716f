#!/usr/bin/env python3
"""Held-out slices of the training sources, the topic check, and the selection sets.

Recipes, mixes, steps and checkpoints are chosen on the selection sets only; STS-B dev,
SICK trial, MSRP val and the PAWS held-out ids are reported for final candidates and never
used to choose. Every slice below is to be kept out of the training files of a new model,
and each is cut in two halves: one builds the
selection sets, the other the committed topic check, which is reported, not chosen on.

    python3 corpora/models/selection.py --data ../shared/data --ids     # once: the id files
    python3 corpora/models/selection.py --data ../shared/data --out DIR

--ids writes corpora/models/selection/*.txt (committed; the same bytes every time) and
corpora/models/selection/topic_check.tsv. --out writes, from the committed ids:
    sel_stsb.tsv    the held-out STS-B train rows (stsb format; Spearman)
    sel_paws.tsv    the PAWS dev selection ids (paws format; ROC-AUC)
    sel_topic.tsv   a topic check built as topic_check.tsv from the selection halves (topic)
    sel_ppdb.tsv    the held-out PPDB human phrase pairs (tsv, score 1-5; Spearman)

A topic file has columns kind, label, s1, s2: label 1 for a true paraphrase (two
translations of one verse, two captions of one image, a sentence and its split), 0 for a
pair on the same topic with another meaning (two verses of one chapter in two translations,
captions of two images of the same kind of scene, an NLI premise and a contradiction or a
neutral hypothesis of it).
"""
import argparse
import hashlib
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IDS = os.path.join(HERE, "selection")
SEED = 12

# Bible books held out (besides the demo's corpora/demo/heldout_books.txt):
SEL_BOOKS = ["Micah", "Colossians"]    # selection half
TOPIC_BOOKS = ["Amos", "Galatians"]    # topic-check half

# Nouns that name the kind of scene of a COCO image (the word most of its captions use).
KINDS = """dog cat horse sheep cow elephant bear zebra giraffe bird pizza sandwich cake donut
banana broccoli hot-dog train bus truck motorcycle bicycle airplane plane boat kite surfboard
skateboard skis snowboard frisbee tennis baseball toilet bathroom kitchen bed laptop computer
clock umbrella bench vase sink refrigerator couch television street beach snow ocean table
""".split()


def clean(s):
    return " ".join(s.replace("\t", " ").split())


def read_tsv(path, skip_header=False):
    with open(path, encoding="utf-8", newline="") as f:
        rows = [l.rstrip("\n").rstrip("\r").split("\t") for l in f]
    return rows[1:] if skip_header else rows


def read_ids(name):
    with open(os.path.join(IDS, name), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def write_lines(path, header, lines):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n")
        for l in lines:
            f.write(l + "\n")
    os.replace(tmp, path)


# ---- the sources, each as a list of keyed units -----------------------------------------

def stsb_rows(data):
    return [r for r in read_tsv(os.path.join(data, "stsb", "sts-train.csv")) if len(r) >= 7]


def stsb_key(r):
    return "%s %s %s" % (r[1], r[2], r[3])


def paws_rows(data):
    return [r for r in read_tsv(os.path.join(data, "paws-wiki", "dev.tsv")) if len(r) >= 4 and r[0] != "id"]


def paws_heldout():
    with open(os.path.join(HERE, "paws_heldout_ids.txt"), encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def coco_groups(data):
    groups = {}
    for r in read_tsv(os.path.join(data, "coco-captions", "captions_val2017.tsv"), skip_header=True):
        if len(r) >= 2 and r[1].strip():
            groups.setdefault(r[0], []).append(clean(r[1]))
    return groups


def snli_groups(data):
    """premise -> [(hypothesis, label)] in file order."""
    groups = {}
    for r in read_tsv(os.path.join(data, "snli-devtest", "snli_devtest.tsv"), skip_header=True):
        if len(r) >= 3 and r[2] in ("entailment", "neutral", "contradiction"):
            groups.setdefault(clean(r[0]), []).append((clean(r[1]), r[2]))
    return groups


def wikisplit_rows(data):
    return [r for r in read_tsv(os.path.join(data, "wikisplit", "tune.tsv")) if len(r) >= 2]


def ppdb_rows(data):
    return [r for r in read_tsv(os.path.join(data, "ppdb-human", "ppdb-sample.tsv")) if len(r) >= 4]


def bible_verses(data, books):
    """(book, chapter) -> {verse: {translation: text}} for the given books."""
    out = {}
    kw = read_tsv(os.path.join(data, "kjv-web", "kjv_web_verses.tsv"), skip_header=True)
    for b, c, v, kjv, web in (r[:5] for r in kw if len(r) >= 5):
        if b in books:
            d = out.setdefault((b, int(c)), {}).setdefault(int(v), {})
            d["KJV"], d["WEB"] = clean(kjv), clean(web)
    bdir = os.path.join(data, "bibles")
    for name in sorted(os.listdir(bdir)):
        if not name.endswith(".tsv"):
            continue
        for r in read_tsv(os.path.join(bdir, name)):
            m = re.match(r"^(.+) (\d+):(\d+)$", r[0]) if len(r) >= 2 else None
            if m and m.group(1) in books and r[1].strip():
                out.setdefault((m.group(1), int(m.group(2))), {}).setdefault(int(m.group(3)), {})[name[:-4]] = clean(r[1])
    return out


def held_out(keys, n, salt):
    """n keys, the same whatever order keys come in: those of the smallest salted hash."""
    h = lambda k: hashlib.sha256((salt + "\0" + k).encode("utf-8")).hexdigest()
    return sorted(sorted(set(keys), key=h)[:n])


# ---- the id files ---------------------------------------------------------------------------

def write_ids(data):
    os.makedirs(IDS, exist_ok=True)
    why = "held out of training by corpora/models/selection.py (--ids)"
    stsb = held_out([stsb_key(r) for r in stsb_rows(data)], 600, "stsb")
    write_lines(os.path.join(IDS, "stsb_train.txt"), ["STS-B train rows (file year id) " + why], stsb)
    ho = paws_heldout()
    paws = held_out([r[0] for r in paws_rows(data) if r[0] not in ho], 1000, "paws")
    write_lines(os.path.join(IDS, "paws_dev.txt"),
                ["PAWS-Wiki dev ids outside paws_heldout_ids.txt " + why], sorted(paws, key=int))
    for name, keys, n, what in (
            ("coco_images", coco_groups(data).keys(), 1000, "COCO val2017 image ids"),
            ("snli_premises", snli_groups(data).keys(), 1200, "SNLI dev+test premises"),
            ("wikisplit_tune", [r[0] for r in wikisplit_rows(data)], 800, "WikiSplit tune.tsv long sentences"),
            ("ppdb_human", ["\t".join(r[2:4]) for r in ppdb_rows(data)], 1000, "PPDB human phrase pairs (p1<TAB>p2)")):
        keys = held_out(keys, n, name)
        rng = random.Random("%d %s" % (SEED, name))
        rng.shuffle(keys)
        half = len(keys) // 2
        # the first half selects, the second half is the topic check's (where a topic
        # check uses the source)
        write_lines(os.path.join(IDS, name + ".txt"),
                    [what + " " + why, "first %d lines: selection; the rest: the topic check" % half], keys)
    write_lines(os.path.join(IDS, "bible_books.txt"),
                ["Bible books " + why + " (all translations)", "selection: " + ", ".join(SEL_BOOKS),
                 "topic check: " + ", ".join(TOPIC_BOOKS)], SEL_BOOKS + TOPIC_BOOKS)


def halves(name):
    keys = read_ids(name + ".txt")
    return keys[: len(keys) // 2], keys[len(keys) // 2:]


# ---- topic sets -------------------------------------------------------------------------------

def topic_rows(data, half, rng):
    """(kind, label, s1, s2) rows from one half (0 selection, 1 topic check)."""
    rows = []
    books = (SEL_BOOKS, TOPIC_BOOKS)[half]
    chapters = bible_verses(data, set(books))
    verse_pos, verse_neg = [], []
    for key in sorted(chapters):
        verses = chapters[key]
        nums = sorted(verses)
        for v in nums:
            tr = sorted(verses[v])
            others = [w for w in nums if w != v]
            for _ in range(2):  # two draws a verse: the books have about 300 verses
                if len(tr) >= 2:
                    a, b = rng.sample(tr, 2)
                    verse_pos.append((verses[v][a], verses[v][b]))
                if others:
                    w = rng.choice(others)
                    a, b = rng.choice(tr), rng.choice(sorted(verses[w]))
                    verse_neg.append((verses[v][a], verses[w][b]))
    rows += [("verse", 1, a, b) for a, b in rng.sample(verse_pos, min(500, len(verse_pos)))]
    rows += [("verse", 0, a, b) for a, b in rng.sample(verse_neg, min(500, len(verse_neg)))]

    coco = coco_groups(data)
    images = halves("coco_images")[half]
    by_kind = {}
    for im in images:
        caps = coco[im]
        counts = [(sum(k in c.lower().replace("hot dog", "hot-dog").split() for c in caps), k) for k in KINDS]
        best = max(counts)
        if best[0] >= 3:
            by_kind.setdefault(best[1], []).append(im)
    cap_pos, cap_neg = [], []
    for im in images:
        a, b = rng.sample(coco[im], 2)
        cap_pos.append((a, b))
    for kind in sorted(by_kind):
        ims = by_kind[kind]
        for i, im in enumerate(ims):
            for _ in range(2 if len(ims) >= 2 else 0):  # about half the images have a kind
                other = ims[(i + 1 + rng.randrange(len(ims) - 1)) % len(ims)]
                cap_neg.append((rng.choice(coco[im]), rng.choice(coco[other])))
    rows += [("caption", 1, a, b) for a, b in rng.sample(cap_pos, min(500, len(cap_pos)))]
    rows += [("caption", 0, a, b) for a, b in rng.sample(cap_neg, min(500, len(cap_neg)))]

    wiki = {r[0]: r[1] for r in wikisplit_rows(data)}
    rows += [("split", 1, clean(s), clean(wiki[s].replace("<::::>", " "))) for s in halves("wikisplit_tune")[half]]

    snli = snli_groups(data)
    nli = []
    for p in halves("snli_premises")[half]:
        for h, lab in snli[p]:
            if lab != "entailment":
                nli.append((p, h))
    rows += [("nli", 0, a, b) for a, b in rng.sample(nli, min(600, len(nli)))]
    return rows


def write_topic(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("kind\tlabel\ts1\ts2\n")
        for kind, lab, a, b in rows:
            f.write("%s\t%d\t%s\t%s\n" % (kind, lab, a, b))
    os.replace(tmp, path)


# ---- selection sets ---------------------------------------------------------------------------

def write_selection(data, out):
    os.makedirs(out, exist_ok=True)
    keep = set(read_ids("stsb_train.txt"))
    with open(os.path.join(out, "sel_stsb.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in stsb_rows(data):
            if stsb_key(r) in keep:
                f.write("\t".join(r) + "\n")
    keep = set(read_ids("paws_dev.txt"))
    with open(os.path.join(out, "sel_paws.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in paws_rows(data):
            if r[0] in keep:
                f.write("\t".join(r[:4]) + "\n")
    keep = set(halves("ppdb_human")[0])
    with open(os.path.join(out, "sel_ppdb.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in ppdb_rows(data):
            if "\t".join(r[2:4]) in keep:
                f.write("%s\t%s\t%s\n" % (r[2], r[3], r[0]))
    write_topic(os.path.join(out, "sel_topic.tsv"), topic_rows(data, 0, random.Random(SEED)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    ap.add_argument("--ids", action="store_true", help="write the committed id files and topic check")
    ap.add_argument("--out", help="directory for the selection sets")
    a = ap.parse_args()
    if not a.ids and not a.out:
        sys.exit("selection.py: give --ids, --out DIR or both")
    if a.ids:
        write_ids(a.data)
        write_topic(os.path.join(IDS, "topic_check.tsv"), topic_rows(a.data, 1, random.Random(SEED + 1)))
    if a.out:
        write_selection(a.data, a.out)


if __name__ == "__main__":
    main()
