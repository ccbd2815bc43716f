#!/usr/bin/env python3
"""Check a `doppel sweep` JSONL report against a generated corpus's truth file.

    python3 corpora/demo/check_sweep.py REPORT.jsonl [corpora/demo/truth.jsonl] [--threshold X]
    python3 corpora/demo/check_sweep.py REPORT.jsonl TRUTH --calibrate   # report made with --threshold 0
    python3 corpora/demo/check_sweep.py --self-test

Check mode (exit 0 when all is well, 1 otherwise, 2 on bad input): every planted verbatim,
edited and paraphrase pair must be reported with passages that cover at least --overlap (0.5)
of the planted span in both documents (the union of the pair's passages that touch the planted
span on both sides counts, so an aligner that splits a passage in two is not penalised), and no
other pair may be reported: not an unrelated pair, not a pair sharing only the template (sweep
with --template), not a hard negative (KJV and WEB text of different chapters).
Pairs whose score is below --threshold are treated as not reported, so one `--threshold 0`
report can be checked at any threshold.

Calibration mode: every pair of students gets the highest score the report gives any of its
document pairs (0 when absent); prints precision/recall/F1 at candidate thresholds and the best
one (highest F1; when positives and negatives separate, the midpoint of the gap).

IDs: a report ID is matched to a student by its path components ("corpora/demo/submissions/s07",
"s07/essay.txt", "/abs/path/s07/notes.txt" all name s07). An ID that is the student's directory
(sweep --by-dir) has offsets into the submission, which starts with essay.txt (the generator puts
planted text only there, and it sorts first), so they equal essay.txt offsets. An ID naming a
file must name the planted file. Offsets are bytes, start inclusive, end exclusive.

Standard library only.
"""
import argparse
import json
import os
import sys
import tempfile

POSITIVE = ("verbatim", "edited", "paraphrase")


def load_truth(path):
    meta, plants = None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("type") == "meta":
                meta = rec
            elif rec.get("type") == "plant":
                plants.append(rec)
    if meta is None:
        raise ValueError("%s: no meta line" % path)
    return meta, plants


def load_report(path):
    pairs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                raise ValueError("%s:%d: %s" % (path, n, e))
            if rec.get("type") == "pair":
                pairs.append(rec)
    return pairs


def parse_id(doc_id, students):
    """-> (student, file or None for a whole submission), or (None, None)."""
    parts = [p for p in doc_id.replace("\\", "/").split("/") if p]
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in students:
            rest = parts[i + 1:]
            return parts[i], ("/".join(rest) if rest else None)
    return None, None


def _covered(intervals, lo, hi):
    """Bytes of [lo, hi) covered by the union of intervals."""
    total, cur = 0, lo
    for s, e in sorted(intervals):
        s, e = max(s, cur), min(e, hi)
        if e > s:
            total += e - s
            cur = e
    return total


def coverage(passages, span_a, span_b):
    """Share of each planted span covered by passages that touch both spans."""
    touching = [p for p in passages
                if p["a_start"] < span_a[1] and p["a_end"] > span_a[0]
                and p["b_start"] < span_b[1] and p["b_end"] > span_b[0]]
    ca = _covered([(p["a_start"], p["a_end"]) for p in touching], *span_a)
    cb = _covered([(p["b_start"], p["b_end"]) for p in touching], *span_b)
    return ca / max(1, span_a[1] - span_a[0]), cb / max(1, span_b[1] - span_b[0])


def _oriented(rec, students):
    """Report pair -> ((student, file), (student, file), passages) or None for unknown IDs."""
    a, b = parse_id(rec["a"], students), parse_id(rec["b"], students)
    if a[0] is None or b[0] is None:
        return None
    return a, b, rec.get("passages", [])


def _swap(passages):
    return [{"a_start": p["b_start"], "a_end": p["b_end"], "b_start": p["a_start"],
             "b_end": p["a_end"], "score": p.get("score"), "kind": p.get("kind")}
            for p in passages]


def _file_ok(side, want):
    return side[1] is None or side[1] == want


