"""The Python binding against the C library's own answers: the CLI's vectors for the same
texts, the CLI's sweep of the demo set, and the documented behaviour of an index.
Environment (set by meson test): DOPPEL_LIBRARY, DOPPEL_SOURCE_ROOT, DOPPEL_BIN."""
import json
import os
import subprocess
import tempfile
import unittest

import numpy as np

import doppel

ROOT = os.environ["DOPPEL_SOURCE_ROOT"]
BIN = os.environ["DOPPEL_BIN"]
MODEL = os.path.join(ROOT, "corpora", "models", "default.dpm")

ORIG = ("The committee met on Tuesday to discuss the budget. It decided that the new library would be built on "
        "the old railway land north of the river before the next winter. Several members objected to the cost.")
OTHER = "Cats sleep for most of the day. They hunt at dawn and at dusk, when their prey is about."
COPY = ("My essay. It decided that the new library would be built on the old railway land north of the river "
        "before the next winter. That is all.")


class TestEncoder(unittest.TestCase):
    def test_matches_the_cli(self):
        texts = ["A man is playing a guitar.", "A man plays the guitar.", "The stock market fell sharply on Monday."]
        enc = doppel.Encoder(doppel.Model(MODEL), threads=2)
        v = enc.encode(texts)
        self.assertEqual(v.shape, (3, enc.model.dim))
        self.assertEqual(v.dtype, np.float32)
        out = subprocess.run([BIN, "embed", "-m", MODEL], input="\n".join(texts) + "\n", capture_output=True,
                             text=True, check=True).stdout
        cli = np.array([[float(x) for x in line.split("\t")] for line in out.splitlines()], dtype=np.float32)
        self.assertLess(float(np.abs(v - cli).max()), 1e-6)
        self.assertTrue(np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5))
        self.assertGreater(v[0] @ v[1], v[0] @ v[2] + 0.2)
        self.assertEqual(enc.encode([]).shape, (0, enc.model.dim))

    def test_precision(self):
        texts = ["A man is playing a guitar.", "The stock market fell sharply on Monday."]
        m = doppel.Model(MODEL)
        ref = doppel.Encoder(m, precision="fp32").encode(texts)
        q = doppel.Encoder(m, precision="int8").encode(texts)
        self.assertFalse(np.array_equal(ref, q))
        self.assertGreater(float((ref * q).sum(axis=1).min()), 0.999)
        with self.assertRaises(ValueError):
            doppel.Encoder(m, precision="fp16")

    def test_missing_model_raises_with_the_diagnostic(self):
        with self.assertRaises(doppel.Error) as e:
            doppel.Model("/nonexistent/model.dpm")
        self.assertIn("/nonexistent/model.dpm", str(e.exception))
        self.assertIn("No such file", str(e.exception))


class TestIndex(unittest.TestCase):
    def test_query_finds_the_copied_sentence(self):
        ix = doppel.Index.create()
        ix.add("orig.txt", ORIG)
        ix.add("other.txt", OTHER.encode())
        self.assertEqual(len(ix), 2)
        self.assertEqual(ix.ids(), ["orig.txt", "other.txt"])
        pairs = ix.query("copy.txt", COPY)
        self.assertEqual(len(pairs), 1)
        p = pairs[0]
        self.assertEqual((p.a, p.b), ("copy.txt", "orig.txt"))
        self.assertEqual(len(p.passages), 1)
        q = p.passages[0]
        self.assertEqual(q.kind, "verbatim")
        self.assertTrue(COPY.encode()[q.a_start:].startswith(b"It decided"))
        self.assertTrue(ORIG.encode()[q.b_start:].startswith(b"It decided"))
        ix.remove("orig.txt")
        self.assertEqual(ix.query("copy.txt", COPY), [])

    def test_errors_name_what_is_at_fault(self):
        ix = doppel.Index.create()
        ix.add("a", ORIG)
        with self.assertRaises(doppel.Error) as e:
            ix.add("a", OTHER)
        self.assertIn("'a' is already in the index", str(e.exception))
        with self.assertRaises(doppel.Error) as e:
            ix.set_options(kgram=9)
        self.assertIn("kgram", str(e.exception))
        with self.assertRaises(doppel.Error) as e:
            ix.remove("nobody")
        self.assertIn("'nobody'", str(e.exception))
        with self.assertRaises(TypeError):
            doppel.Index.create(no_such_option=1)

    def test_options_save_open_and_vectors(self):
        model = doppel.Model(MODEL)
        ix = doppel.Index.create(model, kgram=7, threshold=0.0)
        for i, t in enumerate([ORIG, OTHER, COPY]):
            ix.add("d%d" % i, t)
        self.assertEqual(ix.options["kgram"], 7)
        self.assertAlmostEqual(ix.options["sentence_threshold"], 0.84, places=5)
        ix.set_options(sentence_threshold=0.9)
        self.assertAlmostEqual(ix.options["sentence_threshold"], 0.9, places=5)
        v = ix.vector("d0")
        self.assertEqual(v.shape, (model.dim,))
        self.assertAlmostEqual(float(np.linalg.norm(v)), 1.0, places=4)
        before = ix.sweep()
        self.assertEqual(len(before), 3)  # threshold 0: every pair
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "i.dpx")
            ix.save(path)
            back = doppel.Index.open(path, model, threshold=0.0, sentence_threshold=0.9)
            self.assertEqual(back.ids(), ["d0", "d1", "d2"])
            self.assertEqual(back.options["kgram"], 7)
            self.assertEqual(back.sweep(), before)
            with self.assertRaises(doppel.Error) as e:
                doppel.Index.open(path, None)
            self.assertIn("built with a model", str(e.exception))

    def test_progress_cancels(self):
        ix = doppel.Index.create(threshold=0.0)
        for i, t in enumerate([ORIG, OTHER, COPY]):
            ix.add("d%d" % i, t)
        seen = []
        ix.set_progress(lambda done, total: seen.append((done, total)))
        ix.sweep()
        self.assertEqual(seen[-1][0], seen[-1][1])
        ix.set_progress(lambda done, total: True)
        with self.assertRaises(doppel.Error) as e:
            ix.sweep()
        self.assertIn("progress function asked to stop", str(e.exception))
        ix.set_progress(None)
        self.assertEqual(len(ix.sweep()), 3)


