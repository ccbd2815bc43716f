#!/usr/bin/env python3
"""Near-duplicate benchmark corpus (Python 3 standard library only).

    python3 bench/dedup_gen.py --docs 10000 --seed 1 --jsonl c.jsonl --truth c.truth.jsonl

Documents of ~500 words (uniform 400-600) in paragraphs of 3-7 sentences drawn at random
from a pool of the distinct Brown corpus sentences and Bible verses (the 15 translations of
/work/shared/data/bibles and the KJV and WEB of kjv-web) of 3-50 words: each sentence recurs
in a few documents (and as other translations of its verse), and a quarter of the documents carry one of 20 boilerplate paragraphs (a header
or licence found in hundreds of documents). One document in 20 is a planted near-duplicate
of another (a third each):
  exact    the same text;
  edit     5-20 % of the words edited (each edit a substitution, deletion or insertion of
           a word from the pool);
  partial  30-70 % of the smaller document is a run of the other's own sentences (not its
           boilerplate), the rest new.
--truth writes {"a","b","kind","share"} per planted pair (share: the copied share of the
smaller document's words; edits: 1 - the edit rate), after a "meta" line with the sentence
recurrence the corpus has. Deterministic for a given --seed and --docs.
"""
import argparse
import collections
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402


MAX_WORDS = 50


def verse_pool(data):
    """Verses of every translation as (text, words)."""
    out = []
    bibles = os.path.join(data, "bibles")
    for name in sorted(os.listdir(bibles)):
        if name.endswith(".tsv"):
            with open(os.path.join(bibles, name), encoding="utf-8") as f:
                for line in f:
                    text = line.rstrip("\n").split("\t", 1)[-1].strip()
                    if text:
                        out.append((text, len(text.split())))
    with open(os.path.join(data, "kjv-web", "kjv_web_verses.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            for text in cols[3:5]:
                if text.strip():
                    out.append((text.strip(), len(text.split())))
    return out


def words_of(paras):
    return sum(len(s.split()) for p in paras for s in p)


def edit(paras, rate, rng, vocab):
    """Each word edited with probability rate: substituted, deleted or preceded by an insertion."""
    out = []
    for p in paras:
        q = []
        for s in p:
            ws = []
            for w in s.split():
                if rng.random() >= rate:
                    ws.append(w)
                    continue
                op = rng.randrange(3)
                if op == 0:
                    ws.append(rng.choice(vocab))
                elif op == 2:
                    ws += [rng.choice(vocab), w]
            q.append(" ".join(ws) if ws else s)
        out.append(q)
    return out


def partial(paras, share, rng, pool, boiler):
    """(A run of paras's own sentences making about share of the result, the rest new
    sentences; the run's words). Boilerplate is not copied: it is common text, which no
    pair's similarity counts, so a copy of it would not be the share planted."""
    sents = [s for p in paras if p not in boiler for s in p]
    total = words_of(paras)
    want = share * total
    first = rng.randrange(len(sents))
    run, n = [], 0
    for s in sents[first:] + sents[:first]:
        if n >= want:
            break
        run.append(s)
        n += len(s.split())
    fresh = gen_corpus.make_doc(rng, pool)
    # trim the new text so the document keeps about the original's size
    keep, m = [], 0
    for p in fresh:
        if m >= total - n:
            break
        keep.append(p)
        m += sum(len(s.split()) for s in p)
    at = rng.randrange(len(keep) + 1)
    return keep[:at] + [run] + keep[at:], n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jsonl", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--data", default="/work/shared/data")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    # distinct sentences of at most MAX_WORDS words: a translation that words a verse as
    # another does is one sentence, and a chance shared sentence stays a small share
    pool = sorted({(s, n) for s, n in gen_corpus.sentence_pool(os.path.join(args.data, "brown")) + verse_pool(args.data)
                   if 3 <= n <= MAX_WORDS})
    vocab = sorted({w for s, _ in pool for w in s.split()})
    boiler = [gen_corpus.make_doc(rng, pool)[0] for _ in range(20)]
    n_plant = args.docs // 20
    docs = [gen_corpus.make_doc(rng, pool) for _ in range(args.docs - n_plant)]
    for d in docs:
        if rng.random() < 0.25:
            b = boiler[rng.randrange(len(boiler))]
            if rng.random() < 0.5:
                d.insert(0, list(b))
            else:
                d.append(list(b))
    plants = []
    for k, src in enumerate(rng.sample(range(len(docs)), n_plant)):
        kind = ("exact", "edit", "partial")[k % 3]
        a = docs[src]
        if kind == "exact":
            b, share = [list(p) for p in a], 1.0
        elif kind == "edit":
            rate = rng.uniform(0.05, 0.20)
            b, share = edit(a, rate, rng, vocab), 1.0 - rate
        else:
            b, copied = partial(a, rng.uniform(0.3, 0.7), rng, pool, boiler)
            share = copied / min(words_of(a), words_of(b))
        docs.append(b)
        plants.append((src, len(docs) - 1, kind, share))
    order = list(range(len(docs)))
    rng.shuffle(order)
    ids = {}
    for pos, i in enumerate(order):
        ids[i] = "d%06d" % pos
    recur = collections.Counter()
    with open(args.jsonl, "w", encoding="utf-8", newline="\n") as f:
        for i in order:
            f.write(json.dumps({"id": ids[i], "text": gen_corpus.render(docs[i])[0]}, ensure_ascii=False) + "\n")
            recur.update({s for p in docs[i] for s in p})
    occ = list(recur.values())
    meta = {"type": "meta", "generator": "bench/dedup_gen.py", "seed": args.seed, "docs": args.docs,
            "pool_sentences": len(pool), "distinct_sentences": len(occ),
            "docs_per_sentence_mean": round(sum(occ) / len(occ), 3),
            "sentence_occurrences_in_sentences_of_over_10_docs": round(sum(o for o in occ if o > 10) / sum(occ), 4)}
    with open(args.truth, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(meta) + "\n")
        for a, b, kind, share in plants:
            f.write(json.dumps({"a": ids[a], "b": ids[b], "kind": kind, "share": round(share, 4)}) + "\n")
    print("%d documents, %d planted pairs; a sentence is in %.2f documents on average, %.1f %% of sentence "
          "occurrences are of sentences in more than 10 documents" %
          (args.docs, len(plants), meta["docs_per_sentence_mean"],
           100 * meta["sentence_occurrences_in_sentences_of_over_10_docs"]), file=sys.stderr)


if __name__ == "__main__":
    main()
