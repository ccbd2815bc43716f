#!/usr/bin/env python3
"""The dedup threshold from a sweep's pairs: precision and recall of the planted pairs of a
dedup_gen.py corpus at each threshold on the covered share of the smaller document.

    doppel sweep -t 0.05 --jsonl C.jsonl -o P.jsonl
    python3 bench/dedup_calibrate.py C.jsonl C.truth.jsonl P.jsonl

Pairs only (the clusters' complete link is left out: planted pairs share no document). A
pair's similarity is as doppel's (src/sweep/dedup.h): the fewer of the words its passages
cover on each side over the smaller document's words, words counted here as
whitespace-separated tokens. Prints the table and the
threshold chosen: the middle of the widest run of thresholds reaching the best F1.
"""
import json
import sys


def main(corpus, truth_path, pairs_path):
    words = {}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            words[r["id"]] = len(r["text"].split())
    truth = set()
    with open(truth_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("type") != "meta":
                truth.add(frozenset((r["a"], r["b"])))
    sims = {}
    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("type") == "pair":
                wa, wb = words[r["a"]], words[r["b"]]
                shared = min(r["a_coverage"] * wa, r["b_coverage"] * wb)
                sims[frozenset((r["a"], r["b"]))] = shared / min(wa, wb)
    rows = []
    for k in range(5, 96):
        t = k / 100
        found = {p for p, s in sims.items() if s >= t}
        hit = len(found & truth)
        p = hit / len(found) if found else 1.0
        r = hit / len(truth)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append((t, p, r, f1, len(found)))
        print("%.2f\t%.4f\t%.4f\t%.4f\t%d" % rows[-1])
    best = max(f for _, _, _, f, _ in rows)
    runs, cur = [], []
    for row in rows:
        if row[3] == best:
            cur.append(row[0])
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    widest = max(runs, key=len)
    print("best F1 %.4f at %.2f-%.2f: threshold %.2f" % (best, widest[0], widest[-1],
                                                         widest[len(widest) // 2]))


if __name__ == "__main__":
    main(*sys.argv[1:4])
