"""Light-edit obfuscation of a copied passage (Python 3 standard library only).

Works on Brown sentences as (word, tag) lists: synonym substitution of content words (WordNet
3.0 from /usr/share/wordnet when present, else a small built-in list), deletion of some
adjectives/adverbs, insertion of filler words, and one sentence merge or split.
"""
import os

WORDNET_DIR = "/usr/share/wordnet"

# Used only when WordNet is absent (then the output differs; the README says which was used).
_FALLBACK = {
    "big": ["large"], "large": ["big"], "small": ["little"], "little": ["small"],
    "important": ["significant"], "begin": ["start"], "start": ["begin"], "end": ["finish"],
    "show": ["demonstrate"], "use": ["employ"], "help": ["assist"], "buy": ["purchase"],
    "often": ["frequently"], "quickly": ["rapidly"], "usually": ["generally"],
    "problem": ["difficulty"], "idea": ["notion"], "result": ["outcome"], "need": ["require"],
    "people": ["persons"], "city": ["town"], "job": ["task"], "answer": ["reply"],
    "happy": ["glad"], "difficult": ["hard"], "hard": ["difficult"], "old": ["aged"],
    "new": ["novel"], "fast": ["quick"], "whole": ["entire"], "main": ["chief"],
    "area": ["region"], "kind": ["sort"], "way": ["manner"], "house": ["home"],
    "almost": ["nearly"], "also": ["too"], "perhaps": ["maybe"], "certain": ["sure"],
}

# Brown tag -> WordNet part of speech, for the tags whose word is a base form.
_POS = {"nn": "noun", "vb": "verb", "jj": "adj", "rb": "adv"}

_STOP = {"be", "have", "do", "say", "make", "get", "go", "take", "come", "not", "so", "then",
         "very", "more", "most", "only", "just", "even", "now", "there", "here", "well"}

FILLERS = ["indeed", "in fact", "clearly", "of course", "certainly", "actually"]


class Synonyms:
    """Synonyms from the two most frequent WordNet senses of a lemma."""

    def __init__(self, wordnet_dir=WORDNET_DIR):
        self.dir = wordnet_dir
        self.available = os.path.exists(os.path.join(wordnet_dir, "index.noun"))
        self._index = {}
        self._cache = {}

    def _offsets(self, pos, lemma):
        if pos not in self._index:
            idx = {}
            with open(os.path.join(self.dir, "index." + pos), encoding="latin-1") as f:
                for line in f:
                    if line.startswith(" "):
                        continue
                    cols = line.split()
                    # lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offset...
                    p_cnt = int(cols[3])
                    idx[cols[0]] = [int(o) for o in cols[4 + p_cnt + 2:][:2]]
            self._index[pos] = idx
        return self._index[pos].get(lemma)

    def lookup(self, pos, lemma):
        key = (pos, lemma)
        if key in self._cache:
            return self._cache[key]
        out = []
        if not self.available:
            out = list(_FALLBACK.get(lemma, []))
        else:
            for off in self._offsets(pos, lemma) or []:
                with open(os.path.join(self.dir, "data." + pos), "rb") as f:
                    f.seek(off)
                    cols = f.readline().decode("latin-1").split()
                # offset lex_filenum ss_type w_cnt(hex) word lex_id ...
                for i in range(int(cols[3], 16)):
                    w = cols[4 + 2 * i].split("(")[0]
                    if w.isalpha() and w.lower() != lemma and w.islower() and w not in out:
                        out.append(w)
        self._cache[key] = out
        return out


def _is_name(tok):
    return tok[1].startswith("np") or "-tl" in tok[1] or tok[0] == "I"


