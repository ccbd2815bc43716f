#!/usr/bin/python3
"""Writes tests/model/data/torch_fixture.bin: PyTorch's forward and gradients of the
doppel encoder network, the independent reference of tests/model/test_torch_fixture.c.

Regenerate (needs PyTorch; the test itself does not):
    /usr/bin/python3 tests/model/make_torch_fixture.py tests/model/data/torch_fixture.bin

The network is built from PyTorch's own modules: nn.EmbeddingBag(mode='mean') over each
token's bucket ids, nn.GRU(bidirectional=True, batch_first=True) over
pack_padded_sequence (each sequence its own length), pooling over the valid steps,
nn.Linear, F.normalize. Weights are PyTorch's default initialisation rounded to float32;
the computation runs in float64, so the reference is exact to float32 output precision.
The loss is L = sum(w * out) for a fixed random w; gradients are dL/d(every parameter).

File format, all little-endian:
    magic  b"DPTF", u32 version (1), u32 number of cases
    per case:
      u32 embed_dim, hidden, layers, out_dim, buckets, pooling (1 mean, 2 max, 3 mean+max,
                                                        4 mean+max+mean of the embedded tokens,
                                                        5 attention-weighted mean+max),
      u32 B, T (tokens), nids (bucket ids), nparams
      i32 seq_len[B]; i32 tok_off[T+1]; u32 ids[nids]
      f32 params[nparams]   in doppel's block layout (src/model/model.h)
      f32 w[B*out_dim]; f32 out[B*out_dim]; f32 grad[nparams] (same layout)
"""
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

MEAN, MAX, MEANMAX, MEANMAXBAG, ATTNMAX = 1, 2, 3, 4, 5


def make_batch(gen, buckets, lengths):
    """Bags of 1..3 ids per token; token 1 repeats an id, token 4 is an empty bag."""
    T = sum(lengths)
    sizes = torch.randint(1, 4, (T,), generator=gen).tolist()
    sizes[4] = 0
    ids, tok_off = [], [0]
    for t, n in enumerate(sizes):
        bag = torch.randint(0, buckets, (n,), generator=gen).tolist()
        if t == 1:
            bag = [bag[0]] * 2 + bag[1:]
        ids += bag
        tok_off.append(len(ids))
    return ids, tok_off


def case(seed, E, H, L, O, buckets, pooling, lengths):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    ids, tok_off = make_batch(gen, buckets, lengths)
    B = len(lengths)
    emb = nn.EmbeddingBag(buckets, E, mode="mean")
    gru = nn.GRU(E, H, num_layers=L, bidirectional=True, batch_first=True)
    P = 2 * H * (1 if pooling in (MEAN, MAX) else 2) + (E if pooling == MEANMAXBAG else 0)
    lin = nn.Linear(P, O)
    params = [emb.weight]
    for l in range(L):
        for sfx in ("", "_reverse"):
            params += [getattr(gru, f"{k}_l{l}{sfx}") for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    params += [lin.weight, lin.bias]
    # the token salience vector; random (not its zero init) so that the weights differ
    attn = nn.Parameter(torch.randn(E, generator=gen) if pooling == ATTNMAX else torch.zeros(0))
    if pooling == ATTNMAX:
        params.append(attn)
    for m in (emb, gru, lin):
        m.double()
    attn.data = attn.data.double()
    with torch.no_grad():
        for p in params:
            p.copy_(p.float().double())
    w = (torch.rand(B, O, generator=gen, dtype=torch.float64) * 2 - 1).float().double()

    tok = emb(torch.tensor(ids, dtype=torch.long), torch.tensor(tok_off[:-1], dtype=torch.long))  # [T][E]
    seqs = torch.split(tok, lengths)
    padded = nn.utils.rnn.pad_sequence(list(seqs), batch_first=True)  # [B][maxlen][E]
    lens = torch.tensor(lengths)
    packed = pack_padded_sequence(padded, lens, batch_first=True, enforce_sorted=False)
    y, _ = pad_packed_sequence(gru(packed)[0], batch_first=True)  # [B][maxlen][2H]
    mask = (torch.arange(y.shape[1])[None, :] < lens[:, None])[:, :, None]  # [B][maxlen][1]
    mean = (y * mask).sum(1) / lens[:, None].double()
    mx = y.masked_fill(~mask, float("-inf")).max(1).values
    bag = torch.stack([s.mean(0) for s in seqs])  # [B][E] mean of the embedded tokens
    if pooling == ATTNMAX:  # weights softmax over each sequence of attn . embedded token
        weights = [torch.softmax(s @ attn, 0) for s in seqs]  # B x [len]
        mean = torch.stack([(a[:, None] * y[b, :len(a)]).sum(0) for b, a in enumerate(weights)])  # [B][2H]
    pool = {MEAN: mean, MAX: mx, MEANMAX: torch.cat([mean, mx], 1), ATTNMAX: torch.cat([mean, mx], 1),
            MEANMAXBAG: torch.cat([mean, mx, bag], 1)}[pooling]  # [B][P]
    out = F.normalize(lin(pool), dim=1)  # [B][O]
    (out * w).sum().backward()

    def f32(t):
        return struct.pack(f"<{t.numel()}f", *t.detach().reshape(-1).tolist())

    nparams = sum(p.numel() for p in params)
    blob = struct.pack("<10I", E, H, L, O, buckets, pooling, B, len(tok_off) - 1, len(ids), nparams)
    blob += struct.pack(f"<{B}i", *lengths) + struct.pack(f"<{len(tok_off)}i", *tok_off)
    blob += struct.pack(f"<{len(ids)}I", *ids)
    blob += b"".join(f32(p) for p in params) + f32(w) + f32(out)
    blob += b"".join(f32(p.grad) for p in params)
    return blob


def main():
    lengths = [4, 1, 7, 3, 1, 5, 2]
    cases = [
        case(1, 8, 6, 2, 5, 50, MEANMAX, lengths),
        case(2, 8, 6, 2, 5, 50, MEAN, lengths),
        case(3, 7, 5, 1, 4, 30, MAX, lengths),
        case(4, 4, 3, 3, 6, 20, MEANMAX, [1, 2, 9]),
        case(5, 8, 6, 2, 5, 50, MEANMAXBAG, lengths),
        case(6, 8, 6, 2, 5, 50, ATTNMAX, lengths),
    ]
    with open(sys.argv[1], "wb") as f:
        f.write(b"DPTF" + struct.pack("<2I", 1, len(cases)) + b"".join(cases))


if __name__ == "__main__":
    main()
