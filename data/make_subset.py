#!/usr/bin/env python3
"""Cut data/fashion-mnist-small from the Debian package dataset-fashion-mnist.

Class-balanced and deterministic: the first 1,000 training images of each class and the
first 200 test images of each class, in their original order. Written as gzip IDX with
mtime 0 so that the output (and its SHA-256) is the same on every run.
Run: python3 data/make_subset.py  (needs: apt-get install dataset-fashion-mnist)
"""
import gzip, hashlib, os, struct

SOURCE = "/usr/share/datasets/fashion-mnist"
TARGET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-mnist-small")
PER_CLASS = {"train": 1000, "t10k": 200}

def read(name):
    with gzip.open(os.path.join(SOURCE, name), "rb") as f:
        return f.read()

def write(name, data):
    path = os.path.join(TARGET, name)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(data)
    return hashlib.sha256(open(path, "rb").read()).hexdigest()

os.makedirs(TARGET, exist_ok=True)
for split, per_class in PER_CLASS.items():
    images, labels = read(f"{split}-images-idx3-ubyte.gz"), read(f"{split}-labels-idx1-ubyte.gz")
    count = struct.unpack(">I", labels[4:8])[0]
    taken, chosen = [0] * 10, []
    for i in range(count):
        label = labels[8 + i]
        if taken[label] < per_class:
            taken[label] += 1
            chosen.append(i)
    image_bytes = b"".join(images[16 + i * 784: 16 + (i + 1) * 784] for i in chosen)
    label_bytes = bytes(labels[8 + i] for i in chosen)
    n = len(chosen)
    for name, data in [(f"{split}-images-idx3-ubyte.gz", struct.pack(">IIII", 0x803, n, 28, 28) + image_bytes),
                       (f"{split}-labels-idx1-ubyte.gz", struct.pack(">II", 0x801, n) + label_bytes)]:
        print(write(name, data), name, n)