def _match_case(new, old):
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def substitute(sent, rng, syn, rate):
    """Replace content words by synonyms with probability `rate` each. Returns (sent, n)."""
    out, n = [], 0
    for i, (w, t) in enumerate(sent):
        base = t.split("-")[0]
        # titles and names stay: "-tl" tags and capitals inside the sentence
        pos = None if "-tl" in t or (i and w[:1].isupper()) else _POS.get(base)
        plural = False
        if pos is None and base == "nns" and "-tl" not in t and not (i and w[:1].isupper()) and w.endswith("s") and not w.endswith("ss"):
            pos, plural = "noun", True
        lemma = w.lower()[:-1] if plural else w.lower()
        if pos and w.isalpha() and len(w) > 3 and lemma not in _STOP and rng.random() < rate:
            cands = syn.lookup(pos, lemma)
            if cands:
                new = rng.choice(cands)
                if plural:
                    new += "es" if new.endswith(("s", "x", "ch", "sh")) else "s"
                out.append((_match_case(new, w), t))
                n += 1
                continue
        out.append((w, t))
    return out, n


def delete_modifiers(sent, rng, rate):
    """Drop some adjectives/adverbs that sit inside the sentence (not first, not before punctuation)."""
    out = []
    for i, (w, t) in enumerate(sent):
        base = t.split("-")[0]
        nxt = sent[i + 1][1] if i + 1 < len(sent) else "."
        if i > 0 and base in ("jj", "rb") and nxt[:1].isalpha() and rng.random() < rate:
            continue
        out.append((w, t))
    return out


def insert_filler(sent, rng):
    """Put a filler word before the first main verb (after it for auxiliaries), or at the start."""
    words = [(w, "rb") for w in rng.choice(FILLERS).split()]
    for i, (_, t) in enumerate(sent):
        base = t.split("-")[0]
        if i > 0 and base in ("vbd", "vbz"):
            return sent[:i] + words + sent[i:]
        if i > 0 and base in ("bez", "bedz", "ber", "hvz", "hvd", "md") and i + 1 < len(sent):
            return sent[:i + 1] + words + sent[i + 1:]
    first = sent[0]
    lowered = first if _is_name(first) else (first[0].lower(), first[1])
    return [(_match_case(words[0][0], "X"), "rb")] + words[1:] + [(",", ",")] + [lowered] + sent[1:]


def merge(a, b):
    """Two sentences -> one: 'A. B.' -> 'A, and b.'"""
    if a and a[-1][0] == ".":
        a = a[:-1]
    first = b[0]
    if not _is_name(first):
        first = (first[0].lower(), first[1])
    joint = [(",", ",")] if first[1] == "cc" else [(",", ","), ("and", "cc")]
    return a + joint + [first] + b[1:]


def split(sent):
    """Split at the middle-most ', and' / ';' into two sentences, or return None."""
    best = None
    for i in range(3, len(sent) - 3):
        w = sent[i][0]
        if w == ";" or (w == "," and sent[i + 1][0] == "and"):
            if best is None or abs(i - len(sent) / 2) < abs(best - len(sent) / 2):
                best = i
    if best is None:
        return None
    cut = best + 2 if sent[best][0] == "," else best + 1
    left = sent[:best] + [(".", ".")]
    right = sent[cut:]
    right = [(_match_case(right[0][0], "X"), right[0][1])] + right[1:]
    return left, right


def light_edit(sents, rng, syn, rate=0.3):
    """Apply the light-edit recipe to a list of sentences; returns the edited list and a
    short description of what was done."""
    ops = []
    # Retry with a higher rate until a few words change: some passages have few content words.
    for attempt in range(6):
        subbed, n_sub = [], 0
        for s in sents:
            s, k = substitute(s, rng, syn, rate * (1 + attempt / 2))
            n_sub += k
            subbed.append(s)
        if n_sub >= 3:
            break
    out = [delete_modifiers(s, rng, 0.25) for s in subbed]
    ops.append("%d substitutions" % n_sub)
    j = rng.randrange(len(out))
    out[j] = insert_filler(out[j], rng)
    ops.append("filler")
    longest = max(range(len(out)), key=lambda i: len(out[i]))
    parts = split(out[longest]) if len(out[longest]) > 18 else None
    if parts:
        out[longest:longest + 1] = list(parts)
        ops.append("split")
    joinable = [k for k in range(len(out) - 1) if out[k][-1][0] == "."]
    if len(out) >= 3 and joinable:
        k = rng.choice(joinable)
        out[k:k + 2] = [merge(out[k], out[k + 1])]
        ops.append("merge")
    return out, ops
