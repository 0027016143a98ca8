#!/usr/bin/env python3
"""Cross-checks Emergent's safetensors files with the real `safetensors` package.

  safetensors_check.py read FILE    prints {"metadata": {...}, "tensors": {name: {"dtype",
                                    "shape", "values"}}} as the package reads FILE
  safetensors_check.py write FILE   writes tensors of each dtype Emergent reads (F32, F64,
                                    F16, BF16) with torch, and prints their values as torch
                                    turns them into float32, in the same form
"""

import json
import sys

from safetensors import safe_open


def read(path):
    tensors = {}
    with safe_open(path, framework="pt") as handle:
        metadata = handle.metadata() or {}
        for name in handle.keys():
            tensor = handle.get_tensor(name)
            tensors[name] = {
                "dtype": str(tensor.dtype).replace("torch.", ""),
                "shape": list(tensor.shape),
                "values": [float(v) for v in tensor.float().flatten().tolist()],
            }
    return {"metadata": metadata, "tensors": tensors}


def write(path):
    import torch
    from safetensors.torch import save_file

    generator = torch.Generator().manual_seed(7)
    tensors = {
        "dense1.weight": torch.randn(3, 5, generator=generator, dtype=torch.float32),
        "dense1.bias": torch.tensor([1e-8, -2.5, 65504.0], dtype=torch.float64),
        "half": torch.randn(2, 2, generator=generator).to(torch.float16),
        "brain": torch.randn(4, generator=generator).to(torch.bfloat16),
        "scalar": torch.tensor(3.25, dtype=torch.float32),
    }
    save_file(tensors, path, metadata={"written_by": "torch", "format": "pt"})
    return read(path)


if __name__ == "__main__":
    mode, file = sys.argv[1], sys.argv[2]
    print(json.dumps(read(file) if mode == "read" else write(file)))
