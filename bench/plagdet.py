#!/usr/bin/env python3
"""PAN text-alignment scores of detections against the truth (Python 3 standard library only).

Usage:
    python3 bench/plagdet.py TRUTH_DIR DETECTIONS_DIR [--json]

Both directories hold PAN XML, one file per suspicious document (detections as `doppel
sweep -f pan` writes them; the truth as bench/pan_gen.py writes it, with an `obfuscation`
attribute on each feature). Offsets and lengths are characters (code points).

The measures are those of Potthast, Stein, Barrón-Cedeño and Rosso, "An Evaluation Framework
for Plagiarism Detection" (COLING 2010), implemented from their definitions:
  - a case s and a detection r are sets of character references into the suspicious document
    and into the source; r detects s when they name the same two documents and overlap in both;
    s ⊓ r is s ∩ r when r detects s, else empty;
  - precision = 1/|R| Σ_r |∪_s (s ⊓ r)| / |r|, recall = 1/|S| Σ_s |∪_r (s ⊓ r)| / |s|
    (macro-averaged over detections and over cases);
  - granularity = 1/|S_R| Σ_{s ∈ S_R} |R_s| over the detected cases S_R, R_s the detections of s
    (1 when nothing is detected);
  - plagdet = F1(precision, recall) / log2(1 + granularity).
With neither cases nor detections precision and recall are 1; with only one of them, 0 (as
PAN's evaluation program has it).

By obfuscation class: the cases of that class, and the detections in the suspicious documents
whose cases are of that class (the generator gives each document one class). Documents without
cases are the class "no-plagiarism": only their detections (false positives) are counted.
"""
import json
import math
import os
import sys
import xml.etree.ElementTree as ET


def read_dir(path, feature_name):
    """[(susp, src, (off, end), (src_off, src_end), obfuscation)], and {susp: [its features]}"""
    items, docs = [], {}
    for name in sorted(os.listdir(path)):
        if not name.endswith(".xml"):
            continue
        root = ET.parse(os.path.join(path, name)).getroot()
        susp = root.get("reference")
        docs.setdefault(susp, [])
        for f in root.iter("feature"):
            if f.get("name") != feature_name:
                continue
            o, n = int(f.get("this_offset")), int(f.get("this_length"))
            so, sn = int(f.get("source_offset")), int(f.get("source_length"))
            item = (susp, f.get("source_reference"), (o, o + n), (so, so + sn), f.get("obfuscation"))
            items.append(item)
            docs[susp].append(item)
    return items, docs


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def union_overlap(span, others):
    """Characters of span inside the union of the spans `others`."""
    covered, pos = 0, span[0]
    for lo, hi in sorted(others):
        lo, hi = max(lo, pos), min(hi, span[1])
        if hi > lo:
            covered += hi - lo
            pos = hi
    return covered


def detects(r, s):
    return r[0] == s[0] and r[1] == s[1] and overlap(r[2], s[2]) > 0 and overlap(r[3], s[3]) > 0


def length(x):
    return (x[2][1] - x[2][0]) + (x[3][1] - x[3][0])


def measures(cases, dets):
    """{"precision", "recall", "granularity", "plagdet", "cases", "detections"} of the two lists."""
    out = {"cases": len(cases), "detections": len(dets)}
    if not cases and not dets:
        prec = rec = 1.0
    elif not cases or not dets:
        prec = rec = 0.0
    else:
        rec = 0.0
        for s in cases:
            rs = [r for r in dets if detects(r, s)]
            rec += (union_overlap(s[2], [r[2] for r in rs]) + union_overlap(s[3], [r[3] for r in rs])) / length(s)
        rec /= len(cases)
        prec = 0.0
        for r in dets:
            ss = [s for s in cases if detects(r, s)]
            prec += (union_overlap(r[2], [s[2] for s in ss]) + union_overlap(r[3], [s[3] for s in ss])) / length(r)
        prec /= len(dets)
    counts = [sum(detects(r, s) for r in dets) for s in cases]
    detected = [c for c in counts if c > 0]
    gran = sum(detected) / len(detected) if detected else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    out.update(precision=prec, recall=rec, granularity=gran, plagdet=f1 / math.log2(1 + gran))
    return out


def score(truth_dir, det_dir):
    cases, truth_docs = read_dir(truth_dir, "plagiarism")
    dets, _ = read_dir(det_dir, "detected-plagiarism")
    result = {"overall": measures(cases, dets)}
    doc_class = {d: (feats[0][4] if feats else "no-plagiarism") for d, feats in truth_docs.items()}
    for cls in sorted(set(doc_class.values())):
        c = [s for s in cases if doc_class[s[0]] == cls]
        d = [r for r in dets if doc_class.get(r[0]) == cls]
        result[cls] = measures(c, d) if cls != "no-plagiarism" else {"documents": sum(
            v == cls for v in doc_class.values()), "detections": len(d)}
    return result


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    result = score(args[0], args[1])
    if "--json" in argv:
        print(json.dumps(result, indent=1, sort_keys=True))
        return
    print("%-16s %6s %6s %9s %6s %6s %6s" % ("class", "cases", "dets", "plagdet", "prec", "rec", "gran"))
    for cls, m in result.items():
        if "plagdet" in m:
            print("%-16s %6d %6d %9.3f %6.3f %6.3f %6.3f" % (cls, m["cases"], m["detections"], m["plagdet"],
                                                               m["precision"], m["recall"], m["granularity"]))
        else:
            print("%-16s %6s %6d   (documents without plagiarism: %d)" % (cls, "-", m["detections"], m["documents"]))


if __name__ == "__main__":
    main(sys.argv[1:])
