#!/usr/bin/python3
"""PyTorch timing of doppel's encoder architecture on the batches encode_bench dumped.

    build/bench/encode_bench --dump DIR >doppel.tsv
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_encode.py DIR [--reps N] >torch.tsv

(bench/run_encode.sh does both and prints the ratios.) Same network and sizes as doppel's
default model: EmbeddingBag(2^17, 128, mean) over each token's bucket ids, bidirectional
nn.GRU(128, 128) over packed sequences (no padding enters a state, as in doppel), mean and
max pooling of the outputs, Linear(512, 256), L2 normalisation; seeded random weights,
inference mode. Inputs are the very batches of DIR/ids_B{B}_L{L}.bin, turned into tensors
before the clock starts (doppel's bench also times from ids). One row per configuration:
threads, batch, len, tokens/s (median of --reps passes over the workload).
"""
import argparse
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

BUCKETS, EMBED, HIDDEN, OUT = 1 << 17, 128, 128, 256


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.EmbeddingBag(BUCKETS, EMBED, mode="mean")
        self.gru = torch.nn.GRU(EMBED, HIDDEN, batch_first=True, bidirectional=True)
        self.proj = torch.nn.Linear(4 * HIDDEN, OUT)

    def forward(self, ids, offsets, lengths):
        x = self.embed(ids, offsets)                                    # [T][E]
        seqs = pad_sequence(torch.split(x, lengths.tolist()), batch_first=True)  # [B][L][E]
        packed = pack_padded_sequence(seqs, lengths, batch_first=True, enforce_sorted=False)
        y, _ = pad_packed_sequence(self.gru(packed)[0], batch_first=True)  # [B][L][2H]
        mask = (torch.arange(y.shape[1])[None, :] < lengths[:, None])[:, :, None]
        mean = y.sum(1) / lengths[:, None].to(y.dtype)                  # padding is zero
        mx = y.masked_fill(~mask, float("-inf")).amax(1)
        return F.normalize(self.proj(torch.cat([mean, mx], 1)), dim=1)  # [B][O]


def read_batches(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0

    def ints(n):
        nonlocal pos
        v = struct.unpack_from("<%di" % n, data, pos)
        pos += 4 * n
        return v

    batches = []
    for _ in range(ints(1)[0]):
        b = ints(1)[0]
        lengths = ints(b)
        t = ints(1)[0]
        off = ints(t + 1)
        ids = ints(off[t])
        batches.append((torch.tensor(ids, dtype=torch.long), torch.tensor(off[:t], dtype=torch.long),
                        torch.tensor(lengths, dtype=torch.long)))
    return batches


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    torch.manual_seed(1)
    model = Encoder().eval()
    print("threads\tbatch\tlen\ttok/s")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for b in (1, 16, 64):
            for length in (10, 25, 50):
                batches = read_batches("%s/ids_B%d_L%d.bin" % (args.dir, b, length))
                tokens = sum(int(x[2].sum()) for x in batches)
                times = []
                with torch.inference_mode():
                    for rep in range(args.reps + 1):  # the first pass warms up
                        t0 = time.perf_counter()
                        for ids, offsets, lengths in batches:
                            model(ids, offsets, lengths)
                        if rep:
                            times.append(time.perf_counter() - t0)
                print("%d\t%d\t%d\t%.0f" % (threads, b, length, tokens / statistics.median(times)))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
