#!/usr/bin/env python3
"""bench/plagdet.py on hand-made cases whose scores were worked out by hand.

Each case names spans as (suspicious start, end, source start, end) in characters of the
documents s.txt and r.txt (another source, o.txt, where said). |x| counts the characters of a
case or detection in both documents. plagdet = F1 / log2(1 + granularity).
"""
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["DOPPEL_SOURCE_ROOT"], "bench"))
import plagdet  # noqa: E402


def write(d, feature, spans, susp="s.txt"):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, susp[:-4] + ".xml"), "w") as f:
        f.write('<document reference="%s">\n' % susp)
        for sp in spans:
            src = sp[4] if len(sp) > 4 else "r.txt"
            f.write('<feature name="%s" obfuscation="none" this_offset="%d" this_length="%d" '
                    'source_reference="%s" source_offset="%d" source_length="%d"/>\n'
                    % (feature, sp[0], sp[1] - sp[0], src, sp[2], sp[3] - sp[2]))
        f.write("</document>\n")


def run(truth, dets, extra_docs=()):
    with tempfile.TemporaryDirectory() as t:
        write(t + "/truth", "plagiarism", truth)
        write(t + "/det", "detected-plagiarism", dets)
        for name, tr, de in extra_docs:
            write(t + "/truth", "plagiarism", tr, name)
            write(t + "/det", "detected-plagiarism", de, name)
        return plagdet.score(t + "/truth", t + "/det")["overall"]


def check(name, got, prec, rec, gran, pd):
    for key, want in (("precision", prec), ("recall", rec), ("granularity", gran), ("plagdet", pd)):
        assert abs(got[key] - want) < 1e-9, (name, key, got[key], want)


case = [(0, 100, 0, 100)]
# exact: everything 1
check("exact", run(case, [(0, 100, 0, 100)]), 1, 1, 1, 1)
# split in two halves: precision and recall 1, granularity 2 -> 1 / log2(3)
check("halves", run(case, [(0, 50, 0, 50), (50, 100, 50, 100)]), 1, 1, 2, 1 / math.log2(3))
# shifted by half: |s ∩ r| = 50 + 50 of |s| = |r| = 200 -> 0.5, 0.5, F1 0.5
check("shifted", run(case, [(50, 150, 50, 150)]), 0.5, 0.5, 1, 0.5)
# the right suspicious span but another source document: detects nothing
check("other source", run(case, [(0, 100, 0, 100, "o.txt")]), 0, 0, 1, 0)
# overlapping in the suspicious document only: detects nothing
check("one side", run(case, [(0, 100, 200, 300)]), 0, 0, 1, 0)
# summary-like case (100 characters condensing 300): detection covers 100 + 150 of |s| = 400
# -> recall 250/400 = 0.625, precision 250/250 = 1, F1 = 2*0.625/1.625 = 10/13
check("summary", run([(0, 100, 0, 300)], [(0, 100, 0, 150)]), 1, 0.625, 1, 10 / 13)
# two cases, one found exactly, plus a false positive in a document without plagiarism:
# recall (1 + 0)/2, precision (1 + 0)/2, granularity 1 -> 0.5
check("false positive", run([(0, 100, 0, 100), (500, 600, 500, 600)], [(0, 100, 0, 100)],
                            [("n.txt", [], [(0, 40, 0, 40)])]), 0.5, 0.5, 1, 0.5)
# one detection spanning two cases (and the 100-character gap between them): it detects both;
# precision (100+100 + 100+100) / (300 + 300) = 2/3, recall 1, granularity 1 -> F1 0.8
check("spanning", run([(0, 100, 0, 100), (200, 300, 200, 300)], [(0, 300, 0, 300)]), 2 / 3, 1, 1, 0.8)
# nothing detected: 0; nothing planted and nothing detected: 1
check("missed", run(case, []), 0, 0, 1, 0)
check("empty", run([], []), 1, 1, 1, 1)
print("plagdet: all hand-made cases agree")
