#!/usr/bin/env python3
"""Training files that teach meaning rather than topic, from ../shared/data, with every
held-out slice of corpora/models/selection/ (and the demo's Bible books, and the PAWS
held-out ids) left out.

    python3 corpora/models/prepare_meaning_data.py --data ../shared/data --out /tmp/doppel-meaning

writes
    groups_bible.tsv  groups format (group, anchor, positive, negative; loss multipos): a verse
                      in two of the 17 public-domain translations (KJV, WEB and bibles/), two
                      rows a verse, in book order so that a window of rows is one chapter; the
                      negative is the anchor with two same-kind words swapped (a word-order
                      adversary), else a neighbouring verse
    groups_coco.tsv   two captions of one COCO image, two rows an image, images of one kind
                      of scene together; negative: a caption of another image of that kind, or
                      a word-order adversary
    groups_nli.tsv    an SNLI premise and a hypothesis it entails; negative: a contradiction
                      of the same premise (else a neutral one)
    groups_split.tsv  a WikiSplit sentence and its split into two (split/merge paraphrase);
                      negative: a word-order adversary of the sentence, else its neighbour's
    groups_nli_more.tsv  the same as groups_nli.tsv from counterfactual NLI (minimal edits),
                      ConjNLI, Breaking NLI (one-word swaps) and TaxiNLI (MultiNLI genres): a
                      premise and a hypothesis it entails; negative: a contradiction of that
                      premise, else a neutral one, else a word-order adversary
    groups_simple.tsv a OneStopEnglish news sentence and its rewrite at another reading
                      level; negative: a word-order adversary, else the previous sentence
    stsb_train.tsv    STS-B train without the selection rows (stsb format; CoSENT)
    paws_train.tsv    PAWS dev without the held-out and the selection ids (paws format)
    ppdb_human.tsv    PPDB human phrase pairs without the held-out ones: p1, p2, score 1-5
                      (tsv; CoSENT)

Word-order adversaries swap two words of the same kind — two common nouns of the same
number or two names (kinds from the Brown corpus's tags; a capitalised word inside a sentence
that Brown does not tag otherwise is a name) — so the words stay and the meaning changes,
as in "flights from Boston to Denver" / "flights from Denver to Boston".
The output is deterministic for a given --seed.
"""
import argparse
import json
import os
import random
import re

import prepare_training_data as ptd
import selection as sel

PUNCT = '.,;:!?"()\'`'


def noun_kinds(data):
    """word -> 'nn' / 'nns' / 'np': the tag Brown gives it most often, if a noun tag."""
    counts = {}
    for toks in ptd.brown_tagged(data, set()):
        for w, tag in toks:
            t = tag.split("-")[0]
            key = w if t in ("np", "nps") else w.lower()
            c = counts.setdefault(key, {})
            c[t] = c.get(t, 0) + 1
    kinds = {}
    for w, c in counts.items():
        t, n = max(c.items(), key=lambda kv: (kv[1], kv[0]))
        if t in ("nn", "nns", "np") and n >= 2 and w.lower() not in ptd.STOP and len(w) > 2:
            kinds[w] = t
    return kinds


def adversary(text, kinds, rng):
    """text with two same-kind words swapped, or None when it has no such two words."""
    words = text.split()
    slots = []
    for i, w in enumerate(words):
        core = w.strip(PUNCT)
        if len(core) < 3 or not core.isalpha():
            continue
        kind = kinds.get(core) or kinds.get(core.lower())
        if kind is None and i > 0 and core[0].isupper() and core.lower() not in ptd.STOP:
            kind = "np"
        if kind:
            slots.append((i, core, kind))
    cands = [(a, b) for a in slots for b in slots
             if b[0] - a[0] >= 2 and a[2] == b[2] and a[1].lower() != b[1].lower()]
    if not cands:
        return None
    (i, wi, _), (j, wj, _) = rng.choice(cands)
    out = list(words)
    out[i], out[j] = words[i].replace(wi, wj, 1), words[j].replace(wj, wi, 1)
    return " ".join(out)


