#!/usr/bin/env python3
"""Precision and recall of found near-duplicate pairs against a dedup_gen.py truth file.

    python3 bench/dedup_score.py TRUTH FOUND [--kinds exact,edit,partial]

FOUND is a doppel report (JSON Lines): with --dedup, every two members of a cluster are a
found pair; otherwise each "pair" record is. A file of "a<TAB>b" lines (another tool's
pairs) is read as such. Prints "precision recall found planted missed-by-kind".
"""
import argparse
import collections
import itertools
import json


def found_pairs(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if not line.startswith("{"):
                a, b = line.split("\t")[:2]
                out.add(frozenset((a, b)))
                continue
            r = json.loads(line)
            if r.get("type") == "cluster":
                ids = [m["id"] for m in r["members"]]
                out.update(frozenset(p) for p in itertools.combinations(ids, 2))
            elif r.get("type") == "pair":
                out.add(frozenset((r["a"], r["b"])))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("truth")
    ap.add_argument("found")
    ap.add_argument("--kinds", default="exact,edit,partial")
    args = ap.parse_args(argv)
    kinds = set(args.kinds.split(","))
    truth, kind_of = set(), {}
    with open(args.truth, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("type") == "meta" or r["kind"] not in kinds:
                continue
            p = frozenset((r["a"], r["b"]))
            truth.add(p)
            kind_of[p] = r["kind"]
    found = found_pairs(args.found)
    hit = len(found & truth)
    missed = collections.Counter(kind_of[p] for p in truth - found)
    p = hit / len(found) if found else 1.0
    r = hit / len(truth) if truth else 1.0
    print("%.4f %.4f %d %d %s" % (p, r, len(found), len(truth),
                                   ",".join("%s:%d" % kv for kv in sorted(missed.items())) or "-"))


if __name__ == "__main__":
    main()
