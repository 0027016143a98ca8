#!/usr/bin/env python3
"""Checks python/emergent_torch.py against Emergent, for the tests.

  companion_check.py forward WEIGHTS BATCH   the companion's logits for BATCH's "input"
                                             tensor, as JSON (a list of rows)
  companion_check.py init SCHEME OUT         an EmergentMLP 784-64-64-10 initialized in
                                             torch (kaiming_normal_, xavier_uniform_ or
                                             orthogonal_), saved by the companion; prints
                                             each weight's RMS as torch computes it
"""

import json
import os
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import emergent_torch  # noqa: E402

mode = sys.argv[1]
if mode == "forward":
    model = emergent_torch.load(sys.argv[2])
    batch = load_file(sys.argv[3])["input"]
    with torch.no_grad():
        print(json.dumps(model(batch).tolist()))
else:
    scheme, out = sys.argv[2], sys.argv[3]
    torch.manual_seed(11)
    model = emergent_torch.EmergentMLP({"kind": "mlp", "widths": [64, 64]}, 784, 10)
    for layer in model.layers.values():
        {"kaiming": lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu"),
         "xavier": torch.nn.init.xavier_uniform_, "orthogonal": torch.nn.init.orthogonal_}[scheme](layer.weight)
        torch.nn.init.zeros_(layer.bias)
    emergent_torch.save(model, out, init=f"torch {scheme}", seed="0", dataset="fashion-mnist-small")
    print(json.dumps({name: layer.weight.pow(2).mean().sqrt().item() for name, layer in model.layers.items()}))
