#!/usr/bin/env python3
"""The peer of the dedup benchmark: datasketch's MinHash LSH over a JSON Lines corpus, as an
archive deduplication pipeline runs it (word 5-shingles of the lower-cased text, 128
permutations, MinHashLSH at --threshold, every document queried; the candidate pairs are
its answer, without verification). One process, one core.

    PYTHONPATH=/path/to/datasketch python3 bench/datasketch_dedup.py C.jsonl OUT.tsv [--threshold 0.5]

Writes "a<TAB>b" per pair (a < b). The datasketch package is not part of doppel: give its
directory in PYTHONPATH.
"""
import argparse
import json

from datasketch import MinHash, MinHashLSH


def shingles(text, n=5):
    w = text.lower().split()
    return {" ".join(w[i:i + n]).encode("utf-8") for i in range(max(1, len(w) - n + 1))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--perm", type=int, default=128)
    args = ap.parse_args()
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.perm)
    sigs = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            m = MinHash(num_perm=args.perm)
            m.update_batch(shingles(r["text"]))
            lsh.insert(r["id"], m)
            sigs.append((r["id"], m))
    pairs = set()
    for i, m in sigs:
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    with open(args.out, "w", encoding="utf-8") as f:
        for a, b in sorted(pairs):
            f.write("%s\t%s\n" % (a, b))


if __name__ == "__main__":
    main()
