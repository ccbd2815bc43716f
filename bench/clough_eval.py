#!/usr/bin/env python3
"""Does a pair's score grade the plagiarism level? (Python 3 standard library only.)

Usage:
    python3 bench/clough_eval.py TRUTH_TSV REPORT_JSONL [--cuts A,B,C] [--json]

TRUTH_TSV is bench/clough_gen.py's truth.tsv (answer, source, level); REPORT_JSONL a
`doppel sweep --reference SRC ANSWERS --all-pairs --threshold 0 -f jsonl` report. An answer's
score is its pair's score with its own task's source (0 when the pair is missing). Printed:
the mean score by level; ROC-AUC of plagiarised (cut, light, heavy) against none (ties count
half); Spearman's rank correlation of score with level (cut 3, light 2, heavy 1, none 0; ties
take their mean rank); and the 4-level accuracy of cutting the score at A < B < C (none below
A, heavy below B, light below C, cut from C). Without --cuts the cuts that maximise the
accuracy on this set are found and printed (fit them on one seed, apply them to another).
"""
import json
import os
import sys

from measures import roc_auc, spearman

LEVEL = {"none": 0, "heavy": 1, "light": 2, "cut": 3}


def read_scores(truth_path, report_path):
    pairs = {}
    with open(report_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("type") == "pair":
                a, b = os.path.basename(r["a"]), os.path.basename(r["b"])
                pairs[(a, b)] = pairs[(b, a)] = r["score"]
    rows = []
    with open(truth_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            answer, source, level = line.rstrip("\n").split("\t")
            rows.append((pairs.get((answer, source), 0.0), LEVEL[level]))
    return rows


def accuracy(rows, cuts):
    def level(s):
        return sum(1 for c in cuts if s >= c)
    return sum(1 for s, l in rows if level(s) == l) / len(rows)


def fit_cuts(rows):
    """The cuts (between distinct scores) that maximise the 4-level accuracy."""
    v = sorted(set(s for s, _ in rows))
    mids = [v[0] - 1e-6] + [(v[i] + v[i + 1]) / 2 for i in range(len(v) - 1)] + [v[-1] + 1e-6]
    best = (-1.0, None)
    for i, a in enumerate(mids):
        for j in range(i, len(mids)):
            for k in range(j, len(mids)):
                acc = accuracy(rows, (a, mids[j], mids[k]))
                if acc > best[0]:
                    best = (acc, (a, mids[j], mids[k]))
    return best[1]


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    rows = read_scores(args[0], args[1])
    cuts = None
    for a in argv:
        if a.startswith("--cuts="):
            cuts = tuple(float(x) for x in a.split("=", 1)[1].split(","))
    fitted = cuts is None
    if fitted:
        cuts = fit_cuts(rows)
    m = {
        "answers": len(rows),
        "mean": {k: sum(s for s, l in rows if l == v) / max(1, sum(1 for _, l in rows if l == v))
                 for k, v in LEVEL.items()},
        "roc_auc": roc_auc([s for s, l in rows if l > 0], [s for s, l in rows if l == 0]),
        "spearman": spearman([s for s, _ in rows], [l for _, l in rows]),
        "cuts": cuts, "cuts_fitted_here": fitted,
        "accuracy": accuracy(rows, cuts),
    }
    if "--json" in argv:
        print(json.dumps(m))
        return
    print("answers %d; mean score: cut %.3f, light %.3f, heavy %.3f, none %.3f" %
          (m["answers"], m["mean"]["cut"], m["mean"]["light"], m["mean"]["heavy"], m["mean"]["none"]))
    print("ROC-AUC %.3f  Spearman %.3f  4-level accuracy %.3f at cuts %s (%s)" %
          (m["roc_auc"], m["spearman"], m["accuracy"], ",".join("%.4f" % c for c in cuts),
           "fitted on this set" if fitted else "given"))


if __name__ == "__main__":
    main(sys.argv[1:])