def check(meta, plants, pairs, threshold=None, overlap=0.5):
    """-> (plant rows, false-positive rows, unknown IDs)."""
    students = set(meta["students"])
    kept = [p for p in pairs if threshold is None or p["score"] >= threshold]
    oriented = []
    unknown = []
    for p in kept:
        o = _oriented(p, students)
        if o is None:
            unknown.append((p["a"], p["b"]))
        else:
            oriented.append((o, p))
    rows = []
    explained = set()
    for pl in plants:
        if pl["kind"] not in POSITIVE:
            continue
        ta, tb = pl["a"], pl["b"]
        best = ("MISSED", None, (0.0, 0.0))
        for k, ((a, b, passages), rec) in enumerate(oriented):
            if (a[0], b[0]) == (tb["student"], ta["student"]):
                a, b, passages = b, a, _swap(passages)
            if (a[0], b[0]) != (ta["student"], tb["student"]):
                continue
            if not (_file_ok(a, ta["file"]) and _file_ok(b, tb["file"])):
                continue
            explained.add(k)
            cov = coverage(passages, (ta["start"], ta["end"]), (tb["start"], tb["end"]))
            status = "found" if min(cov) >= overlap else "PAIR ONLY"
            if best[1] is None or min(cov) > min(best[2]):
                best = (status, rec["score"], cov)
        rows.append({"kind": pl["kind"], "a": ta["student"], "b": tb["student"],
                     "status": best[0], "score": best[1], "coverage": best[2]})
    kinds = {}
    for pl in plants:
        key = frozenset((pl["a"]["student"], pl["b"]["student"]))
        kinds.setdefault(key, set()).add(pl["kind"])
    fps = []
    for k, ((a, b, _), rec) in enumerate(oriented):
        if k in explained:
            continue
        if a[0] == b[0]:
            cls = "same student"
        else:
            ks = kinds.get(frozenset((a[0], b[0])), set())
            cls = ("template" if "template" in ks else "hard negative" if "hard_negative" in ks
                   else "wrong file" if ks & set(POSITIVE) else "unrelated")
        fps.append({"a": rec["a"], "b": rec["b"], "score": rec["score"], "class": cls})
    return rows, fps, unknown


def print_check(rows, fps, unknown, out=sys.stdout):
    out.write("%-10s %-5s %-5s %-9s %7s %6s %6s\n" % ("kind", "a", "b", "status", "score",
                                                     "cov_a", "cov_b"))
    for r in rows:
        out.write("%-10s %-5s %-5s %-9s %7s %6.2f %6.2f\n" % (
            r["kind"], r["a"], r["b"], r["status"],
            "-" if r["score"] is None else "%.3f" % r["score"], r["coverage"][0],
            r["coverage"][1]))
    for f in fps:
        out.write("FALSE POSITIVE (%s): %s ~ %s score %.3f\n" % (f["class"], f["a"], f["b"],
                                                                 f["score"]))
    for a, b in unknown:
        out.write("warning: IDs not matched to a student: %s ~ %s\n" % (a, b))
    found = sum(r["status"] == "found" for r in rows)
    ok = found == len(rows) and not fps
    out.write("%s: %d/%d planted pairs found, %d false positives\n" % (
        "PASS" if ok else "FAIL", found, len(rows), len(fps)))
    return ok