def write_rows(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("group\tanchor\tpositive\tnegative\n")
        for g, a, p, n in rows:
            f.write("%d\t%s\t%s\t%s\n" % (g, ptd.clean(a), ptd.clean(p), ptd.clean(n)))
    os.replace(tmp, path)
    return len(rows)


def bible_rows(data, kinds, rng, exclude):
    books = []
    for r in sel.read_tsv(os.path.join(data, "kjv-web", "kjv_web_verses.tsv"), skip_header=True):
        if len(r) >= 5 and r[0] not in exclude and (not books or books[-1] != r[0]):
            books.append(r[0])
    chapters = sel.bible_verses(data, set(books))
    order = {b: k for k, b in enumerate(books)}
    rows, group = [], 0
    for book, ch in sorted(chapters, key=lambda bc: (order[bc[0]], bc[1])):
        verses = chapters[(book, ch)]
        nums = sorted(verses)
        for k, v in enumerate(nums):
            tr = sorted(verses[v])
            if len(tr) < 2:
                continue
            group += 1
            for _ in range(2):
                a, b = rng.sample(tr, 2)
                neg = adversary(verses[v][a], kinds, rng)
                if neg is None:
                    w = nums[k + 1] if k + 1 < len(nums) else nums[k - 1] if k else None
                    if w is None:
                        continue
                    neg = verses[w].get(a) or next(iter(verses[w].values()))
                rows.append((group, verses[v][a], verses[v][b], neg))
    return rows


def coco_rows(data, kinds, rng):
    coco = sel.coco_groups(data)
    held = set(sel.read_ids("coco_images.txt"))
    by_kind = {}
    for im in sorted(coco, key=int):
        if im in held or len(coco[im]) < 4:
            continue
        caps = coco[im]
        best = max((sum(k in c.lower().replace("hot dog", "hot-dog").split() for c in caps), k) for k in sel.KINDS)
        by_kind.setdefault(best[1] if best[0] >= 3 else "~", []).append(im)
    rows = []
    for kind in sorted(by_kind):
        ims = by_kind[kind]
        for i, im in enumerate(ims):
            caps = list(coco[im])
            rng.shuffle(caps)
            for r in range(2):
                a, p = caps[2 * r], caps[2 * r + 1]
                neg = adversary(a, kinds, rng) if r else None
                if neg is None and kind != "~" and len(ims) > 1:
                    neg = rng.choice(coco[ims[(i + 1 + rng.randrange(len(ims) - 1)) % len(ims)]])
                if neg is None:
                    neg = adversary(a, kinds, rng) or rng.choice(coco[ims[i - 1]])
                rows.append((int(im), a, p, neg))
    return rows


def nli_rows(data, rng):
    held = set(sel.read_ids("snli_premises.txt"))
    rows = []
    for g, (prem, hyps) in enumerate(sel.snli_groups(data).items()):
        if prem in held:
            continue
        ent = [h for h, lab in hyps if lab == "entailment"]
        neg = [h for h, lab in hyps if lab == "contradiction"] or [h for h, lab in hyps if lab == "neutral"]
        for e in ent:
            if neg:
                rows.append((g + 1, prem, e, rng.choice(neg)))
    return rows


def split_rows(data, kinds, rng):
    held = set(sel.read_ids("wikisplit_tune.txt"))
    src = []
    for name in ("tune.tsv", "validation.tsv", "test.tsv"):
        for r in sel.read_tsv(os.path.join(data, "wikisplit", name)):
            if len(r) >= 2 and r[0] not in held and "<::::>" in r[1]:
                src.append((r[0], r[1].replace("<::::>", " ")))
    rows = []
    for k, (s, split) in enumerate(src):
        neg = adversary(s, kinds, rng) or src[k - 1][0]
        rows.append((k + 1, s, split, neg))
    return rows


def norm(s):
    return re.sub(r"[^a-z0-9]", "", s.lower())


def held_sentences():
    """Normalised texts of the SNLI held-out premises and of the topic check: the other NLI
    sets share SNLI's images and premises, so none of these may enter training."""
    held = {norm(p) for p in sel.read_ids("snli_premises.txt")}
    for r in sel.read_tsv(os.path.join(sel.IDS, "topic_check.tsv"), skip_header=True):
        held.update(norm(t) for t in r[2:4])
    return held


def nli_sources(data):
    """(premise, hypothesis, label) of the NLI sets beyond SNLI, in file order."""
    for name in ("train.tsv", "dev.tsv", "test.tsv"):
        for r in sel.read_tsv(os.path.join(data, "cad-nli", name), skip_header=True):
            if len(r) >= 3:
                yield r[0], r[1], r[2]
    for name in ("adversarial_train_15k.tsv", "conj_dev.tsv"):
        for r in sel.read_tsv(os.path.join(data, "conjnli", name), skip_header=True):
            if len(r) >= 3:
                yield r[0], r[1], r[2]
    with open(os.path.join(data, "breaking-nli", "dataset.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield r["sentence1"], r["sentence2"], r["gold_label"]
    for r in sel.read_tsv(os.path.join(data, "taxinli", "taxinli10k.tsv"), skip_header=True):
        if len(r) >= 3:
            yield r[0], r[1], r[2]


def nli_more_rows(data, kinds, rng):
    held = held_sentences()
    groups = {}
    for p, h, lab in nli_sources(data):
        p, h = sel.clean(p), sel.clean(h)
        if p and h and norm(p) not in held and norm(h) not in held:
            groups.setdefault(p, []).append((h, lab))
    rows = []
    for g, (prem, hyps) in enumerate(groups.items()):
        ent = list(dict.fromkeys(h for h, lab in hyps if lab == "entailment"))
        neg = ([h for h, lab in hyps if lab == "contradiction"]
               or [h for h, lab in hyps if lab == "neutral"])
        for e in ent:
            n = rng.choice(neg) if neg else adversary(prem, kinds, rng)
            if n is not None:
                rows.append((g + 1, prem, e, n))
    return rows


def simple_rows(data, kinds, rng):
    held = held_sentences()
    src = []
    for name in ("ADV-ELE.tsv", "ADV-INT.tsv", "ELE-INT.tsv"):
        for r in sel.read_tsv(os.path.join(data, "onestopenglish", name)):
            if len(r) >= 2 and r[0].strip() and r[1].strip() and norm(r[0]) not in held:
                src.append((sel.clean(r[0]), sel.clean(r[1])))
    rows = []
    for k, (a, b) in enumerate(src):
        rows.append((k + 1, a, b, adversary(a, kinds, rng) or src[k - 1][0]))
    return rows


def plain_files(data, out):
    keep = set(sel.read_ids("stsb_train.txt"))
    with open(os.path.join(out, "stsb_train.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in sel.stsb_rows(data):
            if sel.stsb_key(r) not in keep:
                f.write("\t".join(r) + "\n")
    drop = sel.paws_heldout() | set(sel.read_ids("paws_dev.txt"))
    with open(os.path.join(out, "paws_train.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in sel.paws_rows(data):
            if r[0] not in drop:
                f.write("\t".join(r[:4]) + "\n")
    drop = set(sel.read_ids("ppdb_human.txt"))
    with open(os.path.join(out, "ppdb_human.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in sel.ppdb_rows(data):
            if "\t".join(r[2:4]) not in drop:
                f.write("%s\t%s\t%s\n" % (r[2], r[3], r[0]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(ptd.ROOT, "..", "shared", "data"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    kinds = noun_kinds(a.data)
    exclude = set(ptd.read_lines(os.path.join(ptd.ROOT, "corpora", "demo", "heldout_books.txt")))
    exclude |= set(sel.read_ids("bible_books.txt"))
    for name, make in (("groups_bible.tsv", lambda rng: bible_rows(a.data, kinds, rng, exclude)),
                       ("groups_coco.tsv", lambda rng: coco_rows(a.data, kinds, rng)),
                       ("groups_nli.tsv", lambda rng: nli_rows(a.data, rng)),
                       ("groups_split.tsv", lambda rng: split_rows(a.data, kinds, rng)),
                       ("groups_nli_more.tsv", lambda rng: nli_more_rows(a.data, kinds, rng)),
                       ("groups_simple.tsv", lambda rng: simple_rows(a.data, kinds, rng))):
        n = write_rows(os.path.join(a.out, name), make(random.Random("%d %s" % (a.seed, name))))
        print("%s: %d rows" % (name, n))
    plain_files(a.data, a.out)


if __name__ == "__main__":
    main()
