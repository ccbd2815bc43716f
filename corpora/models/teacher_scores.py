#!/usr/bin/env python3
"""Adds models' cosines to each pair's score: a teacher of lexical scores and models.

    python3 corpora/models/teacher_scores.py --model M.dpm [--model M2.dpm ...] [--weight W]
        [--word-weight V] IN.tsv OUT.tsv

IN is text_a<TAB>text_b<TAB>score (as lexical.tsv and stsb_pairs.tsv of
prepare_training_data.py: a character TF-IDF cosine); OUT has the same texts with
W * score + V * word TF-IDF cosine + the mean cosine(text_a, text_b) of the models (W 1 and
V 0 by default), the cosines computed by `doppel pairs`. The word TF-IDF cosine is over
\\w+ words, lowercased, sublinear tf, idf log((1 + N) / (1 + df)) over IN's N distinct texts.
Neither the TF-IDF cosine nor a model alone ranks STS-B dev as well as their sum (see
MODEL.md): training the model on the sum teaches it what the TF-IDF score knows and it
misses, while keeping what it knows already.
"""
import argparse
import os
import subprocess
import sys

from prepare_training_data import tfidf_vectors, word_counts

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def word_tfidf(rows):
    """The word TF-IDF cosine of each row's two texts (idf over the rows' distinct texts)."""
    texts = list(dict.fromkeys(t for row in rows for t in row[:2]))
    vec = tfidf_vectors(texts, word_counts, idf_offset=0.0)
    vectors = {t: vec(t) for t in texts}  # a text recurs in many rows: made once
    return [sum(x * vectors[tb].get(w, 0.0) for w, x in vectors[ta].items()) for ta, tb, _ in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, action="append", help="a model whose cosines are added (repeatable: their mean)")
    ap.add_argument("--doppel", default=os.path.join(ROOT, "build", "doppel"), help="the doppel program")
    ap.add_argument("--weight", type=float, default=1.0, help="of the input score")
    ap.add_argument("--word-weight", type=float, default=0.0, help="of the word TF-IDF cosine")
    ap.add_argument("--threads", default="2")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    with open(a.input, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    bad = [i + 1 for i, r in enumerate(rows) if len(r) != 3]
    if bad:
        sys.exit(f"{a.input}:{bad[0]}: expected text_a<TAB>text_b<TAB>score")
    teacher = [a.weight * float(score) for _, _, score in rows]
    if a.word_weight:
        teacher = [t + a.word_weight * w for t, w in zip(teacher, word_tfidf(rows))]
    cosines = [0.0] * len(rows)
    for model in a.model:
        run = subprocess.run([a.doppel, "pairs", "-m", model, "-j", a.threads, a.input],
                             stdout=subprocess.PIPE, check=True, text=True)
        got = run.stdout.split()
        if len(got) != len(rows):
            sys.exit(f"doppel pairs gave {len(got)} cosines for {len(rows)} pairs")
        cosines = [c + float(g) for c, g in zip(cosines, got)]
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as w:
        for (ta, tb, _), t, cos in zip(rows, teacher, cosines):
            w.write(f"{ta}\t{tb}\t{t + cos / len(a.model):.4f}\n")
    os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
