#!/usr/bin/env python3
"""Builds the training pair files of the shipped default model from ../shared/data.

Only data whose licence lets a derived model be redistributed is used (see the data
README): STS-B train, KJV<->WEB verse pairs, PAWS-Wiki dev (minus the held-out ids in
paws_heldout_ids.txt), Brown prose, and WordNet synonyms (Debian wordnet-base).
SICK and MSRP are never read here.

    python3 corpora/models/prepare_training_data.py --data ../shared/data --out /tmp/doppel-train

writes, all as `text_a<TAB>text_b<TAB>label` (label 1 = similar, 0 = not):
    kjv_web.tsv      KJV verse and its WEB rendering (heavy human paraphrase), books held out
                     for the demo's paraphrase plants (corpora/demo/heldout_books.txt) excluded
    paws.tsv         PAWS-Wiki dev pairs except the held-out ids (word-order adversarial)
    brown_obf.tsv    a Brown sentence and an obfuscated copy of it (synonyms, deletions,
                     insertions, local shuffles) — what plagiarists do; the Brown documents the
                     demo corpus is built from (listed in corpora/demo/truth.jsonl) are excluded
STS-B train is read directly by `doppel train --data FILE:stsb`.
The output is deterministic for a given --seed.
"""
import argparse
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def clean(s):
    return s.replace("\t", " ").replace("\n", " ").strip()


def demo_brown_files():
    path = os.path.join(ROOT, "corpora", "demo", "truth.jsonl")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        meta = json.loads(f.readline())
    return {s["brown"] for s in meta.get("students", {}).values() if s.get("brown")}


def kjv_web(data, out, heldout_books):
    n = 0
    with open(os.path.join(data, "kjv-web", "kjv_web_verses.tsv"), encoding="utf-8") as f, \
            open(os.path.join(out, "kjv_web.tsv"), "w", encoding="utf-8") as w:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 5 or cols[0] in heldout_books:
                continue
            w.write(f"{clean(cols[3])}\t{clean(cols[4])}\t1\n")
            n += 1
    return n


def paws(data, out, heldout_ids):
    n = 0
    with open(os.path.join(data, "paws-wiki", "dev.tsv"), encoding="utf-8") as f, \
            open(os.path.join(out, "paws.tsv"), "w", encoding="utf-8") as w:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4 or cols[0] in heldout_ids:
                continue
            w.write(f"{clean(cols[1])}\t{clean(cols[2])}\t{cols[3]}\n")
            n += 1
    return n


def wordnet_synonyms(wndir="/usr/share/wordnet"):
    """word -> synonyms of its first (most frequent) sense, single words only."""
    syn = {}
    for pos in ("noun", "verb", "adj", "adv"):
        idx, dat = os.path.join(wndir, "index." + pos), os.path.join(wndir, "data." + pos)
        if not (os.path.exists(idx) and os.path.exists(dat)):
            continue
        first = {}
        with open(idx, encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                p = line.split()
                lemma, p_cnt = p[0], int(p[3])
                synset_cnt = int(p[2])
                offsets = p[4 + p_cnt + 2:]
                if offsets and synset_cnt and "_" not in lemma:
                    first[lemma] = int(offsets[0])
        with open(dat, "rb") as f:
            for lemma, off in first.items():
                if lemma in syn:
                    continue
                f.seek(off)
                p = f.readline().decode("latin-1").split()
                w_cnt = int(p[3], 16)
                words = [re.sub(r"\(.*\)$", "", p[4 + 2 * i]).lower() for i in range(w_cnt)]
                others = [x for x in words if x != lemma and "_" not in x]
                if others:
                    syn[lemma] = others
    return syn


def brown_sentences(data, exclude):
    sents = []
    bdir = os.path.join(data, "brown")
    for name in sorted(os.listdir(bdir)):
        if not re.fullmatch(r"c[a-r]\d\d", name) or name in exclude:
            continue
        with open(os.path.join(bdir, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                toks = [t.rsplit("/", 1)[0] for t in line.split() if "/" in t]
                if 8 <= len(toks) <= 40:
                    sents.append(detok(toks))
    return sents


def detok(toks):
    s = " ".join(toks)
    s = re.sub(r" ([.,;:!?')])", r"\1", s)
    s = re.sub(r"([(]) ", r"\1", s)
    s = s.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
    return s


# Function words: their first WordNet senses are rarely what the text means ("a" -> angstrom).
STOP = set("""a an the and or but if of in on at to for from by with as is are was were be been being
have has had do does did not no so than then that this these those it its he she they them his her
their we us our you your i me my who whom which what when where why how all any some can could may
might must shall should will would there here one two up out about into over after before very just
also only such more most other own same too""".split())

FILLERS = ["also", "really", "indeed", "then", "in fact", "clearly", "perhaps", "still"]


def obfuscate(sent, syn, rng):
    words = sent.split()
    out = []
    for w in words:
        core = w.strip('.,;:!?"()').lower()
        r = rng.random()
        if r < 0.08 and len(words) > 6:
            continue  # deletion
        if r < 0.35 and core in syn and core not in STOP and len(core) > 3:
            rep = rng.choice(syn[core])
            if w[:1].isupper():
                rep = rep[:1].upper() + rep[1:]
            w = w.replace(w.strip('.,;:!?"()'), rep.replace("_", " "), 1)
        out.append(w)
        if rng.random() < 0.05:
            out.append(rng.choice(FILLERS))
    # one local swap of neighbouring words
    if len(out) > 4 and rng.random() < 0.5:
        i = rng.randrange(len(out) - 2)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out)


def brown_obf(data, out, syn, rng, exclude, n_pairs):
    sents = brown_sentences(data, exclude)
    rng.shuffle(sents)
    n = 0
    with open(os.path.join(out, "brown_obf.tsv"), "w", encoding="utf-8") as w:
        for s in sents[:n_pairs]:
            o = obfuscate(s, syn, rng)
            if o != s:
                w.write(f"{clean(s)}\t{clean(o)}\t1\n")
                n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--brown-pairs", type=int, default=20000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    heldout_books = set(read_lines(os.path.join(ROOT, "corpora", "demo", "heldout_books.txt")))
    heldout_ids = set(read_lines(os.path.join(HERE, "paws_heldout_ids.txt")))
    demo_brown = demo_brown_files()
    syn = wordnet_synonyms()
    print("kjv_web.tsv", kjv_web(a.data, a.out, heldout_books), "pairs; held-out books:", sorted(heldout_books))
    print("paws.tsv", paws(a.data, a.out, heldout_ids), "pairs;", len(heldout_ids), "held-out ids")
    print("brown_obf.tsv", brown_obf(a.data, a.out, syn, rng, demo_brown, a.brown_pairs), "pairs;",
          len(syn), "WordNet words;", len(demo_brown), "demo Brown files excluded")


if __name__ == "__main__":
    main()
