#!/usr/bin/env python3
"""Build a synthetic "class set" of student essays with planted plagiarism cases.

Usage (Python 3 standard library only; deterministic for a given --seed):

    python3 corpora/demo/generate.py --seed 1 --students 40 --out corpora/demo
    python3 corpora/demo/generate.py --seed 2 --students 60 --out /tmp/synth   # calibration

Inputs: the Brown corpus (word/TAG files + cats.txt) and the KJV<->WEB verse TSV, by default
from /work/shared/data; WordNet 3.0 from /usr/share/wordnet if installed (synonyms for the
light edits; a small built-in list otherwise, which gives different output).

Output under --out:
    submissions/<student>/essay.txt     one essay per student (s01, s02, ...), 300-650 words;
                                        a few students also have notes.txt (unrelated text).
                                        Planted text is always in essay.txt, which sorts first,
                                        so its offsets are also offsets into the submission
                                        when a sweep concatenates a directory's files in name order.
    template.txt                        the assignment prompt handed out in one topic
    truth.jsonl                         first line {"type":"meta",...}; then one {"type":"plant"}
                                        line per planted document pair (format in README.md)

Topics are Brown categories; every student writes on one topic and each essay is a run of
paragraphs from its own Brown document of that category, so same-topic essays are unrelated.
Planted cases: verbatim copies (one of them shared by three students), light edits (synonyms,
deletions, a filler insertion, a sentence split and merge), heavy paraphrase (KJV verses in one
essay, the WEB rendering of the same verses in another, from the books in heldout_books.txt),
a hard negative (KJV and WEB text of different chapters), and the shared template paragraph.
Byte offsets: start inclusive, end exclusive, into the UTF-8 bytes of the file.
"""
import argparse
import json
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import edits  # noqa: E402
import textsrc  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/work/shared/data"

# Assignment prompts, one per Brown category usable as a topic (written for this project).
PROMPTS = {
    "religion": "Assignment 3: Faith and community. In 400 to 600 words, discuss how a religious "
                "tradition shapes the way its followers understand their duties to one another. "
                "Draw on at least one text we read in class, explain its argument in your own "
                "words, and say whether you find it convincing.",
    "editorial": "Assignment 1: Opinion writing. Choose a public question that was debated in "
                 "the newspapers and write a short editorial of 400 to 600 words. State your "
                 "position in the first paragraph, answer the strongest objection to it, and "
                 "end with a concrete recommendation for your readers.",
    "lore": "Assignment 2: Explaining a subject. Write an essay of 400 to 600 words that "
            "explains a topic from history, nature or daily life to a reader who knows nothing "
            "about it. Use specific facts and examples, define any technical terms, and keep "
            "your own opinions for the conclusion.",
    "belles_lettres": "Assignment 4: The personal essay. In 400 to 600 words, reflect on a "
                      "book, a person or an idea that changed how you see the world. Your essay "
                      "should combine description with argument, and it must have a clear "
                      "thesis that the reader can find in the opening paragraph.",
    "learned": "Assignment 5: Reporting research. Summarise a scientific or scholarly question "
               "in 400 to 600 words. Describe the method used to study it, the main results "
               "and their limits, and explain why the question matters outside the laboratory. "
               "Avoid quoting at length; put the findings in your own words.",
    "government": "Assignment 6: Public policy. Describe a government programme or report in "
                  "400 to 600 words: what problem it addresses, how it is organised and funded, "
                  "and what evidence shows whether it works. Finish with one change you would "
                  "propose and the reason for it.",
    "hobbies": "Assignment 7: How it is done. Write a practical essay of 400 to 600 words that "
               "teaches the reader a skill or pastime. Explain the equipment and the steps in "
               "order, warn about the usual mistakes, and tell the reader how to judge whether "
               "the result is good.",
    "reviews": "Assignment 8: The review. Review a performance, exhibition, recording or book "
               "in 400 to 600 words. Describe the work briefly, judge it against what it tried "
               "to do, and support every judgement with a specific detail from the work.",
}
RELIGION = "religion"
NOTES_CATEGORY = "news"  # second files (notes.txt) come from news documents, never used for essays


