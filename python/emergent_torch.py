"""Emergent's weights in PyTorch, and PyTorch's back in Emergent.

Depends only on torch and safetensors. Three lines:

    import emergent_torch
    model = emergent_torch.load("mlp.safetensors")      # an nn.Module with the weights
    emergent_torch.save(model, "trained.safetensors")   # Emergent reads it (measure --weights)

The file's metadata names the architecture as an Emergent experiment file's "model" object;
load() builds the matching module: EmergentMLP (any widths and activation, BatchNorm,
residual blocks, dropout), EmergentCNN (3x3 convolutions by stage, a 2x2 max-pool after each,
a dense head) or EmergentTransformer (the encoder-decoder, pre- or post-LN). Parameter names
are Emergent's dotted paths, so state_dict() keys are the file's tensor names.

The classifiers take images [batch, channels, height, width] (or flattened rows for the MLP)
and return logits [batch, classes]. The transformer takes source and target-input tokens
[batch, length] (0 is padding, 1 begins and 2 ends a sequence) and returns logits
[batch, target length, vocabulary].

A file exported from a trained run carries its BatchNorm running statistics
(bn2.running_mean, bn2.running_var), so eval() gives Emergent's evaluation outputs; a file of an
init has none, and the module starts with PyTorch's (mean 0, variance 1).
"""

import json
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

FORMAT = "emergent-weights"
FORMAT_VERSION = "1"
PADDING = 0


def activation(name):
    """Emergent's activation by its file name ("leaky_relu(0.2)" carries a slope)."""
    leaky = re.fullmatch(r"leaky_relu(?:\((.+)\))?", name)
    if leaky:
        return nn.LeakyReLU(float(leaky.group(1) or 0.01))
    table = {"relu": nn.ReLU, "gelu": nn.GELU, "silu": nn.SiLU, "tanh": nn.Tanh, "linear": nn.Identity}
    if name not in table:
        raise ValueError(f"activation '{name}' is not one of Emergent's: {', '.join(list(table) + ['leaky_relu'])}")
    return table[name]()


class Residual(nn.Module):
    """x + inner(x), as Emergent wraps a block whose input and output widths agree."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return x + self.inner(x)


class EmergentModule(nn.Module):
    """What load() and save() share: the architecture and the tensors under Emergent's names."""

    def running_statistics(self):
        """BatchNorm's running statistics under their names in a weights file (bn2.running_mean)."""
        return {f"{name}.{kind}": getattr(module, kind) for name, module in self.named_children()
                if isinstance(module, nn.modules.batchnorm._BatchNorm) for kind in ("running_mean", "running_var")}

    def emergent_tensors(self):
        """Parameters and BatchNorm running statistics, float32, under Emergent's names."""
        tensors = dict(self.named_parameters(), **self.running_statistics())
        return {name: tensor.detach().contiguous().float() for name, tensor in tensors.items()}


class EmergentMLP(EmergentModule):
    """dense1 ... denseN (nn.Linear, weights [out, in]); each hidden one followed by bnK
    (BatchNorm1d) when batch_norm, the activation, and dropout; a hidden block whose widths
    agree is x + block(x) when residual. The input is flattened."""

    def __init__(self, architecture, input_features, classes):
        super().__init__()
        self.architecture = dict(architecture)
        widths = [input_features] + list(architecture.get("widths", [256] * 6)) + [classes]
        bias = architecture.get("bias", True)
        batch_norm = architecture.get("batch_norm", False)
        residual = architecture.get("residual", False)
        dropout = float(architecture.get("dropout", 0.0))
        self.blocks = nn.ModuleList()
        for index in range(len(widths) - 1):
            dense = nn.Linear(widths[index], widths[index + 1], bias=bias)
            if index == len(widths) - 2:
                self.blocks.append(dense)
                setattr(self, f"dense{index + 1}", dense)
                continue
            block = [dense]
            if batch_norm:
                block.append(nn.BatchNorm1d(widths[index + 1]))
            block.append(activation(architecture.get("activation", "relu")))
            if dropout > 0:
                block.append(nn.Dropout(dropout))
            chain = nn.Sequential(*block)
            self.blocks.append(Residual(chain) if residual and widths[index] == widths[index + 1] else chain)
            setattr(self, f"dense{index + 1}", dense)
            if batch_norm:
                setattr(self, f"bn{index + 1}", block[1])

    def forward(self, x):
        x = x.flatten(1)
        for block in self.blocks:
            x = block(x)
        return x

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        # Emergent's names: the layers registered as dense1, bn1, ... (the blocks hold the same ones).
        for name, module in self.named_children():
            if re.fullmatch(r"(dense|bn)\d+", name):
                for kind, tensor in module.named_parameters(recurse=False):
                    yield f"{prefix}{name}.{kind}", tensor


