#!/usr/bin/env python3
"""Checks that an LMS export's sweep found what the plain-text class's sweep found:
the same student pairs, and for each pair passages covering the same words.

  samepairs.py TXT_REPORT TXT_DIR LMS_REPORT LMS_DUMPDIR STUDENTS.tsv COLUMN
TXT_REPORT's ids are TXT_DIR/<sid>.txt; LMS_REPORT's are the names in column COLUMN
(1: Moodle, 2: Canvas, 3: Blackboard) of STUDENTS.tsv, whose texts --dump-text wrote to
LMS_DUMPDIR. Exit 0 when they agree; else prints what differs.
"""
import collections
import json
import os
import re
import sys


def words(b):
    return re.findall(r"[a-z0-9]+", b.decode("utf-8", "replace").lower())


def covered(report, text_of, name_of):
    """{(sid, sid): {sid: Counter of the words its passages cover}}"""
    out = {}
    for line in open(report, encoding="utf-8"):
        r = json.loads(line)
        if r["type"] != "pair":
            continue
        a, b = name_of(r["a"]), name_of(r["b"])
        ta, tb = text_of(r["a"]), text_of(r["b"])
        cov = {a: collections.Counter(), b: collections.Counter()}
        for p in r["passages"]:
            cov[a].update(words(ta[p["a_start"]:p["a_end"]]))
            cov[b].update(words(tb[p["b_start"]:p["b_end"]]))
        out[tuple(sorted((a, b)))] = cov
    return out


def main():
    txt_report, txt_dir, lms_report, dump, students, col = sys.argv[1:7]
    by_name = {}
    for line in open(students):
        f = line.rstrip("\n").split("\t")
        by_name[f[int(col)]] = f[0]
    want = covered(txt_report, lambda i: open(i, "rb").read(), lambda i: os.path.basename(i)[:-4])
    got = covered(lms_report, lambda i: open(f"{dump}/{i}.txt", "rb").read(), lambda i: by_name[i])
    bad = []
    if set(want) != set(got):
        bad.append(f"pairs differ: plain text {sorted(want)}, export {sorted(got)}")
    for pair in set(want) & set(got):
        for sid in pair:
            w, g = want[pair][sid], got[pair][sid]
            share = sum((w & g).values()) / max(1, sum(w.values()))
            extra = sum((g - w).values()) / max(1, sum(g.values()))
            if share < 0.95 or extra > 0.1:
                bad.append(f"{pair} {sid}: {share:.2f} of the plain-text passage words covered, "
                           f"{extra:.2f} of the export's not in them")
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
