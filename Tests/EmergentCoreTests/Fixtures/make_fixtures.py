#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that `swift test` checks (PyTorch is not needed to
run the tests, only to regenerate these files):

    pip install 'torch==2.13.0+cpu'
    python3 Tests/EmergentCoreTests/Fixtures/make_fixtures.py

Each fixture holds the inputs, every parameter, the logits, the loss and every parameter
gradient of one training-mode forward and backward pass, in float32, with parameter names
equal to Emergent's (dense1.weight, conv1.weight, bn1.bias, ...). Weights are drawn from
N(0, 0.5²) (norm gains around 1) so the values do not depend on an initializer.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def randomize(model, generator):
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator) * 0.5
            p.copy_(noise + (1.0 if name.startswith("bn") and name.endswith("weight") else 0.0))


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
    print(name, float(loss))


def main():
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(2026)
    fixture("mlp", MLP(), torch.randn(4, 6, generator=generator), torch.tensor([0, 2, 1, 2]), 0.1, generator)
    fixture("cnn_batchnorm", CNN(), torch.randn(3, 1, 8, 8, generator=generator), torch.tensor([1, 0, 2]), 0.0, generator)


if __name__ == "__main__":
    main()