class EmergentCNN(EmergentModule):
    """conv1 ... convN (3x3, padding 1) grouped by stage, each followed by bnK (BatchNorm2d)
    when batch_norm and the activation, as x + block(x) after the first when residual and the
    channels agree; a 2x2 max-pool after each stage; then fc1 ... fcM, the activation after
    each but the last. fc1's inputs are the last stage's channels x the pooled image size."""

    def __init__(self, architecture, input_channels, flattened, classes):
        super().__init__()
        self.architecture = dict(architecture)
        stages = architecture.get("stages", [[32], [64]])
        act = architecture.get("activation", "relu")
        batch_norm = architecture.get("batch_norm", False)
        residual = architecture.get("residual", False)
        layers, channels, index = [], input_channels, 0
        for stage in stages:
            for out in stage:
                index += 1
                conv = nn.Conv2d(channels, out, 3, padding=1)
                setattr(self, f"conv{index}", conv)
                block = [conv]
                if batch_norm:
                    norm = nn.BatchNorm2d(out)
                    setattr(self, f"bn{index}", norm)
                    block.append(norm)
                block.append(activation(act))
                chain = nn.Sequential(*block)
                layers.append(Residual(chain) if residual and index > 1 and channels == out else chain)
                channels = out
            layers.append(nn.MaxPool2d(2))
        layers.append(nn.Flatten())
        widths = [flattened] + list(architecture.get("head", [128])) + [classes]
        for k in range(len(widths) - 1):
            dense = nn.Linear(widths[k], widths[k + 1])
            setattr(self, f"fc{k + 1}", dense)
            layers.append(dense)
            if k < len(widths) - 2:
                layers.append(activation(act))
        self.network = nn.Sequential(*layers)

    def forward(self, x):
        return self.network(x)

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        for name, module in self.named_children():
            if re.fullmatch(r"(conv|bn|fc)\d+", name):
                for kind, tensor in module.named_parameters(recurse=False):
                    yield f"{prefix}{name}.{kind}", tensor


def sinusoids(length, width):
    """Vaswani et al.'s positions, as Emergent computes them (in double, then float32)."""
    table = torch.zeros(length, width, dtype=torch.float64)
    for i in range(0, width, 2):
        angle = torch.arange(length, dtype=torch.float64) / math.pow(10_000, i / width)
        table[:, i] = torch.sin(angle)
        if i + 1 < width:
            table[:, i + 1] = torch.cos(angle)
    return table.float()


