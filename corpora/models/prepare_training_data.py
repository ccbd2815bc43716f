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
    swaps.tsv        triplets: a Brown sentence, an obfuscated copy, and the sentence with two
                     of its nouns swapped (same words, another meaning, as PAWS)
    wordnet.tsv      two WordNet synonyms, or a word and its gloss, for words Brown uses
    lexical.tsv      text pairs from the same sources scored 0..1 by a character 3-5-gram
                     TF-IDF cosine (a lexical teacher): obfuscated copies and verse renderings,
                     texts sharing a rare word, random texts; ranking them teaches the encoder
                     an IDF-weighted sense of overlap that a few thousand scored pairs cannot
    stsb_pairs.tsv   the same over STS-B train's sentences (news, captions, forums: the domain
                     of STS-B), each with an obfuscated copy, a sentence sharing a rare word, or
                     any other; their STS-B pairs and scores are not used (doppel reads those)
    demo_brown.txt   the Brown files the demo corpus is built from, for `--exclude-file` when
                     `doppel train` makes its own Brown pairs (`--data DIR:brown`)
STS-B train is read directly by `doppel train --data FILE:stsb`.
The output is deterministic for a given --seed.
"""
import argparse
import json
import math
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
    """Writes the pairs; returns them as (kjv, web) tuples."""
    pairs = []
    with open(os.path.join(data, "kjv-web", "kjv_web_verses.tsv"), encoding="utf-8") as f, \
            open(os.path.join(out, "kjv_web.tsv"), "w", encoding="utf-8") as w:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 5 or cols[0] in heldout_books:
                continue
            w.write(f"{clean(cols[3])}\t{clean(cols[4])}\t1\n")
            pairs.append((clean(cols[3]), clean(cols[4])))
    return pairs


def paws(data, out, heldout_ids):
    """Writes the pairs; returns their sentences."""
    sents = []
    with open(os.path.join(data, "paws-wiki", "dev.tsv"), encoding="utf-8") as f, \
            open(os.path.join(out, "paws.tsv"), "w", encoding="utf-8") as w:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4 or cols[0] in heldout_ids:
                continue
            w.write(f"{clean(cols[1])}\t{clean(cols[2])}\t{cols[3]}\n")
            sents += [clean(cols[1]), clean(cols[2])]
    return sents


def synset_words(fields):
    """The lemmas of a WordNet data-file line split on spaces, lowercased, markers dropped."""
    return [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower() for i in range(int(fields[3], 16))]


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
                words = synset_words(p)
                others = [x for x in words if x != lemma and "_" not in x]
                if others:
                    syn[lemma] = others
    return syn


def brown_tagged(data, exclude):
    """Sentences of 8-40 tokens as lists of (word, tag)."""
    sents = []
    bdir = os.path.join(data, "brown")
    for name in sorted(os.listdir(bdir)):
        if not re.fullmatch(r"c[a-r]\d\d", name) or name in exclude:
            continue
        with open(os.path.join(bdir, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                toks = [t.rsplit("/", 1) for t in line.split() if "/" in t]
                if 8 <= len(toks) <= 40:
                    sents.append(toks)
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


def brown_obf(sents, out, syn, rng, n_pairs):
    n = 0
    with open(os.path.join(out, "brown_obf.tsv"), "w", encoding="utf-8") as w:
        for s in sents[:n_pairs]:
            o = obfuscate(s, syn, rng)
            if o != s:
                w.write(f"{clean(s)}\t{clean(o)}\t1\n")
                n += 1
    return n


def char_grams(text):
    t = " " + " ".join(text.lower().split()) + " "
    grams = {}
    for n in (3, 4, 5):
        for i in range(len(t) - n + 1):
            g = t[i:i + n]
            grams[g] = grams.get(g, 0) + 1
    return grams


def word_counts(text):
    """The \\w+ words of text, lowercased, counted."""
    counts = {}
    for w in re.findall(r"\w+", text.lower()):
        counts[w] = counts.get(w, 0) + 1
    return counts


def tfidf_vectors(texts, features=char_grams, idf_offset=1.0):
    """The unit TF-IDF vector of any text over its features (counted by features(text)):
    sublinear tf, idf idf_offset + log((1 + n) / (1 + df)) over the n texts (1: smooth)."""
    df = {}
    for t in texts:
        for k in features(t):
            df[k] = df.get(k, 0) + 1
    n_docs = len(texts)

    def vec(text):
        v = {k: (1 + math.log(c)) * (idf_offset + math.log((1 + n_docs) / (1 + df.get(k, 0))))
             for k, c in features(text).items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {k: x / norm for k, x in v.items()}
    return vec


def scored_pairs(path, texts, partners, syn, rng, n_pairs, vec, copies=0.3, topical=0.4):
    """Pairs around random texts, scored by the TF-IDF cosine: an edited copy (the text's
    partner, else an obfuscation), a text sharing a rare content word, or any text, in
    the shares copies, topical and the rest."""
    n_docs = len(texts)
    words = [set(w for w in re.findall(r"[a-z]{4,}", t.lower()) if w not in STOP) for t in texts]
    wdf = {}
    for ws in words:
        for w in ws:
            wdf[w] = wdf.get(w, 0) + 1
    holders = {}
    for i, ws in enumerate(words):
        for w in ws:
            if 2 <= wdf[w] <= 200:
                holders.setdefault(w, []).append(i)
    vectors = {}  # of texts[i], made once
    n = 0
    with open(path, "w", encoding="utf-8") as w:
        while n < n_pairs:
            i = rng.randrange(n_docs)
            r = rng.random()
            if r < copies:
                b = partners.get(i) or obfuscate(texts[i], syn, rng)
            elif r < copies + topical:
                rare = [x for x in words[i] if x in holders]
                if not rare:
                    continue
                j = rng.choice(holders[rng.choice(sorted(rare))])
                if j == i:
                    continue
                b = texts[j]
            else:
                b = texts[rng.randrange(n_docs)]
            if i not in vectors:
                vectors[i] = vec(texts[i])
            va, vb = vectors[i], vec(b)
            score = sum(x * vb.get(k, 0.0) for k, x in va.items())
            w.write(f"{clean(texts[i])}\t{clean(b)}\t{score:.4f}\n")
            n += 1
    return n


def stsb_sentences(data):
    """STS-B train's distinct sentences (their pairs and scores are not used here)."""
    texts = set()
    with open(os.path.join(data, "stsb", "sts-train.csv"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 7:
                texts.update(fields[5:7])
    return sorted(texts)


def swaps(out, tagged, syn, rng, n_triplets):
    """Triplets (sentence, obfuscated copy, the sentence with two nouns swapped): the same
    words in another order can mean something else (PAWS), while light edits keep the meaning."""
    n = 0
    order = list(range(len(tagged)))
    rng.shuffle(order)
    with open(os.path.join(out, "swaps.tsv"), "w", encoding="utf-8") as w:
        for k in order:
            if n == n_triplets:
                break
            toks = tagged[k]
            nouns = [i for i, (_, tag) in enumerate(toks) if tag.split("-")[0] in ("nn", "nns", "np", "nps")]
            pairs = [(i, j) for i in nouns for j in nouns if j - i >= 2 and toks[i][0].lower() != toks[j][0].lower()]
            if not pairs:
                continue
            i, j = rng.choice(pairs)
            words = [t[0] for t in toks]
            anchor = detok(words)
            words[i], words[j] = words[j], words[i]
            positive = obfuscate(anchor, syn, rng)
            if positive == anchor:
                continue
            w.write(f"{clean(anchor)}\t{clean(positive)}\t{clean(detok(words))}\n")
            n += 1
    return n


def wordnet_pairs(out, counts, rng, wndir="/usr/share/wordnet", min_count=3):
    """Synonyms of one WordNet sense, and a word with its gloss, for words Brown uses: the
    encoder learns word meanings that no pair file at hand spells out."""
    pairs = []
    for pos in ("noun", "verb", "adj", "adv"):
        path = os.path.join(wndir, "data." + pos)
        if not os.path.exists(path):
            continue
        with open(path, encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                head, gloss = line.split("|", 1)
                p = head.split()
                words = synset_words(p)
                known = [x for x in dict.fromkeys(words) if "_" not in x and counts.get(x, 0) >= min_count]
                if len(known) >= 2:
                    a, b = rng.sample(known, 2)
                    pairs.append((a, b))
                definition = gloss.split(";")[0].strip()
                if known and len(definition.split()) >= 3:
                    pairs.append((rng.choice(known), definition))
    rng.shuffle(pairs)
    with open(os.path.join(out, "wordnet.tsv"), "w", encoding="utf-8") as w:
        for a, b in pairs:
            w.write(f"{clean(a)}\t{clean(b)}\t1\n")
    return len(pairs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--brown-pairs", type=int, default=20000)
    ap.add_argument("--lexical-pairs", type=int, default=300000)
    ap.add_argument("--stsb-pairs", type=int, default=100000)
    ap.add_argument("--swap-triplets", type=int, default=20000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    heldout_books = set(read_lines(os.path.join(ROOT, "corpora", "demo", "heldout_books.txt")))
    heldout_ids = set(read_lines(os.path.join(HERE, "paws_heldout_ids.txt")))
    demo_brown = demo_brown_files()
    with open(os.path.join(a.out, "demo_brown.txt"), "w", encoding="utf-8") as w:
        w.write("".join(name + "\n" for name in sorted(demo_brown)))
    syn = wordnet_synonyms()
    verses = kjv_web(a.data, a.out, heldout_books)
    print("kjv_web.tsv", len(verses), "pairs; held-out books:", sorted(heldout_books))
    paws_sents = paws(a.data, a.out, heldout_ids)
    print("paws.tsv", len(paws_sents) // 2, "pairs;", len(heldout_ids), "held-out ids")
    tagged = brown_tagged(a.data, demo_brown)
    brown = [detok([w for w, _ in t]) for t in tagged]
    rng.shuffle(brown)
    print("brown_obf.tsv", brown_obf(brown, a.out, syn, rng, a.brown_pairs), "pairs;",
          len(syn), "WordNet words;", len(demo_brown), "demo Brown files excluded")
    texts = brown + paws_sents + [v for pair in verses for v in pair]
    base = len(brown) + len(paws_sents)
    partners = {base + k: texts[base + (k ^ 1)] for k in range(2 * len(verses))}
    print("lexical.tsv", scored_pairs(os.path.join(a.out, "lexical.tsv"), texts, partners, syn, rng,
                                      a.lexical_pairs, tfidf_vectors(texts)), "pairs scored over", len(texts), "texts")
    print("swaps.tsv", swaps(a.out, tagged, syn, rng, a.swap_triplets), "triplets")
    counts = {}
    for t in tagged:
        for word, _ in t:
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    print("wordnet.tsv", wordnet_pairs(a.out, counts, rng), "pairs")
    # Its own random stream, so the files above stay as they were before it was added.
    sts = stsb_sentences(a.data)
    with open(os.path.join(a.out, "lexical.tsv"), encoding="utf-8") as f:
        idf_texts = sts + [line.split("\t", 1)[0] for _, line in zip(range(60000), f)]
    print("stsb_pairs.tsv", scored_pairs(os.path.join(a.out, "stsb_pairs.tsv"), sts, {}, syn,
                                         random.Random(a.seed + 10), a.stsb_pairs, tfidf_vectors(idf_texts),
                                         copies=0.25, topical=0.5),
          "pairs over", len(sts), "STS-B train sentences")


if __name__ == "__main__":
    main()
