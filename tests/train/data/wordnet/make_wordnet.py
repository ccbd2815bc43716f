#!/usr/bin/env python3
"""Writes a tiny database in WordNet 3.0's index.POS / data.POS format (byte offsets as
the real files use them) for tests/train/test_augment.c. Written for doppel's tests."""
HEAD = "  1 This is a tiny WordNet-format test fixture written for doppel (MIT).\n"
SYNSETS = {  # pos: [(lemmas of the index pointing here first, words of the synset)]
    "noun": [(["car"], ["car", "auto", "automobile", "machine", "motorcar", "motor_vehicle"]),
             (["run"], ["run", "tally"]),
             (["dog"], ["dog", "domestic_dog"]),
             (["house"], ["house", "home"])],
    "verb": [(["run"], ["run", "operate"]), (["walk"], ["walk", "stroll"])],
    "adj": [(["quick"], ["quick(a)", "fast", "speedy(p)"])],
}
for pos, synsets in SYNSETS.items():
    data, index, off = HEAD, {}, len(HEAD.encode())
    for lemmas, words in synsets:
        line = f"{off:08d} 00 {pos[0]} {len(words):02x} " + " ".join(f"{w} 0" for w in words) + " 000 | a test gloss  \n"
        for l in lemmas:
            index.setdefault(l, off)
        data += line
        off += len(line.encode())
    with open("data." + pos, "w") as f:
        f.write(data)
    with open("index." + pos, "w") as f:
        f.write(HEAD)
        for l in sorted(index):
            f.write(f"{l} {pos[0]} 1 1 @ 1 0 {index[l]:08d}  \n")
