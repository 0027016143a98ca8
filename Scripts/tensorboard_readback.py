#!/usr/bin/env python3
"""Reads TensorBoard event files with TensorBoard's own EventAccumulator and checks every
scalar against the run folders' metrics.jsonl (values as float32, as TensorBoard stores them).

Usage: tensorboard_readback.py EXPORT/tensorboard EXPERIMENT_FOLDER
"""
import glob
import json
import math
import os
import struct
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

NAMED = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def as_float32(value):
    return struct.unpack("f", struct.pack("f", value))[0]


def main(events_root, experiment):
    total, runs = 0, 0
    for metrics in sorted(glob.glob(os.path.join(experiment, "*", "metrics.jsonl"))):
        name = os.path.basename(os.path.dirname(metrics))
        expected = {}
        for line in open(metrics):
            record = json.loads(line)
            value = record["value"]
            value = NAMED[value] if isinstance(value, str) else float(value)
            expected.setdefault(record["key"], []).append((record["step"], value))
        accumulator = EventAccumulator(os.path.join(events_root, name), size_guidance={"scalars": 0})
        accumulator.Reload()
        tags = set(accumulator.Tags()["scalars"])
        if tags != set(expected):
            sys.exit(f"{name}: tags differ: missing {sorted(set(expected) - tags)}, extra {sorted(tags - set(expected))}")
        for key, points in expected.items():
            read = [(event.step, event.value) for event in accumulator.Scalars(key)]
            if len(read) != len(points):
                sys.exit(f"{name} {key}: {len(read)} scalars read, {len(points)} written")
            for (step, value), (read_step, read_value) in zip(points, read):
                wanted = as_float32(value)
                same = (math.isnan(wanted) and math.isnan(read_value)) or wanted == read_value
                if step != read_step or not same:
                    sys.exit(f"{name} {key} step {step}: wrote {value}, read step {read_step} value {read_value}")
            total += len(points)
        runs += 1
    print(f"tensorboard read back {total} scalars of {runs} runs")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