PARA = ("Rivers carry far more than water to the plains below the mountains every single spring. "
        "The melting snow loosens gravel and fine silt that later settles across the wide valley floor. "
        "A dam traps most of this sediment, so the river below runs clear and eats away at its banks.")


def essay(d):
    """Two sentences of its own, then PARA: the text and where PARA starts."""
    own = "Essay %d opens with alpha%d beta%d gamma%d delta%d epsilon%d. It goes on with zeta%d eta%d theta%d iota%d.\n\n" % (
        (d,) * 10)
    return own + PARA, len(own)


class TestCommon(unittest.TestCase):
    """A paragraph held by 12 documents (more than max_docs, 10) is no pair's evidence: the
    report lists it once, with every document holding it and where."""

    def check(self, report, n):
        self.assertEqual(list(report), [])
        self.assertEqual(len(report.common), 1)
        members = report.common[0].members
        self.assertEqual([m.id for m in members], ["e%02d.txt" % d for d in range(n)])
        for d, m in enumerate(members):
            text, start = essay(d)
            self.assertEqual((m.start, m.end), (start, len(text.encode())))

    def test_query_and_sweep_list_the_common_paragraph(self):
        ix = doppel.Index.create()
        for d in range(11):
            ix.add("e%02d.txt" % d, essay(d)[0])
        self.check(ix.query("e11.txt", essay(11)[0]), 12)  # the query last, as e11
        ix.add("e11.txt", essay(11)[0])
        self.check(ix.sweep(), 12)
        ix.set_options(max_docs=12)  # no longer common: every pair shares the paragraph
        report = ix.sweep()
        self.assertEqual(report.common, [])
        self.assertGreater(len(report), 0)


class TestSweep(unittest.TestCase):
    def test_demo_as_the_cli_reports_it(self):
        os.chdir(ROOT)
        folder = os.path.join("corpora", "demo", "submissions")
        got = list(doppel.sweep([folder]))
        out = subprocess.run([BIN, "sweep", "--no-model", "-f", "jsonl", folder], capture_output=True, text=True,
                             check=True).stdout
        want = [json.loads(line) for line in out.splitlines()]
        want = [w for w in want if w.get("type") == "pair"]
        self.assertGreater(len(want), 5)
        self.assertEqual(sorted((p.a, p.b) for p in got), sorted((w["a"], w["b"]) for w in want))
        by_pair = {(w["a"], w["b"]): w for w in want}
        for p in got:
            w = by_pair[(p.a, p.b)]
            self.assertEqual(np.float32(p.score), np.float32(w["score"]))
            self.assertEqual([(q.a_start, q.a_end, q.b_start, q.b_end, q.kind) for q in p.passages],
                             [(q["a_start"], q["a_end"], q["b_start"], q["b_end"], q["kind"]) for q in w["passages"]])


if __name__ == "__main__":
    unittest.main()
