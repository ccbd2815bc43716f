"""The ctypes declarations of <doppel.h> (the calls of API 1.0-1.2 the package uses) and the loading
of libdoppel.so."""
import ctypes
import ctypes.util
import os

c_size_p = ctypes.POINTER(ctypes.c_size_t)


class Diag(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("byte", ctypes.c_uint64), ("line", ctypes.c_uint64),
                ("sys_errno", ctypes.c_int), ("message", ctypes.c_char * 256), ("reserved_", ctypes.c_uint8 * 64)]


class IndexOpts(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("kgram", ctypes.c_uint32), ("ignore_quotes", ctypes.c_int),
                ("ignore_references", ctypes.c_int), ("threshold", ctypes.c_float), ("min_match", ctypes.c_uint32),
                ("max_docs", ctypes.c_uint32), ("top_k", ctypes.c_uint32), ("all_pairs_limit", ctypes.c_uint32),
                ("all_pairs", ctypes.c_int), ("sentence_threshold", ctypes.c_float)]


class CPassage(ctypes.Structure):
    _fields_ = [("a_start", ctypes.c_uint64), ("a_end", ctypes.c_uint64), ("b_start", ctypes.c_uint64),
                ("b_end", ctypes.c_uint64), ("score", ctypes.c_float), ("kind", ctypes.c_int)]


class CPair(ctypes.Structure):
    _fields_ = [("a", ctypes.c_char_p), ("b", ctypes.c_char_p), ("score", ctypes.c_float),
                ("a_coverage", ctypes.c_float), ("b_coverage", ctypes.c_float),
                ("passages", ctypes.POINTER(CPassage)), ("n_passages", ctypes.c_size_t)]


class CSkipped(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("reason", ctypes.c_char_p)]


class CCommonMember(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("start", ctypes.c_uint64), ("end", ctypes.c_uint64)]


class CCommon(ctypes.Structure):  # size-tagged: size is the library's sizeof(doppel_common)
    _fields_ = [("size", ctypes.c_size_t), ("members", ctypes.POINTER(CCommonMember)), ("n_members", ctypes.c_size_t)]


class CSummary(ctypes.Structure):
    _fields_ = [("documents", ctypes.c_size_t), ("skipped", ctypes.c_size_t),
                ("pairs_compared", ctypes.c_size_t), ("pairs_reported", ctypes.c_size_t)]


PROGRESS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64)


def _candidates():
    """Where libdoppel may be: $DOPPEL_LIBRARY, the prefix this package was installed
    into (the lib directory beside its Python directory), then the linker's search."""
    env = os.environ.get("DOPPEL_LIBRARY")
    if env:
        yield env
        return
    try:
        from . import _paths  # written by meson install
        here = os.path.dirname(os.path.abspath(__file__))
        prefix = os.path.normpath(os.path.join(here, *[".."] * (len(_paths.PYDIR.split("/")) + 1)))
        yield os.path.join(prefix, _paths.LIBDIR, "libdoppel.so.%d" % _paths.MAJOR)
    except ImportError:
        pass
    found = ctypes.util.find_library("doppel")
    if found:
        yield found
    yield "libdoppel.so.1"


def load():
    errors = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError as e:
            errors.append("%s: %s" % (path, e))
    else:
        raise ImportError("doppel: cannot load libdoppel (set DOPPEL_LIBRARY to its path): " + "; ".join(errors))
    P = ctypes.c_void_p
    D = ctypes.POINTER(Diag)
    sig = {
        "doppel_strerror": (ctypes.c_char_p, [ctypes.c_int]),
        "doppel_version": (ctypes.c_char_p, []),
        "doppel_version_number": (ctypes.c_uint, []),
        "doppel_model_load": (ctypes.c_int, [ctypes.POINTER(P), ctypes.c_char_p, D]),
        "doppel_model_free": (None, [P]),
        "doppel_model_out_dim": (ctypes.c_size_t, [P]),
        "doppel_model_default_path": (ctypes.c_char_p, []),
        "doppel_encoder_create": (ctypes.c_int, [ctypes.POINTER(P), P, ctypes.c_int, D]),
        "doppel_encoder_free": (None, [P]),
        "doppel_encoder_set_precision": (ctypes.c_int, [P, ctypes.c_int, D]),
        "doppel_index_set_precision": (ctypes.c_int, [P, ctypes.c_int, D]),
        "doppel_encoder_encode": (ctypes.c_int, [P, ctypes.POINTER(ctypes.c_char_p), c_size_p, ctypes.c_size_t,
                                                 ctypes.POINTER(ctypes.c_float), D]),
        "doppel_index_opts_default": (None, [ctypes.POINTER(IndexOpts)]),
        "doppel_index_create": (ctypes.c_int, [ctypes.POINTER(P), P, ctypes.c_int, ctypes.POINTER(IndexOpts), D]),
        "doppel_index_load": (ctypes.c_int, [ctypes.POINTER(P), ctypes.c_char_p, P, ctypes.c_int,
                                             ctypes.POINTER(IndexOpts), D]),
        "doppel_index_save": (ctypes.c_int, [P, ctypes.c_char_p, D]),
        "doppel_index_free": (None, [P]),
        "doppel_index_set_opts": (ctypes.c_int, [P, ctypes.POINTER(IndexOpts), D]),
        "doppel_index_get_opts": (ctypes.c_int, [P, ctypes.POINTER(IndexOpts), D]),
        "doppel_index_set_progress": (None, [P, PROGRESS_FN, P]),
        "doppel_index_add_template": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_size_t, D]),
        "doppel_index_add": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, D]),
        "doppel_index_add_skipped": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_char_p, D]),
        "doppel_index_remove": (ctypes.c_int, [P, ctypes.c_char_p, D]),
        "doppel_index_count": (ctypes.c_size_t, [P]),
        "doppel_index_id": (ctypes.c_char_p, [P, ctypes.c_size_t]),
        "doppel_index_dim": (ctypes.c_size_t, [P]),
        "doppel_index_doc_vector": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_float),
                                                   ctypes.c_size_t, D]),
        "doppel_index_query": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t,
                                              ctypes.POINTER(P), D]),
        "doppel_index_sweep": (ctypes.c_int, [P, ctypes.POINTER(P), D]),
        "doppel_passage_kind_name": (ctypes.c_char_p, [ctypes.c_int]),
        "doppel_report_next": (ctypes.POINTER(CPair), [P]),
        "doppel_report_next_skipped": (ctypes.POINTER(CSkipped), [P]),
        "doppel_report_next_common": (ctypes.POINTER(CCommon), [P]),
        "doppel_report_common_count": (ctypes.c_size_t, [P]),
        "doppel_report_summary": (None, [P, ctypes.POINTER(CSummary)]),
        "doppel_report_free": (None, [P]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    return lib
