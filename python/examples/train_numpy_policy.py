"""Worked example without PyTorch: trains a 2x64 tanh policy with numpy on exported observations, writes it
as an ONNX bundle (onnx.helper) and records it as a trial of an Optuna study.

    hybrid-trader features export --data market.csv --features ret_24,macd,rsi_14,vol_24 --to 2024-06-01 \
        --out obs.npy
    python3 python/examples/train_numpy_policy.py --observations obs.npy --root . --study py-numpy

The objective is the example's, not a recommendation: per row, a mean-variance utility of the next bar's
return of the allocation (softmax over cash and the symbols) minus the cost of moving there from the
current portfolio (the row's portfolio columns, drawn at random while training). The training score is
the holdout Sharpe of the allocation applied bar after bar, costs included, minus the equal-weight
portfolio's (last 20 % of the rows, annualised).
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from hybrid_trader import load_observations, map_outputs, register_model  # noqa: E402
from hybrid_trader.graphs import mlp_forward, mlp_graph  # noqa: E402

FEES = 0.003  # hybrid-trader's default fee (0.25 %) and slippage (5 bps) per unit traded
PERIODS = {"1m": 525600, "5m": 105120, "15m": 35040, "1h": 8760, "4h": 2190, "1d": 365}


def init_layers(sizes, rng):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6 / (a + b))
        layers.append([rng.uniform(-limit, limit, (a, b)), np.zeros(b)])
    return layers


def forward(layers, x):
    hs = [x]
    for k, (w, b) in enumerate(layers):
        z = hs[-1] @ w + b
        hs.append(np.tanh(z) if k < len(layers) - 1 else z)
    return hs


def utility_grad(logits, returns, current, gamma, cost):
    """Mean utility over rows and its gradient wrt the logits (cash first, cash return 0).

    Utility of allocation p from the current portfolio w: p.r - gamma/2 (p.r)^2 - cost |p - w|_1.
    """
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    r = np.concatenate([np.zeros((len(returns), 1)), returns], axis=1)
    pr = (p * r).sum(axis=1, keepdims=True)
    u = pr - 0.5 * gamma * pr**2 - cost * np.abs(p - current).sum(axis=1, keepdims=True)
    g = r * (1 - gamma * pr) - cost * np.sign(p - current)  # du/dp
    dlogits = p * (g - (p * g).sum(axis=1, keepdims=True))
    return u.mean(), dlogits / len(logits)


def train(x, returns, current, sizes, epochs, lr, gamma, cost, rng):
    layers = init_layers(sizes, rng)
    m = [[np.zeros_like(w), np.zeros_like(b)] for w, b in layers]
    v = [[np.zeros_like(w), np.zeros_like(b)] for w, b in layers]
    for step in range(1, epochs + 1):
        hs = forward(layers, x)
        _, grad = utility_grad(hs[-1], returns, current, gamma, cost)
        grad = -grad  # ascend the utility
        for k in range(len(layers) - 1, -1, -1):
            w, b = layers[k]
            gw, gb = hs[k].T @ grad, grad.sum(axis=0)
            if k > 0:
                grad = (grad @ w.T) * (1 - hs[k] ** 2)
            for j, g in enumerate((gw, gb)):
                m[k][j] = 0.9 * m[k][j] + 0.1 * g
                v[k][j] = 0.999 * v[k][j] + 0.001 * g * g
                mh, vh = m[k][j] / (1 - 0.9**step), v[k][j] / (1 - 0.999**step)
                layers[k][j] = layers[k][j] - lr * mh / (np.sqrt(vh) + 1e-8)
    return [(w.astype(np.float32), b.astype(np.float32)) for w, b in layers]


def sharpe(r, periods):
    s = r.std(ddof=1)
    return 0.0 if s == 0 else r.mean() / s * np.sqrt(periods)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--observations", required=True, help="the .npy written by `hybrid-trader features export`")
    ap.add_argument("--root", required=True, help="hybrid-trader workspace root (bundles go to models/<study>/<n>)")
    ap.add_argument("--study", required=True)
    ap.add_argument("--storage", help="Optuna storage URL (default: sqlite:///<root>/studies.db)")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=600)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--gamma", type=float, default=20.0, help="risk aversion of the utility")
    ap.add_argument("--cost", type=float, default=0.01, help="penalty per unit of turnover (fees and slippage are 0.003)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    obs = load_observations(args.observations)
    rng = np.random.default_rng(args.seed)
    n = obs.n_symbols
    returns = obs.next_returns()
    # the portfolio columns hold the simulator's weights at run time: train on varied ones
    current = rng.dirichlet(np.ones(n + 1), size=len(obs.rows) - 1)
    x = obs.with_portfolio(np.concatenate([current, current[-1:]]))[:-1]
    split = int(len(x) * 0.8)
    sizes = [obs.observation_size] + [args.hidden] * args.layers + [n + 1]
    layers = train(
        x[:split], returns[:split], current[:split], sizes, args.epochs, args.lr, args.gamma, args.cost, rng
    )

    # holdout: the allocation applied bar after bar, its own weights fed back (turnover costs included)
    policy, held = [], np.eye(n + 1)[0]
    for t in range(split, len(x)):
        row = x[t : t + 1].copy()
        row[0, : n + 1] = held
        p = map_outputs(mlp_forward(layers, row), "softmax-cash-first")[0]
        target = np.concatenate([[1 - p.sum()], p])
        gross = target[1:] @ returns[t] - FEES * np.abs(target - held).sum()
        policy.append(gross)
        grown = target * np.concatenate([[1.0], 1 + returns[t]])
        held = grown / grown.sum()
    policy = np.asarray(policy)
    equal = returns[split:].mean(axis=1)
    periods = PERIODS.get(obs.timeframe, 8760)
    score = float(sharpe(policy, periods) - sharpe(equal, periods))

    storage = args.storage or f"sqlite:///{os.path.abspath(os.path.join(args.root, 'studies.db'))}"
    number = register_model(
        storage,
        args.study,
        args.root,
        mlp_graph(layers),
        obs,
        score,
        params={"hidden": args.hidden, "layers": args.layers, "epochs": args.epochs, "lr": args.lr,
                "gamma": args.gamma, "cost": args.cost, "seed": args.seed},
    )
    print(f"trial {number} of {args.study}: training score {score:.4f}, bundle models/{args.study}/{number}")


if __name__ == "__main__":
    main()
