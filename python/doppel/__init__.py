"""doppel: text similarity and plagiarism detection (ctypes over libdoppel's <doppel.h>).

    import doppel
    enc = doppel.Encoder(doppel.Model())            # the installed default model
    vectors = enc.encode(["A man plays a guitar.", "Someone is playing the guitar."])
    ix = doppel.Index.create(model=None)            # lexical evidence only
    ix.add("a.txt", open("a.txt", "rb").read())
    for pair in ix.query("new.txt", text):          # or ix.sweep()
        print(pair.a, pair.b, pair.score, [(p.kind, p.a_start, p.a_end) for p in pair.passages])
    for pair in doppel.sweep(["essays/"]):          # every file under the folders
        ...
    report = ix.sweep()                             # a list of pairs, and
    for c in report.common:                         # text held by more than max_docs documents
        print(len(c.members), [(m.id, m.start, m.end) for m in c.members])

Every failure raises doppel.Error, whose message is the library's diagnostic.
"""
import ctypes
import os
from dataclasses import dataclass, field
from typing import Iterator, List, Optional

import numpy as np

from . import _lib

_c = _lib.load()

__version__ = _c.doppel_version().decode()

__all__ = ["Error", "Model", "Encoder", "Index", "Pair", "Passage", "Common", "CommonMember", "Report", "sweep",
           "version", "__version__"]


def version() -> str:
    """The version of the libdoppel loaded."""
    return _c.doppel_version().decode()


class Error(Exception):
    """A libdoppel error: code (DOPPEL_ERR_*), the diagnostic message, byte and line (None
    when they do not apply)."""

    def __init__(self, code: int, message: str, byte: Optional[int] = None, line: Optional[int] = None):
        self.code, self.byte, self.line = code, byte, line
        where = "".join(s for s in ((" byte %d" % byte) if byte is not None else "",
                                     (" line %d" % line) if line is not None else ""))
        super().__init__("%s%s: %s" % (_c.doppel_strerror(code).decode(), where, message))


_NONE = (1 << 64) - 1


def _check(rc: int, d: _lib.Diag, what: str = "") -> None:
    if rc:
        msg = d.message.decode("utf-8", "replace") if d.code == rc else ""
        raise Error(rc, (what + ": " if what else "") + (msg or _c.doppel_strerror(rc).decode()),
                    None if d.code != rc or d.byte == _NONE else d.byte,
                    None if d.code != rc or d.line == _NONE else d.line)


def _bytes(x) -> bytes:
    return x.encode("utf-8") if isinstance(x, str) else bytes(x)


class Model:
    """A model file (.dpm). path None: $DOPPEL_MODEL, else the installed default model."""

    def __init__(self, path: Optional[str] = None):
        if path is None:
            path = os.environ.get("DOPPEL_MODEL") or _c.doppel_model_default_path().decode()
        self.path = os.fspath(path)
        self._h = ctypes.c_void_p()
        d = _lib.Diag()
        _check(_c.doppel_model_load(ctypes.byref(self._h), os.fsencode(self.path), ctypes.byref(d)), d, self.path)

    @property
    def dim(self) -> int:
        return _c.doppel_model_out_dim(self._h)

    def __del__(self):
        if getattr(self, "_h", None):
            _c.doppel_model_free(self._h)
            self._h = None


# doppel_precision: the encoder's arithmetic ("auto", as the doppel program encodes)
_PRECISION = {"auto": 0, "fp32": 1, "int8": 2}


def _set_precision(fn, h, precision: str) -> None:
    if precision not in _PRECISION:
        raise ValueError(f"precision {precision!r}: expected one of {', '.join(_PRECISION)}")
    d = _lib.Diag()
    _check(fn(h, _PRECISION[precision], ctypes.byref(d)), d)


class Encoder:
    """Texts to unit vectors (cosine = dot product). One encoder may be shared by threads.
    precision: "auto" (int8 products where the CPU has a SIMD int8 kernel, as the doppel
    program encodes), "fp32" (the reference) or "int8"."""

    def __init__(self, model: Model, threads: int = 1, precision: str = "auto"):
        self.model = model  # kept alive as long as the encoder
        self._h = ctypes.c_void_p()
        d = _lib.Diag()
        _check(_c.doppel_encoder_create(ctypes.byref(self._h), model._h, threads, ctypes.byref(d)), d)
        _set_precision(_c.doppel_encoder_set_precision, self._h, precision)

    def encode(self, texts: List[str]) -> np.ndarray:
        """float32 array [len(texts), model.dim]; str is UTF-8 encoded, bytes taken as is."""
        data = [_bytes(t) for t in texts]
        n = len(data)
        out = np.zeros((n, self.model.dim), dtype=np.float32)
        if n == 0:
            return out
        ptrs = (ctypes.c_char_p * n)(*data)
        lens = (ctypes.c_size_t * n)(*[len(b) for b in data])
        d = _lib.Diag()
        rc = _c.doppel_encoder_encode(self._h, ptrs, lens, n, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                                      ctypes.byref(d))
        _check(rc, d)
        return out

    def __del__(self):
        if getattr(self, "_h", None):
            _c.doppel_encoder_free(self._h)
            self._h = None


