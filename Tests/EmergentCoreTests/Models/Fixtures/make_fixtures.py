#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that `swift test` checks (PyTorch is not needed to
run the tests, only to regenerate these files):

    pip install 'torch==2.13.0+cpu'
    python3 Tests/EmergentCoreTests/Models/Fixtures/make_fixtures.py

Each fixture holds the inputs, every parameter, the logits, the loss and every parameter
gradient of one training-mode forward and backward pass, in float32, with parameter names
equal to Emergent's (dense1.weight, conv1.weight, bn1.bias, ...). Weights are drawn from
N(0, 0.5²) (norm gains around 1) so the values do not depend on an initializer.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def randomize(model, generator):
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator) * 0.5
            is_gain = (name.startswith("bn") or "ln" in name.split(".")[-2]) and name.endswith("weight")
            p.copy_(noise + (1.0 if is_gain else 0.0))


def tensor(t):
    return {"shape": list(t.shape), "values": [float(v) for v in t.detach().reshape(-1)]}


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense1, self.dense2, self.dense3 = nn.Linear(6, 5), nn.Linear(5, 4), nn.Linear(4, 3)

    def forward(self, x):
        x = F.gelu(self.dense1(x))
        x = F.relu(self.dense2(x))
        return self.dense3(x)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3)
        self.conv2, self.bn2 = nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4)
        self.fc1, self.fc2 = nn.Linear(4 * 2 * 2, 5), nn.Linear(5, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)


def sinusoid(max_len, d):
    pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
    i = torch.arange(0, d, 2, dtype=torch.float32)
    ang = pos / torch.pow(10000.0, i / d)
    pe = torch.zeros(max_len, d)
    pe[:, 0::2] = torch.sin(ang)
    pe[:, 1::2] = torch.cos(ang)
    return pe


class MHA(nn.Module):
    """As ../shared/peer/train_transformer.py: separate q/k/v/o projections with bias."""

    def __init__(self, d, h):
        super().__init__()
        self.h, self.dh = h, d // h
        self.q, self.k, self.v, self.o = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)

    def split(self, x):
        B, T, _ = x.shape
        return x.view(B, T, self.h, self.dh).transpose(1, 2)

    def forward(self, xq, xkv, mask):
        q, k, v = self.split(self.q(xq)), self.split(self.k(xkv)), self.split(self.v(xkv))
        att = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.dh)
        att = att.masked_fill(mask, float("-inf"))
        y = torch.matmul(torch.softmax(att, dim=-1), v)
        B, _, T, _ = y.shape
        return self.o(y.transpose(1, 2).reshape(B, T, self.h * self.dh))


class FFN(nn.Module):
    def __init__(self, d, f):
        super().__init__()
        self.l1, self.l2 = nn.Linear(d, f), nn.Linear(f, d)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


class EncLayer(nn.Module):
    def __init__(self, d, h, f):
        super().__init__()
        self.ln1, self.attn, self.ln2, self.ffn = nn.LayerNorm(d), MHA(d, h), nn.LayerNorm(d), FFN(d, f)

    def forward(self, x, mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, mask)
        return x + self.ffn(self.ln2(x))


class DecLayer(nn.Module):
    def __init__(self, d, h, f):
        super().__init__()
        self.ln1, self.self_attn = nn.LayerNorm(d), MHA(d, h)
        self.ln2, self.cross_attn = nn.LayerNorm(d), MHA(d, h)
        self.ln3, self.ffn = nn.LayerNorm(d), FFN(d, f)

    def forward(self, y, mem, causal, src_mask):
        h = self.ln1(y)
        y = y + self.self_attn(h, h, causal)
        y = y + self.cross_attn(self.ln2(y), mem, src_mask)
        return y + self.ffn(self.ln3(y))


class Seq2Seq(nn.Module):
    """Pre-LN encoder-decoder with Emergent's parameter names."""

    def __init__(self, vocab=9, d=8, h=2, f=12):
        super().__init__()
        self.src_emb, self.tgt_emb = nn.Embedding(vocab, d), nn.Embedding(vocab, d)
        self.enc1, self.dec1 = EncLayer(d, h, f), DecLayer(d, h, f)
        self.enc_ln, self.dec_ln = nn.LayerNorm(d), nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)
        self.register_buffer("pe", sinusoid(16, d), persistent=False)

    def forward(self, src, tin):
        src_mask = (src == 0)[:, None, None, :]
        x = self.enc_ln(self.enc1(self.src_emb(src) + self.pe[:src.shape[1]], src_mask))
        T = tin.shape[1]
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        y = self.dec1(self.tgt_emb(tin) + self.pe[:T], x, causal, src_mask)
        return self.head(self.dec_ln(y)).reshape(-1, self.head.out_features)


def transformer_fixture(generator):
    model = Seq2Seq()
    randomize(model, generator)
    src = torch.tensor([[4, 5, 6, 7, 8], [6, 4, 0, 0, 0]])
    tin = torch.tensor([[1, 8, 7, 4], [1, 5, 0, 0]])
    tout = torch.tensor([8, 7, 4, 2, 5, 2, 0, 0])
    logits = model(src, tin)
    loss = F.cross_entropy(logits, tout, ignore_index=0, label_smoothing=0.1)
    loss.backward()
    record = {
        "generator": f"torch {torch.__version__}",
        "label_smoothing": 0.1,
        "source": {"shape": list(src.shape), "values": [int(t) for t in src.reshape(-1)]},
        "target_input": {"shape": list(tin.shape), "values": [int(t) for t in tin.reshape(-1)]},
        "input": {"shape": [0], "values": []},
        "targets": [int(t) for t in tout],
        "parameters": {n: tensor(p) for n, p in model.named_parameters()},
        "logits": tensor(logits),
        "loss": float(loss.detach()),
        "gradients": {n: tensor(p.grad) for n, p in model.named_parameters()},
    }
    with open(os.path.join(HERE, "transformer.json"), "w") as f:
        json.dump(record, f)
    print("transformer", float(loss.detach()))


def fixture(name, model, x, targets, label_smoothing, generator):
    randomize(model, generator)
    model.train()
    logits = model(x)
    loss = F.cross_entropy(logits, targets, label_smoothing=label_smoothing)
    loss.backward()
    record = {
        "generator": f"torch {torch.__version__}",
        "label_smoothing": label_smoothing,
        "input": tensor(x),
        "targets": [int(t) for t in targets],
        "parameters": {n: tensor(p) for n, p in model.named_parameters()},
        "logits": tensor(logits),
        "loss": float(loss.detach()),
        "gradients": {n: tensor(p.grad) for n, p in model.named_parameters()},
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(record, f)
    print(name, float(loss.detach()))


def main():
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(2026)
    fixture("mlp", MLP(), torch.randn(4, 6, generator=generator), torch.tensor([0, 2, 1, 2]), 0.1, generator)
    fixture("cnn_batchnorm", CNN(), torch.randn(3, 1, 8, 8, generator=generator), torch.tensor([1, 0, 2]), 0.0, generator)
    transformer_fixture(generator)


if __name__ == "__main__":
    main()
