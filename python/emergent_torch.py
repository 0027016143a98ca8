"""Emergent's weights in PyTorch, and PyTorch's back in Emergent.

Depends only on torch and safetensors. Three lines:

    import emergent_torch
    model = emergent_torch.load("mlp.safetensors")      # an nn.Module with the weights
    emergent_torch.save(model, "trained.safetensors")   # Emergent reads it (measure --weights)

The file's metadata names the architecture as an Emergent experiment file's "model" object.
This version builds Emergent's MLP (any widths and activation, with or without biases);
BatchNorm, residual and dropout MLPs, the CNN and the transformer are refused by name.
"""

import json

import torch
import torch.nn as nn
from safetensors.torch import load_file, save_file

FORMAT = "emergent-weights"
FORMAT_VERSION = "1"

ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "linear": nn.Identity,
}


class EmergentMLP(nn.Module):
    """Emergent's MLP: dense1 ... denseN (nn.Linear, weights [out, in]), the activation after
    every layer but the last; the input is flattened."""

    def __init__(self, architecture, input_features, classes):
        super().__init__()
        for key in ("batch_norm", "residual"):
            if architecture.get(key, False):
                raise ValueError(f"an MLP with {key} is not built by this companion yet")
        if architecture.get("dropout", 0.0) != 0.0:
            raise ValueError("an MLP with dropout is not built by this companion yet")
        self.architecture = dict(architecture)
        widths = [input_features] + list(architecture.get("widths", [256] * 6)) + [classes]
        bias = architecture.get("bias", True)
        self.layers = nn.ModuleDict(
            {f"dense{i + 1}": nn.Linear(widths[i], widths[i + 1], bias=bias) for i in range(len(widths) - 1)})
        self.activation = ACTIVATIONS[architecture.get("activation", "relu")]()

    def forward(self, x):
        x = x.flatten(1)
        names = list(self.layers)
        for name in names[:-1]:
            x = self.activation(self.layers[name](x))
        return self.layers[names[-1]](x)

    def emergent_tensors(self):
        return {f"{name}.{kind}": getattr(layer, kind).detach().contiguous().float()
                for name, layer in self.layers.items() for kind in ("weight", "bias") if getattr(layer, kind) is not None}


def load(path):
    """The nn.Module a weights file describes, with its weights."""
    tensors = load_file(path)
    with open(path, "rb") as handle:
        length = int.from_bytes(handle.read(8), "little")
        metadata = json.loads(handle.read(length)).get("__metadata__", {})
    if metadata.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise ValueError(f"{path}: weights layout version {metadata['format_version']}; this companion reads {FORMAT_VERSION}")
    if "architecture" not in metadata:
        raise ValueError(f"{path}: no 'architecture' in the metadata")
    architecture = json.loads(metadata["architecture"])
    kind = architecture.get("kind", "mlp")
    if kind != "mlp":
        raise ValueError(f"{path}: a {kind} is not built by this companion yet (the MLP is)")
    count = sum(1 for name in tensors if name.endswith(".weight"))
    model = EmergentMLP(architecture, tensors["dense1.weight"].shape[1], tensors[f"dense{count}.weight"].shape[0])
    expected = model.emergent_tensors()
    if set(expected) != set(tensors):
        raise ValueError(f"{path}: tensors {sorted(set(tensors) ^ set(expected))} do not fit the architecture")
    with torch.no_grad():
        for name, tensor in tensors.items():
            layer, kind = name.rsplit(".", 1)
            getattr(model.layers[layer], kind).copy_(tensor.float())
    model.metadata = metadata
    return model


def save(model, path, init="pytorch", seed="", dataset=""):
    """Writes an EmergentMLP with the names and metadata Emergent reads."""
    if not isinstance(model, EmergentMLP):
        raise TypeError("save() writes an EmergentMLP (emergent_torch.load, or EmergentMLP(architecture, inputs, classes))")
    metadata = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "emergent_version": "emergent_torch",
        "architecture": json.dumps(model.architecture), "init": init, "seed": str(seed), "dataset": dataset,
    }
    save_file(model.emergent_tensors(), path, metadata=metadata)