_KINDS = {k: _c.doppel_passage_kind_name(k).decode() for k in range(3)}


@dataclass
class Passage:
    """Byte spans [start, end) of one shared passage in each document's original bytes."""
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float
    kind: str  # "verbatim", "edited" or "paraphrase"


@dataclass
class Pair:
    a: str
    b: str
    score: float
    a_coverage: float
    b_coverage: float
    passages: List[Passage] = field(default_factory=list)


@dataclass
class CommonMember:
    """A document holding a common passage, and where: bytes [start, end) of its original bytes."""
    id: str
    start: int
    end: int


@dataclass
class Common:
    """A common passage: text held by more than max_docs documents (a paragraph a whole class
    copied, boilerplate). It is no pair's evidence, so a report lists it once with every
    document holding it, in document order (a query's document last)."""
    members: List[CommonMember] = field(default_factory=list)


class Report(list):
    """The reported pairs (a list of Pair) and, in .common, the report's common passages."""

    def __init__(self, pairs=(), common=()):
        super().__init__(pairs)
        self.common: List[Common] = list(common)


def _read_common(r: ctypes.c_void_p) -> List[Common]:
    out = []
    for _ in range(_c.doppel_report_common_count(r)):
        c = _c.doppel_report_next_common(r)
        if not c:
            break
        c = c.contents
        out.append(Common([CommonMember(m.id.decode("utf-8", "surrogateescape"), m.start, m.end)
                           for m in (c.members[i] for i in range(c.n_members))]))
    return out


def _read_report(r: ctypes.c_void_p) -> Report:
    pairs = []
    try:
        while True:
            p = _c.doppel_report_next(r)
            if not p:
                break
            p = p.contents
            passages = [Passage(q.a_start, q.a_end, q.b_start, q.b_end, q.score, _KINDS.get(q.kind, str(q.kind)))
                        for q in (p.passages[i] for i in range(p.n_passages))]
            pairs.append(Pair(p.a.decode("utf-8", "surrogateescape"), p.b.decode("utf-8", "surrogateescape"),
                              p.score, p.a_coverage, p.b_coverage, passages))
        common = _read_common(r)
    finally:
        _c.doppel_report_free(r)
    return Report(pairs, common)


_OPTS = [name for name, _ in _lib.IndexOpts._fields_ if name != "size"]


def _opts(base: Optional[_lib.IndexOpts] = None, **options) -> _lib.IndexOpts:
    o = _lib.IndexOpts()
    if base is None:
        _c.doppel_index_opts_default(ctypes.byref(o))
    else:
        ctypes.pointer(o)[0] = base
    for k, v in options.items():
        if k not in _OPTS:
            raise TypeError("unknown index option %r (options: %s)" % (k, ", ".join(_OPTS)))
        setattr(o, k, v)
    return o


