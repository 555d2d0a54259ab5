"""Checks that a model's actions in hybrid-trader equal its actions in Python on the exported rows.

hybrid-trader side: `hybrid-trader backtest --model BUNDLE --decisions dec.npy` writes, per bar, the
portfolio weights the policy saw and the target weights it wrote. Python side: the exported rows of the same
bars (`features export --normalisation BUNDLE/manifest.json`), their portfolio columns set to the weights
hybrid-trader saw, through the model and the bundle's output mapping.
"""

import json

import numpy as np

from .mapping import map_outputs


def load_decisions(path):
    """(ts, weights (R, 1 + n), targets (R, n), sidecar) from a --decisions .npy and its .json."""
    base = path[: -len(".npy")] if path.endswith(".npy") else path
    with open(base + ".json", encoding="utf-8") as f:
        sidecar = json.load(f)
    rows = np.load(base + ".npy", allow_pickle=False)
    n = (len(sidecar["columns"]) - 2) // 2
    return rows[:, 0].astype(np.int64), rows[:, 1 : 2 + n], rows[:, 2 + n :], sidecar


def compare_actions(observations, decisions_path, predict, mapping):
    """Largest |hybrid-trader target - Python target| over every bar both cover.

    observations: Observations of the window (exported with the bundle's normalisation). predict: a function
    from float64 rows (R, observation_size) to raw outputs (R, width), e.g. the trained network. Every bar of
    the export must have a decision (the backtest covers the window); decisions before the first observable
    bar (the policy is in cash there) are not compared. Returns a dict: rows, max_abs_error, worst_ts.
    """
    ts, weights, targets, _ = load_decisions(decisions_path)
    where = {int(t): k for k, t in enumerate(ts)}
    missing = [int(t) for t in observations.ts if int(t) not in where]
    if missing:
        raise ValueError(f"{len(missing)} exported bars have no decision (first ts {missing[0]}); backtest the same window")
    index = np.array([where[int(t)] for t in observations.ts], dtype=np.int64)
    rows = observations.with_portfolio(weights[index])
    python = map_outputs(predict(rows), mapping)
    errors = np.abs(python - targets[index])
    worst = int(np.unravel_index(np.argmax(errors), errors.shape)[0]) if errors.size else 0
    return {
        "rows": int(len(index)),
        "max_abs_error": float(errors.max()) if errors.size else 0.0,
        "worst_ts": int(observations.ts[worst]) if errors.size else None,
    }