class Essay:
    """An essay under construction: paragraphs of sentence records
    {"text": str, "plants": [plant ids whose span includes this sentence]}."""

    def __init__(self):
        self.paragraphs = []

    def render(self):
        """-> (text, {plant_id: (start, end)}) with byte offsets of each plant's sentences."""
        out, pos, spans = [], 0, {}
        for pi, para in enumerate(self.paragraphs):
            if pi:
                out.append("\n\n")
                pos += 2
            for si, s in enumerate(para):
                if si:
                    out.append(" ")
                    pos += 1
                b = s["text"].encode("utf-8")
                for pid in s["plants"]:
                    st, en = spans.get(pid, (pos, pos + len(b)))
                    spans[pid] = (min(st, pos), max(en, pos + len(b)))
                out.append(s["text"])
                pos += len(b)
        return "".join(out) + "\n", spans

    def body_sentences(self):
        """(paragraph, index) of sentences that are not part of any plant."""
        return [(p, i) for p in self.paragraphs for i, s in enumerate(p) if not s["plants"]]

    def insert(self, rng, texts, pid):
        """Insert sentences as a new paragraph or inside an existing one (not before a
        template paragraph, which stays first)."""
        recs = [{"text": t, "plants": [pid]} for t in texts]
        first = 1 if self.paragraphs and any(
            s.get("template") for s in self.paragraphs[0]) else 0
        pi = rng.randrange(first, len(self.paragraphs) + 1)
        if pi < len(self.paragraphs) and rng.random() < 0.5 and len(self.paragraphs[pi]) > 1:
            para = self.paragraphs[pi]
            si = rng.randrange(1, len(para))
            para[si:si] = recs
        else:
            self.paragraphs.insert(pi, recs)