class Attention(nn.Module):
    """Multi-head attention with q, k, v, o projections (with bias), heads as contiguous column
    blocks; a query that may see no key attends to nothing (its output is o's bias)."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))

    def forward(self, queries, keys, visible):
        batch, tq, width = queries.shape
        tk, dh = keys.shape[1], width // self.heads

        def split(x, length):
            return x.view(batch, length, self.heads, dh).transpose(1, 2)

        q, k, v = split(self.q(queries), tq), split(self.k(keys), tk), split(self.v(keys), tk)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(dh)
        scores = scores.masked_fill(~visible, torch.finfo(scores.dtype).min)
        weights = torch.softmax(scores, dim=-1) * visible
        return self.o((weights @ v).transpose(1, 2).reshape(batch, tq, width))


class FeedForward(nn.Module):
    def __init__(self, width, hidden, act):
        super().__init__()
        self.l1, self.l2 = nn.Linear(width, hidden), nn.Linear(hidden, width)
        self.activation = activation(act)

    def forward(self, x):
        return self.l2(self.activation(self.l1(x)))


class Sublayer(nn.Module):
    """x + dropout(f(LN(x))) (pre-LN) or LN(x + dropout(f(x))) (post-LN)."""

    def __init__(self, pre_norm, dropout):
        super().__init__()
        self.pre_norm = pre_norm
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, norm, f):
        if self.pre_norm:
            return x + self.dropout(f(norm(x)))
        return norm(x + self.dropout(f(x)))


class EncoderLayer(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(a["width"]), nn.LayerNorm(a["width"])
        self.attn = Attention(a["width"], a["heads"])
        self.ffn = FeedForward(a["width"], a["feed_forward"], a["activation"])
        self.first, self.second = Sublayer(a["pre_norm"], a["dropout"]), Sublayer(a["pre_norm"], a["dropout"])

    def forward(self, x, visible):
        x = self.first(x, self.ln1, lambda h: self.attn(h, h, visible))
        return self.second(x, self.ln2, self.ffn)


class DecoderLayer(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = (nn.LayerNorm(a["width"]) for _ in range(3))
        self.self_attn, self.cross_attn = Attention(a["width"], a["heads"]), Attention(a["width"], a["heads"])
        self.ffn = FeedForward(a["width"], a["feed_forward"], a["activation"])
        self.blocks = nn.ModuleList(Sublayer(a["pre_norm"], a["dropout"]) for _ in range(3))

    def forward(self, y, memory, causal, cross):
        y = self.blocks[0](y, self.ln1, lambda h: self.self_attn(h, h, causal))
        y = self.blocks[1](y, self.ln2, lambda h: self.cross_attn(h, memory, cross))
        return self.blocks[2](y, self.ln3, self.ffn)


TRANSFORMER_DEFAULTS = {
    "width": 128, "heads": 4, "encoder_layers": 2, "decoder_layers": 2, "feed_forward": 512, "activation": "relu",
    "pre_norm": True, "tied_output": False, "positions": "sinusoidal", "dropout": 0.0, "max_length": 64,
}


class EmergentTransformer(EmergentModule):
    """src_emb, tgt_emb ([vocabulary, width], not scaled), sinusoidal or learned positions
    (src_pos, tgt_pos), dropout on the embeddings; enc1 ... encN (self-attention, feed-forward),
    dec1 ... decM (causal self-attention, cross-attention, feed-forward), each sub-block pre- or
    post-LN; enc_ln and dec_ln after the stacks when pre-LN; the head, or the target table
    (tied_output) with head.bias. Source padding (token 0) is masked as a key; the decoder's
    self-attention is causal only."""

    def __init__(self, architecture, vocabulary):
        super().__init__()
        self.architecture = dict(architecture)
        a = dict(TRANSFORMER_DEFAULTS, **architecture)
        width, length = a["width"], a["max_length"]
        self.src_emb, self.tgt_emb = nn.Embedding(vocabulary, width), nn.Embedding(vocabulary, width)
        if a["positions"] == "learned":
            self.src_pos, self.tgt_pos = nn.Embedding(length, width), nn.Embedding(length, width)
        else:
            self.register_buffer("sinusoids", sinusoids(length, width), persistent=False)
        self.dropout = nn.Dropout(a["dropout"])
        for i in range(a["encoder_layers"]):
            setattr(self, f"enc{i + 1}", EncoderLayer(a))
        for i in range(a["decoder_layers"]):
            setattr(self, f"dec{i + 1}", DecoderLayer(a))
        if a["pre_norm"]:
            self.enc_ln, self.dec_ln = nn.LayerNorm(width), nn.LayerNorm(width)
        if a["tied_output"]:
            self.head_bias = nn.Parameter(torch.zeros(vocabulary))
        else:
            self.head = nn.Linear(width, vocabulary)
        self.a = a

    def embed(self, tokens, table, positions):
        length = tokens.shape[1]
        where = positions.weight[:length] if positions is not None else self.sinusoids[:length]
        return self.dropout(table(tokens) + where)

    def forward(self, source, target):
        learned = self.a["positions"] == "learned"
        keys = (source != PADDING)[:, None, None, :]  # [batch, 1, 1, source length]
        x = self.embed(source, self.src_emb, self.src_pos if learned else None)
        for i in range(self.a["encoder_layers"]):
            x = getattr(self, f"enc{i + 1}")(x, keys)
        if self.a["pre_norm"]:
            x = self.enc_ln(x)
        t = target.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool, device=target.device).tril()[None, None]
        y = self.embed(target, self.tgt_emb, self.tgt_pos if learned else None)
        for i in range(self.a["decoder_layers"]):
            y = getattr(self, f"dec{i + 1}")(y, x, causal, keys)
        if self.a["pre_norm"]:
            y = self.dec_ln(y)
        if self.a["tied_output"]:
            return y @ self.tgt_emb.weight.T + self.head_bias
        return self.head(y)

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        # The module's names are Emergent's (enc1.ln1.weight, dec1.cross_attn.q.bias), but for
        # the tied output's bias, which Emergent calls head.bias.
        for name, tensor in super().named_parameters(prefix, recurse, remove_duplicate):
            yield name.replace("head_bias", "head.bias"), tensor


def metadata_of(path):
    with open(path, "rb") as handle:
        length = int.from_bytes(handle.read(8), "little")
        return json.loads(handle.read(length)).get("__metadata__", {})


def build(architecture, tensors):
    """The module `architecture` describes, sized from the tensors' shapes (inputs, classes,
    vocabulary)."""
    kind = architecture.get("kind", "mlp")
    if kind == "mlp":
        count = sum(1 for name in tensors if re.fullmatch(r"dense\d+\.weight", name))
        return EmergentMLP(architecture, tensors["dense1.weight"].shape[1], tensors[f"dense{count}.weight"].shape[0])
    if kind == "cnn":
        count = sum(1 for name in tensors if re.fullmatch(r"fc\d+\.weight", name))
        return EmergentCNN(
            architecture, tensors["conv1.weight"].shape[1], tensors["fc1.weight"].shape[1],
            tensors[f"fc{count}.weight"].shape[0])
    if kind == "transformer":
        return EmergentTransformer(architecture, tensors["src_emb.weight"].shape[0])
    raise ValueError(f"a '{kind}' is not an Emergent model (mlp, cnn, transformer)")


def load(path):
    """The nn.Module a weights file describes, with its weights; refuses a file whose tensors
    do not fit its architecture, naming them."""
    tensors = load_file(path)
    metadata = metadata_of(path)
    if metadata.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise ValueError(f"{path}: weights layout version {metadata['format_version']}; this companion reads {FORMAT_VERSION}")
    if "architecture" not in metadata:
        raise ValueError(f"{path}: no 'architecture' in the metadata")
    model = build(json.loads(metadata["architecture"]), tensors)
    expected = dict(model.named_parameters())
    optional = model.running_statistics()  # a trained run's BatchNorm statistics, when exported
    unfit = sorted((set(expected) - set(tensors)) | (set(tensors) - set(expected) - set(optional)))
    if unfit:
        raise ValueError(f"{path}: tensors {unfit} do not fit the architecture")
    expected.update(optional)
    with torch.no_grad():
        for name, tensor in tensors.items():
            if expected[name].shape != tensor.shape:
                raise ValueError(f"{path}: tensor '{name}' has shape {list(tensor.shape)}; the model's is {list(expected[name].shape)}")
            expected[name].copy_(tensor.float())
    model.metadata = metadata
    return model


def save(model, path, init="pytorch", seed="", dataset=""):
    """Writes an Emergent module (from load(), or built as EmergentMLP/EmergentCNN/
    EmergentTransformer) with the names and metadata Emergent reads. `dataset` is the set it is
    meant for (fashion-mnist-small, cifar10, de-en-numbers, ...): measure --weights probes it."""
    if not isinstance(model, EmergentModule):
        raise TypeError("save() writes an Emergent module: emergent_torch.load(path), or an EmergentMLP, "
                        "EmergentCNN or EmergentTransformer built from an architecture")
    metadata = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "emergent_version": "emergent_torch",
        "architecture": json.dumps(model.architecture), "init": init, "seed": str(seed), "dataset": dataset,
    }
    save_file(model.emergent_tensors(), path, metadata=metadata)
