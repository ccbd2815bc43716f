#!/usr/bin/env python3
"""Independent reference for src/text/hashvocab.c, written from its header comment.
Prints the golden bucket ids used in tests/text/test_hashvocab.c:
    python3 tests/text/hashvocab_ref.py
"""
M = (1 << 64) - 1
TWEAK = 0x9E3779B97F4A7C15


def fnv1a64(data: bytes, seed: int) -> int:
    h = 0xCBF29CE484222325 ^ seed
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & M
    return h


def fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & M
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & M
    h ^= h >> 33
    return h


def ids(word: str, seed: int, buckets: int, minn: int, maxn: int, cap: int = 64):
    out = [fmix64(fnv1a64(word.encode(), seed)) % buckets]
    if minn == 0:
        return out
    s = "<" + word + ">"
    for n in range(minn, maxn + 1):
        if n > len(s):
            break
        for a in range(0, len(s) - n + 1):
            if a == 0 and n == len(s):
                continue
            if len(out) == cap:
                return out
            g = s[a:a + n].encode()
            out.append(fmix64(fnv1a64(g, seed ^ TWEAK)) % buckets)
    return out


if __name__ == "__main__":
    for word, seed, buckets, minn, maxn in [
        ("where", 0, 2000003, 3, 6),
        ("stra\u00dfe", 42, 1 << 20, 2, 4),
        ("\u4e2d", 7, 1000, 1, 3),
    ]:
        print(word.encode("unicode_escape").decode(), seed, buckets, minn, maxn, ids(word, seed, buckets, minn, maxn))
    print("len(ids('a'*100, 3..6)) =", len(ids("a" * 100, 1, 1000, 3, 6)))
    print("fnv1a64 seed 0:", hex(fnv1a64(b"", 0)), hex(fnv1a64(b"a", 0)), hex(fnv1a64(b"foobar", 0)))
    print("fnv1a64 seed 42 'foobar':", hex(fnv1a64(b"foobar", 42)))
