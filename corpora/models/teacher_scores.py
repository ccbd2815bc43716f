#!/usr/bin/env python3
"""Adds a model's cosine to each pair's score: a teacher of the lexical score and a model.

    python3 corpora/models/teacher_scores.py --model STAGE1.dpm [--weight W] IN.tsv OUT.tsv

IN is text_a<TAB>text_b<TAB>score (as lexical.tsv and stsb_pairs.tsv of
prepare_training_data.py: a character TF-IDF cosine); OUT has the same texts with
W * score + cosine(text_a, text_b) under the model (W 1 by default), the cosines computed
by `doppel pairs`. Neither the TF-IDF cosine nor a model alone ranks STS-B dev as well as
their sum (see MODEL.md): training the model on the sum teaches it what the TF-IDF score
knows and it misses, while keeping what it knows already.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="the model whose cosines are added")
    ap.add_argument("--doppel", default=os.path.join(ROOT, "build", "doppel"), help="the doppel program")
    ap.add_argument("--weight", type=float, default=1.0, help="of the input score")
    ap.add_argument("--threads", default="2")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    with open(a.input, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    bad = [i + 1 for i, r in enumerate(rows) if len(r) != 3]
    if bad:
        sys.exit(f"{a.input}:{bad[0]}: expected text_a<TAB>text_b<TAB>score")
    run = subprocess.run([a.doppel, "pairs", "-m", a.model, "-j", a.threads, a.input],
                         stdout=subprocess.PIPE, check=True, text=True)
    cosines = run.stdout.split()
    if len(cosines) != len(rows):
        sys.exit(f"doppel pairs gave {len(cosines)} cosines for {len(rows)} pairs")
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as w:
        for (ta, tb, score), cos in zip(rows, cosines):
            w.write(f"{ta}\t{tb}\t{a.weight * float(score) + float(cos):.4f}\n")
    os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