def build_base_essay(doc, rng, lo, hi):
    """A run of whole paragraphs (cut at sentence level at the ends) from one Brown document,
    lo..hi words. Keeps the tagged sentences for later edits."""
    sents = [(pi, s) for pi, para in enumerate(doc["paragraphs"]) for s in para]
    target = rng.randint(lo, hi)
    total_words = sum(len(s) for _, s in sents)
    start = rng.randrange(max(1, len(sents) // 3)) if total_words > target * 1.5 else 0
    essay = Essay()
    words, last_pi = 0, None
    for pi, s in sents[start:]:
        text = textsrc.detok(s)
        if last_pi is None or pi != last_pi or len(essay.paragraphs[-1]) >= 7:
            essay.paragraphs.append([])
        essay.paragraphs[-1].append({"text": text, "plants": [], "toks": s})
        last_pi = pi
        words += textsrc.word_count(text)
        if words >= target:
            break
    return essay


def pick_passage(essay, rng, n_lo, n_hi):
    """Choose n consecutive unplanted sentences in one paragraph (or across two) of an essay;
    returns the sentence records (mutable: caller marks them)."""
    flat = [s for p in essay.paragraphs for s in p]
    n = rng.randint(n_lo, n_hi)
    starts = [i for i in range(len(flat) - n + 1)
              if all(not s["plants"] and not s.get("template") and "toks" in s
                     for s in flat[i:i + n])]
    if not starts:
        raise RuntimeError("essay too short for a passage")
    i = rng.choice(starts)
    return flat[i:i + n]


def verse_passage(chapter_verses, rng, lo_words, hi_words):
    """Consecutive verses with both texts present, lo..hi KJV words -> (first, last, kjv, web)."""
    vs = [v for v in chapter_verses if v[1] and v[2]]
    for _ in range(50):
        i = rng.randrange(len(vs))
        kjv, web, j = [], [], i
        while j < len(vs) and sum(len(k.split()) for k in kjv) < lo_words:
            kjv.append(vs[j][1])
            web.append(vs[j][2])
            j += 1
        n = sum(len(k.split()) for k in kjv)
        if lo_words <= n <= hi_words:
            return vs[i][0], vs[j - 1][0], " ".join(kjv), " ".join(web)
    raise RuntimeError("no verse passage of the wanted length")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--topics", type=int, default=5, help="number of assignment topics (<= 8)")
    ap.add_argument("--out", required=True, help="output directory (submissions/ is replaced)")
    ap.add_argument("--brown", default=os.path.join(DATA, "brown"))
    ap.add_argument("--verses", default=os.path.join(DATA, "kjv-web", "kjv_web_verses.tsv"))
    ap.add_argument("--heldout", default=os.path.join(HERE, "heldout_books.txt"))
    ap.add_argument("--wordnet", default=edits.WORDNET_DIR)
    args = ap.parse_args(argv)
    if args.students < 16 or not 2 <= args.topics <= len(PROMPTS):
        ap.error("need --students >= 16 and 2 <= --topics <= %d" % len(PROMPTS))

    rng = random.Random(args.seed)
    brown = textsrc.load_brown(args.brown)
    verses = textsrc.load_verses(args.verses)
    heldout = textsrc.read_book_list(args.heldout)
    syn = edits.Synonyms(args.wordnet)

    others = sorted(c for c in PROMPTS if c != RELIGION)
    topics = [RELIGION] + rng.sample(others, args.topics - 1)
    students = ["s%02d" % (i + 1) for i in range(args.students)]
    order = students[:]
    rng.shuffle(order)
    topic_of = {s: topics[i % len(topics)] for i, s in enumerate(order)}
    by_topic = {t: sorted(s for s in students if topic_of[s] == t) for t in topics}

    # Every essay comes from its own Brown document: same-topic essays are unrelated.
    pools = {t: sorted(d for d in brown if brown[d]["category"] == t) for t in topics}
    for t in topics:
        if len(pools[t]) < len(by_topic[t]):
            sys.exit("topic %s: %d documents for %d students" % (t, len(pools[t]),
                                                                 len(by_topic[t])))
        rng.shuffle(pools[t])
    source_doc, essays = {}, {}
    for s in students:
        doc = pools[topic_of[s]].pop()
        source_doc[s] = doc
        essays[s] = build_base_essay(brown[doc], rng, 300, 480)

    plants = []   # {"id", "kind", "a", "b", "source", "ops"} (a/b student names)
    busy = set()  # students already the target of a plant (one planted insertion each)
    used_src = set()

    def free(pool, exclude=()):
        c = [s for s in pool if s not in busy and s not in used_src and s not in exclude]
        if not c:
            raise RuntimeError("not enough students for the planted cases; use more --students")
        return rng.choice(c)

    n = args.students
    n_verb, n_edit = max(2, round(n / 13)), max(2, round(n / 13))
    n_para, n_hard = max(1, round(n / 20)), max(1, round(n / 40))

    # Template: the prompt of one non-religion topic, first paragraph of several of its essays.
    tmpl_topic = rng.choice(topics[1:])
    template = PROMPTS[tmpl_topic]
    tmpl_students = sorted(rng.sample(by_topic[tmpl_topic], min(len(by_topic[tmpl_topic]),
                                                                max(4, n // 8))))
    for s in tmpl_students:
        essays[s].paragraphs.insert(0, [{"text": template, "plants": ["template"],
                                         "template": True}])

    # Heavy paraphrase and hard negatives: KJV in one essay, WEB in another, religion first.
    def bible_student():
        rel = [s for s in by_topic[RELIGION] if s not in busy and s not in used_src]
        s = free(by_topic[RELIGION] if rel else students)
        busy.add(s)
        return s

    # Each KJV/WEB plant uses its own chapter, so no two plants share verses.
    chapters = [(b, c) for b in heldout for c in sorted(verses.get(b, {}))]
    n_para = min(n_para, len(chapters) // 2 - n_hard)
    if n_para < 1:
        sys.exit("not enough chapters in the held-out books of %s" % args.heldout)
    rng.shuffle(chapters)
    for k in range(n_para + n_hard):
        kind = "paraphrase" if k < n_para else "hard_negative"
        a, b = bible_student(), bible_student()
        book, ch = chapters[2 * k]
        v1, v2, kjv, web = verse_passage(verses[book][ch], rng, 70, 180)
        pid = "p%d" % len(plants)
        src = "%s %d:%d-%d" % (book, ch, v1, v2)
        if kind == "hard_negative":
            book2, ch2 = chapters[2 * k + 1]
            w1, w2, _, web = verse_passage(verses[book2][ch2], rng, 70, 180)
            src += " (KJV) vs %s %d:%d-%d (WEB)" % (book2, ch2, w1, w2)
        essays[a].insert(rng, [kjv], pid)
        essays[b].insert(rng, [web], pid)
        plants.append({"id": pid, "kind": kind, "a": a, "b": b, "source": src, "ops": []})

    def source_with_room(need):
        """A free student whose topic still has `need` other free students."""
        ok = [s for s in students
              if sum(1 for o in by_topic[topic_of[s]] if o != s and o not in busy
                     and o not in used_src) >= need]
        return free(ok)

    # Verbatim copies; the first is copied by two students (a three-document cluster).
    for k in range(n_verb):
        same = k < n_verb - 1  # the last one crosses topics
        a = source_with_room(2 if k == 0 else 1) if same else free(students)
        used_src.add(a)
        pool = by_topic[topic_of[a]] if same else [s for s in students
                                                   if topic_of[s] != topic_of[a]]
        targets = [free(pool, (a,))]
        busy.add(targets[0])
        if k == 0:
            targets.append(free(pool, (a,)))
            busy.add(targets[1])
        recs = pick_passage(essays[a], rng, 2, 5)
        pid = "p%d" % len(plants)
        for r in recs:
            r["plants"].append(pid)
        for t in targets:
            essays[t].insert(rng, [r["text"] for r in recs], pid)
        holders = [a] + targets
        src = "%s sentences copied from %s (brown %s)" % (len(recs), a, source_doc[a])
        for i in range(len(holders)):
            for j in range(i + 1, len(holders)):
                plants.append({"id": pid, "kind": "verbatim", "a": holders[i],
                               "b": holders[j], "source": src, "ops": []})

    # Light edits.
    for k in range(n_edit):
        a = source_with_room(1)
        used_src.add(a)
        b = free(by_topic[topic_of[a]], (a,))
        busy.add(b)
        recs = pick_passage(essays[a], rng, 3, 5)
        pid = "p%d" % len(plants)
        for r in recs:
            r["plants"].append(pid)
        edited, ops = edits.light_edit([r["toks"] for r in recs], rng, syn)
        essays[b].insert(rng, [textsrc.detok(s) for s in edited], pid)
        plants.append({"id": pid, "kind": "edited", "a": a, "b": b, "ops": ops,
                       "source": "%d sentences edited from %s (brown %s)"
                                 % (len(recs), a, source_doc[a])})

    # Second files for a few students: unrelated news text, no plants.
    notes_pool = sorted(d for d in brown if brown[d]["category"] == NOTES_CATEGORY)
    rng.shuffle(notes_pool)
    notes_students = sorted(rng.sample(students, max(2, n // 10)))
    notes = {s: build_base_essay(brown[notes_pool.pop()], rng, 50, 110) for s in notes_students}

    # Write everything.
    sub = os.path.join(args.out, "submissions")
    if os.path.isdir(sub):
        shutil.rmtree(sub)
    spans, files = {}, {}
    for s in students:
        d = os.path.join(sub, s)
        os.makedirs(d)
        text, sp = essays[s].render()
        spans[s] = sp
        files[s] = ["essay.txt"]
        with open(os.path.join(d, "essay.txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if s in notes:
            files[s].append("notes.txt")
            with open(os.path.join(d, "notes.txt"), "w", encoding="utf-8", newline="\n") as f:
                f.write(notes[s].render()[0])
    with open(os.path.join(args.out, "template.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(template + "\n")

    def side(s, pid):
        st, en = spans[s][pid]
        return {"student": s, "file": "essay.txt", "start": st, "end": en}

    lines = [{"type": "meta", "generator": "corpora/demo/generate.py", "seed": args.seed,
              "wordnet": syn.available, "heldout_books": heldout,
              "template_topic": tmpl_topic,
              "students": {s: {"topic": topic_of[s], "brown": source_doc[s],
                               "files": files[s]} for s in students}}]
    for p in plants:
        lines.append({"type": "plant", "kind": p["kind"], "a": side(p["a"], p["id"]),
                      "b": side(p["b"], p["id"]), "source": p["source"], "ops": p["ops"]})
    for i in range(len(tmpl_students)):
        for j in range(i + 1, len(tmpl_students)):
            lines.append({"type": "plant", "kind": "template",
                          "a": side(tmpl_students[i], "template"),
                          "b": side(tmpl_students[j], "template"),
                          "source": "template.txt (%s prompt)" % tmpl_topic, "ops": []})
    with open(os.path.join(args.out, "truth.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for rec in lines:
            f.write(json.dumps(rec, sort_keys=True, ensure_ascii=False) + "\n")

    counts = {}
    for rec in lines[1:]:
        counts[rec["kind"]] = counts.get(rec["kind"], 0) + 1
    print("%d students, topics %s; plants: %s; wordnet=%s" % (
        n, ", ".join(topics), ", ".join("%s %d" % kv for kv in sorted(counts.items())),
        syn.available), file=sys.stderr)


if __name__ == "__main__":
    main()
