"""Test fixture: writes an MLP policy graph and prints its weights as JSON.

Usage: make_graph.py OUT.onnx '{"sizes": [50, 64, 64, 8], "seed": 1, "dtype": "float32", ...}'
With "count": N, writes N graphs (seeds seed..seed+N-1) to OUT with {k} replaced by k, and prints nothing.
Options: activation (tanh), input_name (obs), output_name (logits), fill (a number or "nan" for every
weight and bias: a graph whose output is constant or NaN; prints []), scale (multiplies the last layer).
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from hybrid_trader.graphs import mlp_graph  # noqa: E402

out, spec = sys.argv[1], json.loads(sys.argv[2])


def build(spec, seed):
    rng = np.random.default_rng(seed)
    sizes = spec["sizes"]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6 / (a + b))
        layers.append((rng.uniform(-limit, limit, (a, b)), rng.uniform(-0.1, 0.1, b)))
    if "fill" in spec:
        value = float("nan") if spec["fill"] == "nan" else float(spec["fill"])
        layers = [(np.full_like(w, value), np.full_like(b, value)) for w, b in layers]
    if "scale" in spec:
        w, b = layers[-1]
        layers[-1] = (w * spec["scale"], b * spec["scale"])
    dtype = np.float64 if spec.get("dtype") == "float64" else np.float32
    layers = [(w.astype(dtype), b.astype(dtype)) for w, b in layers]
    model = mlp_graph(
        layers,
        activation=spec.get("activation", "tanh"),
        dtype=dtype,
        input_name=spec.get("input_name", "obs"),
        output_name=spec.get("output_name", "logits"),
    )
    return model, layers, "fill" in spec


if "count" in spec:
    for k in range(spec["count"]):
        model, _, _ = build(spec, spec.get("seed", 0) + k)
        with open(out.replace("{k}", str(k)), "wb") as f:
            f.write(model.SerializeToString())
else:
    model, layers, filled = build(spec, spec.get("seed", 0))
    with open(out, "wb") as f:
        f.write(model.SerializeToString())
    weights = [{"W": w.astype(np.float64).tolist(), "b": b.astype(np.float64).tolist()} for w, b in layers]
    json.dump([] if filled else weights, sys.stdout)
