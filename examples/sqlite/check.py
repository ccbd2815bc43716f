"""The SQLite example on a generated collection with planted duplicates.

    python3 check.py PROGRAM MODEL [SEED]

Generates a JSONL collection (seeded) from the demo's essays: original documents,
exact and lightly edited copies of some of them (the near-duplicates the example must skip, each after its
original), documents that take a few sentences from one original among their own (to
be stored and linked to it, not skipped), and a line that is not a document. Runs the
example's ingest twice and its similarity search, and checks the database.
"""
import json
import os
import random
import re
import sqlite3
import struct
import subprocess
import sys
import tempfile

# The demo essays that share nothing with another (corpora/demo/truth.jsonl) are the
# originals; FILLER essays (each without its demo partner here) pad the partial copies.
PLANTED = {"s09", "s36", "s28", "s37", "s38", "s24", "s39", "s29", "s12", "s03", "s31", "s14", "s13", "s35",
           "s17", "s25", "s30", "s11", "s20", "s10", "s23"}
FILLER = ["s36", "s28", "s03", "s14"]


def sentences(path):
    with open(path, encoding="utf-8") as f:
        return re.findall(r"[^.!?]+[.!?]+\s*", f.read())


def edit(rng, text, share):
    """Swaps about `share` of the words with other words of the text."""
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() < share:
            j = rng.randrange(len(words))
            words[i], words[j] = words[j], words[i]
    return " ".join(words)


def collection(demo, seed):
    rng = random.Random(seed)
    essays = sorted(e for e in os.listdir(demo) if e not in PLANTED)
    originals = {"doc-" + e: sentences(os.path.join(demo, e, "essay.txt")) for e in essays}
    lines = [(k, "".join(v)) for k, v in originals.items()]
    dups, partial = {}, {}
    for n, src in enumerate(rng.sample(sorted(originals), 8)):
        text = "".join(originals[src])
        if n % 2:
            text = edit(rng, text, 0.03)
        dups["dup%02d" % n] = src
        # anywhere after its original
        at = rng.randint([k for k, _ in lines].index(src) + 1, len(lines))
        lines.insert(at, ("dup%02d" % n, text))
    for n, src in enumerate(rng.sample(sorted(originals), len(FILLER))):
        own = sentences(os.path.join(demo, FILLER[n], "essay.txt"))[:8]
        partial["part%02d" % n] = src
        lines.append(("part%02d" % n, "".join(own[:4] + originals[src][2:6] + own[4:])))
    return lines, dups, partial


def run(*args):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stdout, r.stderr


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


def main():
    prog, model = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 17
    demo = os.path.join(os.environ["DOPPEL_SOURCE_ROOT"], "corpora", "demo", "submissions")
    lines, dups, partial = collection(demo, seed)
    with tempfile.TemporaryDirectory() as tmp:
        coll = os.path.join(tmp, "collection.jsonl")
        with open(coll, "w") as f:
            for i, (k, text) in enumerate(lines):
                f.write(json.dumps({"id": k, "text": text}) + "\n")
                if i == 5:
                    f.write('{"id": "broken", "text": 3}\n')
        db = os.path.join(tmp, "docs.db")
        rc, out, err = run(prog, db, "ingest", coll, "--model", model)
        if rc != 1 or "collection.jsonl:7: needs string members" not in err:
            fail("the bad line 7 must be named and make the exit status 1: %d %s" % (rc, err))
        stored = len(lines) - len(dups)
        if "stored %d, skipped %d, bad lines 1" % (stored, len(dups)) not in out:
            fail("ingest summary: " + out[-300:])

        con = sqlite3.connect(db)
        got = dict(con.execute("SELECT id, of FROM duplicates"))
        if got != dups:
            fail("skipped %s, planted %s" % (sorted(got.items()), sorted(dups.items())))
        ids = {r[0] for r in con.execute("SELECT id FROM vectors")}
        if ids != {k for k, _ in lines} - set(dups):
            fail("stored vectors: %s" % sorted(ids))
        if con.execute("SELECT count(*) FROM docs").fetchone()[0] != stored:
            fail("FTS5 rows")
        links = {}
        for a, b, score in con.execute("SELECT id, other, score FROM links"):
            links.setdefault(a, set()).add(b)
        for k, src in partial.items():
            if links.get(k) != {src}:
                fail("%s links %s, shares sentences with %s only" % (k, links.get(k), src))
        extra = set(links) - set(partial)
        if extra:
            fail("documents linked that share nothing: %s" % sorted(extra))
        # the FTS5 table answers lexical queries
        word = lines[0][1].split(" ")[3]
        hits = {r[0] for r in con.execute("SELECT id FROM docs WHERE docs MATCH ?", ('"%s"' % word,))}
        if lines[0][0] not in hits:
            fail("FTS5 does not find %s by %r" % (lines[0][0], word))
        con.close()

        # documents similar to a partial copy: its source first, and the other way round
        for k, src in partial.items():
            for a, b in ((k, src), (src, k)):
                rc, out, err = run(prog, db, "similar", a, "-n", "3")
                first = out.split("\n")[0].split("\t")[0] if rc == 0 else None
                if first != b:
                    fail("similar %s: %r (%s), expected %s first" % (a, out, err, b))
        # the vectors are the model's: unit length, one dimension for all
        con = sqlite3.connect(db)
        dims = set()
        for (blob,) in con.execute("SELECT vec FROM vectors"):
            v = struct.unpack("<%df" % (len(blob) // 4), blob)
            dims.add(len(v))
            if abs(sum(x * x for x in v) - 1) > 1e-4:
                fail("a stored vector is not of unit length")
        con.close()
        if len(dims) != 1 or dims.pop() < 16:
            fail("vector dimensions %s" % dims)
        rc, out, err = run(prog, db, "similar", "dup00")
        if rc != 1 or "dup00: not stored" not in err:
            fail("similar on a skipped document: %d %s" % (rc, err))

        # a second ingest adds nothing: every id is known
        rc, out, err = run(prog, db, "ingest", coll, "--model", model)
        if "stored 0, skipped %d, bad lines 1" % len(lines) not in out:
            fail("second ingest: " + out[-300:])
        con = sqlite3.connect(db)
        if con.execute("SELECT count(*) FROM vectors").fetchone()[0] != stored:
            fail("second ingest changed the vectors")
        con.close()
    print("ok: %d documents, %d near-duplicates skipped, %d partial copies linked" % (len(lines), len(dups),
                                                                                    len(partial)))


main()
