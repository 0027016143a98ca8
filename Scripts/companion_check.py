#!/usr/bin/env python3
"""Checks python/emergent_torch.py against Emergent, for the tests.

  companion_check.py forward WEIGHTS BATCH [eval]
                                             the companion's outputs as JSON (a flat list):
                                             a classifier's logits for BATCH's "input", the
                                             transformer's for its "source" and "target"
                                             tokens (stored as floats); train() mode (batch
                                             statistics) when the model has BatchNorm,
                                             eval() with "eval"
  companion_check.py train WEIGHTS DATA STEPS
                                             a PyTorch loop from the file's weights: SGD lr
                                             0.05, momentum 0.9, batches of 128 of DATA's
                                             Fashion-MNIST files (pixels normalized by the
                                             training set's mean and std, as Emergent does);
                                             STEPS steps (0: one epoch); prints the loss on
                                             the first 1,024 training images before and
                                             after, and the test accuracy after, as JSON
  companion_check.py init SCHEME PREFIX N    N EmergentMLPs 784-64-64-10 initialized in torch
                                             (kaiming_normal_, xavier_uniform_ or orthogonal_;
                                             torch seed 100 + k), saved by the companion as
                                             PREFIX-k.safetensors with seed k; prints each
                                             file's weight RMS as torch computes it
"""

import gzip
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
    # Batch statistics (train mode) for an init's BatchNorm; "eval": the file's running statistics.
    model.train(model.architecture.get("batch_norm", False) and sys.argv[4:] != ["eval"])
    batch = load_file(sys.argv[3])
    with torch.no_grad():
        if "input" in batch:
            output = model(batch["input"])
        else:
            output = model(batch["source"].long(), batch["target"].long())
        print(json.dumps(output.flatten().tolist()))
elif mode == "train":
    def idx(path):
        with gzip.open(path, "rb") as handle:
            data = handle.read()
        dimensions = data[3]
        shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dimensions)]
        return torch.frombuffer(bytearray(data[4 + 4 * dimensions:]), dtype=torch.uint8).reshape(shape)

    folder, steps = sys.argv[3], int(sys.argv[4])
    pixels = idx(f"{folder}/train-images-idx3-ubyte.gz").double() / 255
    mean, std = pixels.mean(), pixels.std(unbiased=False)
    images = ((pixels - mean) / std).float()[:, None]
    labels = idx(f"{folder}/train-labels-idx1-ubyte.gz").long()
    test_images = ((idx(f"{folder}/t10k-images-idx3-ubyte.gz").double() / 255 - mean) / std).float()[:, None]
    test_labels = idx(f"{folder}/t10k-labels-idx1-ubyte.gz").long()
    model = emergent_torch.load(sys.argv[2])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    def loss_on_first():
        model.eval()
        with torch.no_grad():
            return torch.nn.functional.cross_entropy(model(images[:1024]), labels[:1024]).item()

    before = loss_on_first()
    torch.manual_seed(0)
    order = torch.randperm(len(images))
    batches = [order[i:i + 128] for i in range(0, len(order), 128)]
    model.train()
    for batch in batches[:steps] if steps > 0 else batches:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(images[batch]), labels[batch]).backward()
        optimizer.step()
    after = loss_on_first()
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_images).argmax(1) == test_labels).float().mean().item()
    print(json.dumps({"before": before, "after": after, "test_accuracy": accuracy, "steps": steps or len(batches)}))
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
