#!/usr/bin/env python3
"""Corpus generator for the sweep speed benchmark (Python 3 standard library only).

    python3 bench/gen_corpus.py --docs 10000 --seed 7 --jsonl /tmp/bench10k.jsonl
    python3 bench/gen_corpus.py --docs 1000 --dir /tmp/bench1k [--truth /tmp/bench1k.truth.jsonl]

Each document is ~500 words (uniform 400-600) of Brown corpus sentences drawn at random from
the whole corpus (real words and sentence shapes, no document-level topic), split into
paragraphs of 3-7 sentences. A share of the documents (--copy-rate, default 0.05) receive a
passage of 3-6 consecutive sentences copied from another document: half verbatim, half with
some words dropped. Deterministic for a given --seed and --docs.

--jsonl FILE writes {"id": "d000123", "text": ...} per line; --dir DIR writes
DIR/d000/d000123.txt (1000 files per subdirectory). --truth FILE writes the planted copies
in the demo truth format, with "doc" ids in place of students (offsets are UTF-8 byte offsets
into the text, start inclusive, end exclusive). 10k documents take a few seconds.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "corpora", "demo"))
import textsrc  # noqa: E402


def sentence_pool(brown_dir):
    """All Brown sentences as plain text with their word counts."""
    docs = textsrc.load_brown(brown_dir)
    pool = []
    for d in sorted(docs):
        for para in docs[d]["paragraphs"]:
            for s in para:
                text = textsrc.detok(s)
                pool.append((text, len(text.split())))
    return pool


def make_doc(rng, pool):
    """-> list of paragraphs, each a list of sentence strings."""
    target = rng.randint(400, 600)
    paras, words = [], 0
    while words < target:
        para = []
        for _ in range(rng.randint(3, 7)):
            text, n = pool[rng.randrange(len(pool))]
            para.append(text)
            words += n
            if words >= target:
                break
        paras.append(para)
    return paras


def render(paras, marked=None):
    """-> (text, (start, end) byte span of the sentences in `marked` = (para, first, last))."""
    out, pos, span = [], 0, None
    for pi, para in enumerate(paras):
        if pi:
            out.append("\n\n")
            pos += 2
        for si, s in enumerate(para):
            if si:
                out.append(" ")
                pos += 1
            n = len(s.encode("utf-8"))
            if marked and marked[0] == pi and marked[1] <= si <= marked[2]:
                span = (pos if span is None else span[0], pos + n)
            out.append(s)
            pos += n
    return "".join(out) + "\n", span


def drop_words(sentence, rng):
    words = sentence.split()
    kept = [w for i, w in enumerate(words) if i == 0 or i == len(words) - 1 or rng.random() > 0.1]
    return " ".join(kept)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--copy-rate", type=float, default=0.05)
    ap.add_argument("--jsonl")
    ap.add_argument("--dir")
    ap.add_argument("--truth")
    ap.add_argument("--brown", default="/work/shared/data/brown")
    args = ap.parse_args(argv)
    if bool(args.jsonl) == bool(args.dir) or args.docs < 2:
        ap.error("give exactly one of --jsonl FILE or --dir DIR, and --docs >= 2")

    rng = random.Random(args.seed)
    pool = sentence_pool(args.brown)
    docs = [make_doc(rng, pool) for _ in range(args.docs)]
    ids = ["d%06d" % i for i in range(args.docs)]

    # Plant copies: the passage goes in as a new paragraph of the target, source untouched.
    n_copies = int(args.docs * args.copy_rate)
    targets = rng.sample(range(args.docs), n_copies)
    marks, plants = {}, []
    target_set = set(targets)
    for t in targets:
        src = rng.randrange(args.docs)
        while src == t or src in target_set:
            src = rng.randrange(args.docs)
        paras = docs[src]
        pi = max(range(len(paras)), key=lambda i: len(paras[i]))
        n = min(len(paras[pi]), rng.randint(3, 6))
        first = rng.randrange(len(paras[pi]) - n + 1)
        passage = paras[pi][first:first + n]
        kind = "verbatim" if rng.random() < 0.5 else "edited"
        if kind == "edited":
            passage = [drop_words(s, rng) for s in passage]
        at = rng.randrange(len(docs[t]) + 1)
        docs[t].insert(at, passage)
        marks.setdefault(src, []).append((len(plants), "a", (pi, first, first + n - 1)))
        marks.setdefault(t, []).append((len(plants), "b", (at, 0, n - 1)))
        plants.append({"type": "plant", "kind": kind, "a": {"doc": ids[src]},
                       "b": {"doc": ids[t]}})
    # Sources are never targets, so the marked paragraph indices stay valid; spans are
    # computed when rendering.
    texts = []
    for i, paras in enumerate(docs):
        text = None
        for k, side, (pi, s0, s1) in marks.get(i, []):
            text, span = render(paras, (pi, s0, s1))
            plants[k][side].update({"start": span[0], "end": span[1]})
        texts.append(text if text is not None else render(paras)[0])

    if args.jsonl:
        with open(args.jsonl, "w", encoding="utf-8", newline="\n") as f:
            for i, t in zip(ids, texts):
                f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
    else:
        for k, (i, t) in enumerate(zip(ids, texts)):
            sub = os.path.join(args.dir, "d%03d" % (k // 1000))
            if k % 1000 == 0:
                os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, i + ".txt"), "w", encoding="utf-8", newline="\n") as f:
                f.write(t)
    if args.truth:
        with open(args.truth, "w", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps({"type": "meta", "generator": "bench/gen_corpus.py",
                                "seed": args.seed, "docs": args.docs}) + "\n")
            for p in plants:
                f.write(json.dumps(p, sort_keys=True) + "\n")
    words = sum(len(t.split()) for t in texts)
    print("%d documents, %d words, %d planted copies" % (args.docs, words, len(plants)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