def calibrate(meta, plants, pairs):
    """-> dict with per-threshold stats and the recommended threshold."""
    students = sorted(meta["students"])
    labels = {}
    for pl in plants:
        key = frozenset((pl["a"]["student"], pl["b"]["student"]))
        if pl["kind"] in POSITIVE:
            labels[key] = pl["kind"]
        else:
            labels.setdefault(key, pl["kind"])
    score = {}
    for p in pairs:
        o = _oriented(p, set(students))
        if o is None or o[0][0] == o[1][0]:
            continue
        key = frozenset((o[0][0], o[1][0]))
        score[key] = max(score.get(key, 0.0), p["score"])
    items = []
    for i in range(len(students)):
        for j in range(i + 1, len(students)):
            key = frozenset((students[i], students[j]))
            kind = labels.get(key, "unrelated")
            items.append((score.get(key, 0.0), kind in POSITIVE, kind))
    n_pos = sum(1 for _, pos, _ in items if pos)
    cands = sorted({s for s, _, _ in items if s > 0})
    table = []
    for t in cands:
        tp = sum(1 for s, pos, _ in items if pos and s >= t)
        fp = sum(1 for s, pos, _ in items if not pos and s >= t)
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / n_pos if n_pos else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        table.append({"threshold": t, "tp": tp, "fp": fp, "precision": prec, "recall": rec,
                      "f1": f1})
    by_kind = {}
    for s, _, kind in items:
        lo, hi = by_kind.get(kind, (s, s))
        by_kind[kind] = (min(lo, s), max(hi, s))
    pos_scores = [s for s, pos, _ in items if pos]
    neg_scores = [s for s, pos, _ in items if not pos]
    min_pos = min(pos_scores) if pos_scores else None
    max_neg = max(neg_scores) if neg_scores else 0.0
    if min_pos is not None and min_pos > max_neg:
        best_t = (min_pos + max_neg) / 2
        best = {"threshold": best_t, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    elif table:
        row = max(table, key=lambda r: (r["f1"], r["threshold"]))
        below = [s for s in cands if s < row["threshold"]]
        best = dict(row, threshold=(row["threshold"] + below[-1]) / 2 if below
                    else row["threshold"])
    else:
        best = None
    return {"table": table, "by_kind": by_kind, "min_positive": min_pos,
            "max_negative": max_neg, "pairs": len(items), "positives": n_pos, "best": best}


def print_calibration(cal, out=sys.stdout):
    out.write("%d student pairs, %d planted positives\n" % (cal["pairs"], cal["positives"]))
    out.write("score range by kind (min..max):\n")
    for kind, (lo, hi) in sorted(cal["by_kind"].items()):
        out.write("  %-13s %.3f .. %.3f\n" % (kind, lo, hi))
    out.write("%9s %4s %4s %9s %6s %6s\n" % ("threshold", "tp", "fp", "precision", "recall",
                                              "f1"))
    shown = [r for r in cal["table"] if r["tp"] > 0 or r["threshold"] >= cal["max_negative"]]
    for r in shown[-40:]:
        out.write("%9.4f %4d %4d %9.3f %6.3f %6.3f\n" % (r["threshold"], r["tp"], r["fp"],
                                                        r["precision"], r["recall"], r["f1"]))
    b = cal["best"]
    if b is None:
        out.write("no scores in the report\n")
    else:
        out.write("max negative %.4f, min positive %s\n" % (
            cal["max_negative"], "-" if cal["min_positive"] is None
            else "%.4f" % cal["min_positive"]))
        out.write("best threshold: %.4f (precision %.3f, recall %.3f, F1 %.3f)\n" % (
            b["threshold"], b["precision"], b["recall"], b["f1"]))


def self_test():
    """Exercise check() and calibrate() on a hand-made truth and fake reports."""
    fails = []

    def expect(name, cond):
        if not cond:
            fails.append(name)

    meta = {"type": "meta", "students": {s: {"topic": "t", "files": ["essay.txt"]}
                                         for s in ("s01", "s02", "s03", "s04", "s05")}}

    def side(s, a, b):
        return {"student": s, "file": "essay.txt", "start": a, "end": b}

    plants = [
        {"type": "plant", "kind": "verbatim", "a": side("s01", 100, 200), "b": side("s02", 300, 400)},
        {"type": "plant", "kind": "paraphrase", "a": side("s03", 0, 100), "b": side("s04", 50, 170)},
        {"type": "plant", "kind": "template", "a": side("s01", 0, 50), "b": side("s03", 0, 50)},
        {"type": "plant", "kind": "hard_negative", "a": side("s02", 0, 80), "b": side("s05", 0, 90)},
    ]

    def pair(a, b, score, *ps):
        return {"type": "pair", "a": a, "b": b, "score": score,
                "passages": [{"a_start": p[0], "a_end": p[1], "b_start": p[2], "b_end": p[3],
                              "score": 0.9, "kind": "verbatim"} for p in ps]}

    root = "corpora/demo/submissions/"
    good = [pair(root + "s01", root + "s02", 0.8, (100, 200, 300, 400)),
            # swapped sides, split passage: 45 + 45 of 100 / 120 bytes
            pair(root + "s04", root + "s03", 0.6, (50, 110, 0, 45), (110, 170, 55, 100))]
    rows, fps, unk = check(meta, plants, good)
    expect("good report passes", all(r["status"] == "found" for r in rows) and not fps
           and not unk and len(rows) == 2)

    rows, fps, _ = check(meta, plants, good[:1])
    expect("missing plant is reported", [r["status"] for r in rows] == ["found", "MISSED"])

    moved = [good[0], pair(root + "s03", root + "s04", 0.6, (400, 500, 400, 500))]
    rows, _, _ = check(meta, plants, moved)
    expect("passage elsewhere is PAIR ONLY", rows[1]["status"] == "PAIR ONLY")

    short = [pair(root + "s01", root + "s02", 0.8, (100, 140, 300, 400))] + good[1:]
    rows, _, _ = check(meta, plants, short)
    expect("40% coverage is not enough", rows[0]["status"] == "PAIR ONLY")

    rows, fps, _ = check(meta, plants, good + [pair(root + "s02", root + "s04", 0.5)])
    expect("unrelated pair is a false positive", [f["class"] for f in fps] == ["unrelated"])

    rows, fps, _ = check(meta, plants, good + [pair(root + "s01", root + "s03", 0.5)])
    expect("template pair is a false positive", [f["class"] for f in fps] == ["template"])

    rows, fps, _ = check(meta, plants, good + [pair("x/s05/essay.txt", "x/s02/essay.txt", 0.4)])
    expect("hard negative is a false positive", [f["class"] for f in fps] == ["hard negative"])

    rows, fps, _ = check(meta, plants, good + [pair(root + "s02", root + "s04", 0.2)],
                         threshold=0.3)
    expect("threshold drops low pairs", not fps and all(r["status"] == "found" for r in rows))

    files = [pair("s01/essay.txt", "s02/essay.txt", 0.8, (100, 200, 300, 400)),
             pair("s01/notes.txt", "s02/essay.txt", 0.7, (0, 10, 300, 400)),
             pair("/abs/s03/essay.txt", "/abs/s04/essay.txt", 0.6, (0, 100, 50, 170))]
    rows, fps, _ = check(meta, plants, files)
    expect("file IDs: plants found", all(r["status"] == "found" for r in rows))
    expect("file IDs: wrong file is a false positive", [f["class"] for f in fps] == ["wrong file"])

    expect("parse_id", parse_id("a/b/s03/x/y.txt", {"s03"}) == ("s03", "x/y.txt")
           and parse_id("s03", {"s03"}) == ("s03", None)
           and parse_id("other/z.txt", {"s03"}) == (None, None))
    expect("coverage", coverage([{"a_start": 0, "a_end": 50, "b_start": 0, "b_end": 10}],
                                (0, 100), (0, 20)) == (0.5, 0.5))

    allp = good + [pair(root + "s01", root + "s03", 0.35), pair(root + "s02", root + "s05", 0.3),
                   pair(root + "s04", root + "s05", 0.1)]
    cal = calibrate(meta, plants, allp)
    expect("calibration separable", abs(cal["best"]["threshold"] - (0.6 + 0.35) / 2) < 1e-9
           and cal["positives"] == 2 and cal["pairs"] == 10)
    cal = calibrate(meta, plants, allp + [pair(root + "s02", root + "s03", 0.7)])
    row7 = [r for r in cal["table"] if r["threshold"] == 0.7][0]
    expect("calibration stats", (row7["tp"], row7["fp"], row7["recall"]) == (1, 1, 0.5))
    expect("calibration overlap picks best F1",
           0.35 < cal["best"]["threshold"] <= 0.6 and abs(cal["best"]["f1"] - 0.8) < 1e-9)

    with tempfile.TemporaryDirectory() as d:
        tp, rp = os.path.join(d, "truth.jsonl"), os.path.join(d, "report.jsonl")
        with open(tp, "w") as f:
            for rec in [meta] + plants:
                f.write(json.dumps(rec) + "\n")
        with open(rp, "w") as f:
            for rec in good + [{"type": "skipped", "id": "x", "reason": "empty"},
                               {"type": "summary", "documents": 5}]:
                f.write(json.dumps(rec) + "\n")
        null = open(os.devnull, "w")
        expect("main exit 0 on a good report", main([rp, tp], out=null) == 0)
        with open(rp, "a") as f:
            f.write(json.dumps(pair(root + "s04", root + "s05", 0.9)) + "\n")
        expect("main exit 1 on a false positive", main([rp, tp], out=null) == 1)
        expect("main --threshold", main([rp, tp, "--threshold", "0.95"], out=null) == 1)
        expect("main --calibrate", main([rp, tp, "--calibrate"], out=null) == 0)
        null.close()

    for name in fails:
        print("self-test FAILED: " + name)
    print("self-test: %d failures" % len(fails))
    return 1 if fails else 0


def main(argv=None, out=sys.stdout):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Check a doppel sweep JSONL report against truth.")
    ap.add_argument("report", nargs="?")
    ap.add_argument("truth", nargs="?", default=os.path.join(here, "truth.jsonl"))
    ap.add_argument("--threshold", type=float, help="ignore pairs scoring below this")
    ap.add_argument("--overlap", type=float, default=0.5,
                    help="share of each planted span the passages must cover (default 0.5)")
    ap.add_argument("--calibrate", action="store_true",
                    help="precision/recall per threshold (report made with --threshold 0)")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.report:
        ap.error("REPORT is required")
    try:
        meta, plants = load_truth(args.truth)
        pairs = load_report(args.report)
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("check_sweep: %s\n" % e)
        return 2
    if args.calibrate:
        print_calibration(calibrate(meta, plants, pairs), out)
        return 0
    rows, fps, unknown = check(meta, plants, pairs, args.threshold, args.overlap)
    return 0 if print_check(rows, fps, unknown, out) else 1


if __name__ == "__main__":
    sys.exit(main())
