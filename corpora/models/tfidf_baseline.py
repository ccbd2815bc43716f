#!/usr/bin/env python3
"""The lexical baseline the shipped model is compared with: cosine of character 3-5-gram
TF-IDF vectors (n-grams inside word boundaries, words padded with a space, lowercased;
sublinear tf; idf fitted on the evaluated sentences themselves), scored with the same
metrics `doppel eval` prints: Spearman/Pearson for graded scores, ROC-AUC and best-threshold
accuracy for 0/1 labels. Standard library only.

    python3 corpora/models/tfidf_baseline.py --format stsb FILE
    python3 corpora/models/tfidf_baseline.py --format paws FILE     (id, s1, s2, label)
    python3 corpora/models/tfidf_baseline.py --format msrp FILE     (label, id, id, s1, s2; header)
    python3 corpora/models/tfidf_baseline.py --format sick FILE     (id, A, B, score, ...; header)
    python3 corpora/models/tfidf_baseline.py --format topic FILE    (kind, label, s1, s2; header)
"""
import argparse
import json
import math
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from measures import pearson, roc_auc, spearman  # noqa: E402


def read(path, fmt):
    pairs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f):
            c = line.rstrip("\n").rstrip("\r").split("\t")
            try:
                if fmt == "stsb":
                    pairs.append((c[5], c[6], float(c[4])))
                elif fmt == "paws":
                    pairs.append((c[1], c[2], float(c[3])))
                elif fmt == "msrp" and i > 0:
                    pairs.append((c[3], c[4], float(c[0])))
                elif fmt == "sick" and i > 0:
                    pairs.append((c[1], c[2], float(c[3])))
                elif fmt == "topic" and i > 0:
                    pairs.append((c[2], c[3], float(c[1])))
            except (IndexError, ValueError):
                continue
    return pairs


def grams(s):
    out = Counter()
    for w in s.lower().split():
        w = f" {w} "
        for n in (3, 4, 5):
            for i in range(len(w) - n + 1):
                out[w[i:i + n]] += 1
    return out


def vectors(texts):
    tfs = [grams(t) for t in texts]
    df = Counter()
    for tf in tfs:
        df.update(tf.keys())
    n = len(texts)
    vecs = []
    for tf in tfs:
        v = {g: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[g])) + 1) for g, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({g: x / norm for g, x in v.items()})
    return vecs


def best_accuracy(scores, labels):
    best = 0.0
    for t in sorted(set(scores)):
        acc = sum((s >= t) == (l > 0.5) for s, l in zip(scores, labels)) / len(labels)
        best = max(best, acc)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--format", required=True, choices=["stsb", "paws", "msrp", "sick", "topic"])
    ap.add_argument("file")
    a = ap.parse_args()
    pairs = read(a.file, a.format)
    vecs = vectors([p[0] for p in pairs] + [p[1] for p in pairs])
    n = len(pairs)
    cos = [sum(x * vecs[n + i].get(g, 0.0) for g, x in vecs[i].items()) for i in range(n)]
    gold = [p[2] for p in pairs]
    if a.format in ("stsb", "sick"):
        out = {"pairs": n, "spearman": spearman(cos, gold), "pearson": pearson(cos, gold)}
    else:
        pos = [c for c, g in zip(cos, gold) if g > 0.5]
        neg = [c for c, g in zip(cos, gold) if g <= 0.5]
        out = {"pairs": n, "roc_auc": roc_auc(pos, neg), "accuracy": best_accuracy(cos, gold)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
