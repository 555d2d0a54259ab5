"""Prints the parity of a bundle written from `mlp_graph` networks (e.g. train_numpy_policy.py's) as JSON.

    hybrid-trader backtest --data D --model BUNDLE --from F --to T --decisions dec.npy
    hybrid-trader features export --data D --features ... --lookback L --from F --to T \
        --normalisation BUNDLE/manifest.json --out window.npy
    python3 python/examples/check_parity.py --bundle BUNDLE --observations window.npy --decisions dec.npy

The Python side computes the network in numpy from the weights stored in model.onnx (float32, as the
graph), or, with --torch STATE.pt (saved by train_torch_policy.py --save), in PyTorch.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from hybrid_trader import load_observations  # noqa: E402
from hybrid_trader.graphs import mlp_forward, mlp_layers_from_onnx  # noqa: E402
from hybrid_trader.parity import compare_actions  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--observations", required=True)
    ap.add_argument("--decisions", required=True)
    ap.add_argument("--torch", help="a state saved by train_torch_policy.py --save: compute with PyTorch")
    args = ap.parse_args()
    with open(os.path.join(args.bundle, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    observations = load_observations(args.observations)
    if args.torch:
        import numpy as np
        import torch
        from train_torch_policy import Policy

        saved = torch.load(args.torch)
        model = Policy(observations.observation_size, saved["hidden"], saved["layers"], manifest["actionSize"] + 1)
        model.load_state_dict(saved["state_dict"])
        model.eval()

        def predict(rows):
            with torch.no_grad():
                return model(torch.from_numpy(rows.astype(np.float32))).numpy()
    else:
        layers, activation = mlp_layers_from_onnx(os.path.join(args.bundle, "model.onnx"))

        def predict(rows):
            return mlp_forward(layers, rows, activation, layers[0][0].dtype)

    result = compare_actions(observations, args.decisions, predict, manifest["onnx"]["outputMapping"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