class Index:
    """Documents that share-text checks run against. Make one with Index.create() or
    Index.open(); options are those of doppel_index_opts: kgram, ignore_quotes,
    ignore_references, threshold, min_match, max_docs, top_k, all_pairs_limit,
    all_pairs, sentence_threshold; precision as Encoder's."""

    def __init__(self, handle: ctypes.c_void_p, model: Optional[Model]):
        self._h, self.model = handle, model
        self._progress = None

    @classmethod
    def create(cls, model: Optional[Model] = None, threads: int = 1, precision: str = "auto", **options) -> "Index":
        """model None: lexical evidence only (verbatim and edited copies)."""
        h = ctypes.c_void_p()
        d = _lib.Diag()
        o = _opts(**options)
        _check(_c.doppel_index_create(ctypes.byref(h), model._h if model else None, threads, ctypes.byref(o),
                                      ctypes.byref(d)), d)
        ix = cls(h, model)
        _set_precision(_c.doppel_index_set_precision, h, precision)
        return ix

    @classmethod
    def open(cls, path: str, model: Optional[Model] = None, threads: int = 1, precision: str = "auto",
             **options) -> "Index":
        """An index file; model must be the one that built it (None if none did)."""
        h = ctypes.c_void_p()
        d = _lib.Diag()
        o = _opts(**options)
        _check(_c.doppel_index_load(ctypes.byref(h), os.fsencode(path), model._h if model else None, threads,
                                    ctypes.byref(o), ctypes.byref(d)), d, os.fspath(path))
        ix = cls(h, model)
        _set_precision(_c.doppel_index_set_precision, h, precision)
        return ix

    def save(self, path: str) -> None:
        d = _lib.Diag()
        _check(_c.doppel_index_save(self._h, os.fsencode(path), ctypes.byref(d)), d, os.fspath(path))

    @property
    def options(self) -> dict:
        o = _opts()
        d = _lib.Diag()
        _check(_c.doppel_index_get_opts(self._h, ctypes.byref(o), ctypes.byref(d)), d)
        return {k: getattr(o, k) for k in _OPTS}

    def set_options(self, **options) -> None:
        """Changes what is reported (threshold, ...); kgram and ignore_* are fixed once
        documents are added."""
        o = _opts(**{**self.options, **options})
        d = _lib.Diag()
        _check(_c.doppel_index_set_opts(self._h, ctypes.byref(o), ctypes.byref(d)), d)

    def set_progress(self, fn) -> None:
        """fn(done, total) is called as sweep() aligns pairs; a true return cancels it
        (Error with code DOPPEL_ERR_INTERRUPTED). None: no function."""
        self._progress = _lib.PROGRESS_FN(lambda ctx, done, total: 1 if fn(done, total) else 0) if fn else None
        _c.doppel_index_set_progress(self._h, self._progress or _lib.PROGRESS_FN(), None)

    def add_template(self, text) -> None:
        data = _bytes(text)
        d = _lib.Diag()
        _check(_c.doppel_index_add_template(self._h, data, len(data), ctypes.byref(d)), d, "template")

    def add(self, id: str, text, reference: bool = False) -> None:
        """A document (str: UTF-8; bytes: any encoding doppel detects) under a unique id."""
        data = _bytes(text)
        d = _lib.Diag()
        _check(_c.doppel_index_add(self._h, _bytes(id), data, len(data), int(reference), ctypes.byref(d)), d, id)

    def add_skipped(self, id: str, reason: str) -> None:
        d = _lib.Diag()
        _check(_c.doppel_index_add_skipped(self._h, _bytes(id), _bytes(reason), ctypes.byref(d)), d, id)

    def remove(self, id: str) -> None:
        d = _lib.Diag()
        _check(_c.doppel_index_remove(self._h, _bytes(id), ctypes.byref(d)), d, id)

    def __len__(self) -> int:
        return _c.doppel_index_count(self._h)

    def ids(self) -> List[str]:
        return [_c.doppel_index_id(self._h, i).decode("utf-8", "surrogateescape") for i in range(len(self))]

    def vector(self, id: str) -> np.ndarray:
        """The document's vector (normalised mean of its sentence vectors); needs a model."""
        dim = _c.doppel_index_dim(self._h)
        out = np.zeros(dim, dtype=np.float32)
        d = _lib.Diag()
        _check(_c.doppel_index_doc_vector(self._h, _bytes(id), out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                                          dim, ctypes.byref(d)), d, id)
        return out

    def query(self, id: str, text) -> Report:
        """One new document (not added) against every indexed one; pairs have it as side a;
        .common: the text it shares with more than max_docs indexed documents."""
        data = _bytes(text)
        r = ctypes.c_void_p()
        d = _lib.Diag()
        _check(_c.doppel_index_query(self._h, _bytes(id), data, len(data), ctypes.byref(r), ctypes.byref(d)), d, id)
        return _read_report(r)

    def sweep(self) -> Report:
        """Every reported pair of indexed documents, as `doppel sweep` reports them; .common:
        the text held by more than max_docs of them."""
        r = ctypes.c_void_p()
        d = _lib.Diag()
        _check(_c.doppel_index_sweep(self._h, ctypes.byref(r), ctypes.byref(d)), d)
        return _read_report(r)

    def __del__(self):
        if getattr(self, "_h", None):
            _c.doppel_index_free(self._h)
            self._h = None


def _files(paths) -> Iterator[str]:
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    yield os.path.join(root, f)
        else:
            yield p


def sweep(paths, model: Optional[Model] = None, threads: int = 1, templates=(), **options) -> Iterator[Pair]:
    """Every pair of the files under paths (files or folders, ids are the paths) that
    shares text, with its passages. model None: lexical evidence only; templates: files
    of text handed out to everyone. Unreadable files are skipped (Index.sweep lists them, and
    the common passages)."""
    ix = Index.create(model, threads, **options)
    for t in templates:
        with open(t, "rb") as f:
            ix.add_template(f.read())
    for path in _files(paths):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            ix.add_skipped(path, e.strerror or str(e))
            continue
        try:
            ix.add(path, data)
        except Error:
            pass  # empty or binary: the index lists it as skipped
    yield from ix.sweep()
