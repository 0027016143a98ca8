#!/usr/bin/env python3
"""PyTorch reference for `emergent bench train --compare`: the same three training steps
on the same synthetic shapes, one line of JSON per model on stdout.

  mlp          784-512x4-10, ReLU, Kaiming, SGD momentum 0.9: forward, backward, step
  cnn          conv32-pool-conv64-pool-fc128-fc10 (3x3, padding 1), SGD momentum 0.9
  transformer  pre-LN encoder-decoder, d 128, 4 heads, 2+2 layers, FFN 512, vocabulary 71,
               14 tokens a side, Adam (0.9, 0.98, 1e-9), gradient clipping at 1

Batch 128. Each: 3 warm-up steps, then 5 windows of at least --window-s seconds; the
median window's rate is reported. Needs torch (pip install 'torch==2.13.0+cpu').

  python3 Scripts/pytorch_throughput.py --threads 1 --window-s 1
  python3 Scripts/pytorch_throughput.py --serve    # 'cnn 1' on stdin -> one window's record
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 128


def mlp():
    widths = [784, 512, 512, 512, 512, 10]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(nn.Flatten(), *layers)


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.dh = h, d // h
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, xq, xkv, mask):
        B, Tq, _ = xq.shape
        Tk = xkv.shape[1]
        q = self.q(xq).view(B, Tq, self.h, self.dh).transpose(1, 2)
        k = self.k(xkv).view(B, Tk, self.h, self.dh).transpose(1, 2)
        v = self.v(xkv).view(B, Tk, self.h, self.dh).transpose(1, 2)
        att = q @ k.transpose(-2, -1) / math.sqrt(self.dh)
        if mask is not None:
            att = att.masked_fill(mask, float("-inf"))
        y = (torch.softmax(att, -1) @ v).transpose(1, 2).reshape(B, Tq, -1)
        return self.o(y)


class Block(nn.Module):
    def __init__(self, d, h, f, cross):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.sa = Attention(d, h)
        self.ca = Attention(d, h) if cross else None
        self.l1, self.l2 = nn.Linear(d, f), nn.Linear(f, d)

    def forward(self, x, memory=None, mask=None):
        h = self.ln1(x)
        x = x + self.sa(h, h, mask)
        if self.ca is not None:
            x = x + self.ca(self.ln2(x), memory, None)
        return x + self.l2(F.relu(self.l1(self.ln3(x))))


class Seq2Seq(nn.Module):
    def __init__(self, vocab=71, d=128, h=4, f=512, layers=2, length=32):
        super().__init__()
        self.src, self.tgt = nn.Embedding(vocab, d), nn.Embedding(vocab, d)
        position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
        angle = position / torch.pow(10000.0, torch.arange(0, d, 2, dtype=torch.float32) / d)
        pe = torch.zeros(length, d)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(angle), torch.cos(angle)
        self.register_buffer("pe", pe, persistent=False)
        self.enc = nn.ModuleList(Block(d, h, f, False) for _ in range(layers))
        self.dec = nn.ModuleList(Block(d, h, f, True) for _ in range(layers))
        self.enc_ln, self.dec_ln = nn.LayerNorm(d), nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, src, tin):
        x = self.src(src) + self.pe[:src.shape[1]]
        for layer in self.enc:
            x = layer(x)
        memory = self.enc_ln(x)
        T = tin.shape[1]
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        y = self.tgt(tin) + self.pe[:T]
        for layer in self.dec:
            y = layer(y, memory, causal)
        return self.head(self.dec_ln(y))


def kaiming(model):
    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)


def rate(step, window_s):
    for _ in range(3):
        step()
    rates = [window(step, window_s) for _ in range(5)]
    return statistics.median(rates), rates


def window(step, window_s):
    """One timed window: steps until at least window_s seconds and 3 steps have passed."""
    n, start = 0, time.perf_counter()
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= window_s and n >= 3:
            return n * BATCH / elapsed


def classifier_step(name):
    model = mlp() if name == "mlp" else cnn()
    kaiming(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9)
    x = torch.randn(BATCH, 784) if name == "mlp" else torch.randn(BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (BATCH,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    return step


def transformer_step():
    model = Seq2Seq()
    kaiming(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-7, betas=(0.9, 0.98), eps=1e-9)
    src, tin, tout = (torch.randint(4, 71, (BATCH, 14)) for _ in range(3))

    def step():
        optimizer.zero_grad(set_to_none=True)
        logits = model(src, tin)
        F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tout.reshape(-1)).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    return step


def make_step(name):
    if name not in ("mlp", "cnn", "transformer"):
        raise SystemExit(f"unknown model {name!r}; expected mlp, cnn or transformer")
    return transformer_step() if name == "transformer" else classifier_step(name)


def serve(threads):
    """Answers lines 'MODEL SECONDS' on stdin with one window's record each, so that the
    caller can alternate its own windows with these (a model is built and warmed up the
    first time it is asked for)."""
    steps = {}
    for line in sys.stdin:
        name, seconds = line.split()
        if name not in steps:
            steps[name] = make_step(name)
            for _ in range(3):
                steps[name]()
        rate_ = window(steps[name], float(seconds))
        print(json.dumps({"bench": name, "batch": BATCH, "threads": threads, "samples_per_s": rate_}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--window-s", type=float, default=1.0)
    parser.add_argument("--serve", action="store_true", help="answer 'MODEL SECONDS' lines on stdin, one window each")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.serve:
        serve(args.threads)
        return
    for name in ("mlp", "cnn", "transformer"):
        median, windows = rate(make_step(name), args.window_s)
        print(json.dumps({"bench": name, "batch": BATCH, "threads": args.threads, "samples_per_s": median,
                          "windows": windows}), flush=True)


if __name__ == "__main__":
    main()
