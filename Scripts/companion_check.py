#!/usr/bin/env python3
"""Checks python/emergent_torch.py against Emergent, for the tests.

  companion_check.py forward WEIGHTS BATCH   the companion's outputs as JSON (a flat list):
                                             a classifier's logits for BATCH's "input", the
                                             transformer's for its "source" and "target"
                                             tokens (stored as floats); train() mode (batch
                                             statistics) when the model has BatchNorm
  companion_check.py init SCHEME PREFIX N    N EmergentMLPs 784-64-64-10 initialized in torch
                                             (kaiming_normal_, xavier_uniform_ or orthogonal_;
                                             torch seed 100 + k), saved by the companion as
                                             PREFIX-k.safetensors with seed k; prints each
                                             file's weight RMS as torch computes it
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
    model.train(model.architecture.get("batch_norm", False))
    batch = load_file(sys.argv[3])
    with torch.no_grad():
        if "input" in batch:
            output = model(batch["input"])
        else:
            output = model(batch["source"].long(), batch["target"].long())
        print(json.dumps(output.flatten().tolist()))
elif mode == "init":
    scheme, prefix, seeds = sys.argv[2], sys.argv[3], int(sys.argv[4])
    rms = {}
    for seed in range(seeds):
        torch.manual_seed(100 + seed)
        model = emergent_torch.EmergentMLP({"kind": "mlp", "widths": [64, 64]}, 784, 10)
        for name, tensor in model.named_parameters():
            if name.endswith(".bias"):
                torch.nn.init.zeros_(tensor)
            else:
                {"kaiming": lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu"),
                 "xavier": torch.nn.init.xavier_uniform_, "orthogonal": torch.nn.init.orthogonal_}[scheme](tensor)
        path = f"{prefix}-{seed}.safetensors"
        emergent_torch.save(model, path, init=f"torch {scheme}", seed=seed, dataset="fashion-mnist-small")
        rms[path] = {name[:-len(".weight")]: tensor.pow(2).mean().sqrt().item()
                     for name, tensor in model.named_parameters() if name.endswith(".weight")}
    print(json.dumps(rms))
