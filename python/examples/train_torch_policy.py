"""Worked example: trains a 2x64 tanh policy with PyTorch on exported observations, exports it with
torch.onnx.export, and records it as a trial of an Optuna study, where hybrid-trader deploys it.

    hybrid-trader features export --data market.csv --features ret_24,macd,rsi_14,vol_24 --to 2024-06-01 \\
        --out obs.npy
    python3 python/examples/train_torch_policy.py --observations obs.npy --root . --study py-torch

The objective is the same as train_numpy_policy.py's (a mean-variance utility of the next bar's return of
the allocation, minus a turnover penalty from the current portfolio); the training score is the holdout
Sharpe of the allocation applied bar after bar, costs included, minus the equal-weight portfolio's.
The trained weights are also saved (--save) so that check_parity.py --torch can recompute the actions.
"""

import argparse
import os
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from hybrid_trader import load_observations, map_outputs, register_model  # noqa: E402

FEES = 0.003  # hybrid-trader's default fee (0.25 %) and slippage (5 bps) per unit traded
PERIODS = {"1m": 525600, "5m": 105120, "15m": 35040, "1h": 8760, "4h": 2190, "1d": 365}


class Policy(torch.nn.Module):
    """observation -> hidden tanh layers -> 1 + n logits (cash first)."""

    def __init__(self, inputs, hidden, layers, outputs):
        super().__init__()
        sizes = [inputs] + [hidden] * layers
        blocks = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            blocks += [torch.nn.Linear(a, b), torch.nn.Tanh()]
        blocks.append(torch.nn.Linear(sizes[-1], outputs))
        self.net = torch.nn.Sequential(*blocks)

    def forward(self, obs):
        return self.net(obs)


def utility(logits, returns, current, gamma, cost):
    p = torch.softmax(logits, dim=1)
    r = torch.cat([torch.zeros(len(returns), 1), returns], dim=1)
    pr = (p * r).sum(dim=1)
    return (pr - 0.5 * gamma * pr**2 - cost * (p - current).abs().sum(dim=1)).mean()


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
    ap.add_argument("--gamma", type=float, default=20.0)
    ap.add_argument("--cost", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", help="also save the trained state_dict here (for check_parity.py --torch)")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    obs = load_observations(args.observations)
    n = obs.n_symbols
    returns = obs.next_returns()
    current = rng.dirichlet(np.ones(n + 1), size=len(obs.rows) - 1)
    x = obs.with_portfolio(np.concatenate([current, current[-1:]]))[:-1]
    split = int(len(x) * 0.8)

    model = Policy(obs.observation_size, args.hidden, args.layers, n + 1)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    xt = torch.from_numpy(x[:split].astype(np.float32))
    rt = torch.from_numpy(returns[:split].astype(np.float32))
    ct = torch.from_numpy(current[:split].astype(np.float32))
    for _ in range(args.epochs):
        optimiser.zero_grad()
        loss = -utility(model(xt), rt, ct, args.gamma, args.cost)
        loss.backward()
        optimiser.step()
    model.eval()

    # holdout: the allocation applied bar after bar, its own weights fed back (turnover costs included)
    policy, held = [], np.eye(n + 1)[0]
    with torch.no_grad():
        for t in range(split, len(x)):
            row = x[t : t + 1].copy()
            row[0, : n + 1] = held
            p = map_outputs(model(torch.from_numpy(row.astype(np.float32))).numpy(), "softmax-cash-first")[0]
            target = np.concatenate([[1 - p.sum()], p])
            policy.append(target[1:] @ returns[t] - FEES * np.abs(target - held).sum())
            grown = target * np.concatenate([[1.0], 1 + returns[t]])
            held = grown / grown.sum()
    periods = PERIODS.get(obs.timeframe, 8760)
    score = float(sharpe(np.asarray(policy), periods) - sharpe(returns[split:].mean(axis=1), periods))

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "policy.onnx")
        torch.onnx.export(
            model,
            torch.zeros(1, obs.observation_size),
            path,
            input_names=["obs"],
            output_names=["logits"],
            dynamic_axes={"obs": {0: "batch"}, "logits": {0: "batch"}},
            opset_version=13,
        )
        storage = args.storage or f"sqlite:///{os.path.abspath(os.path.join(args.root, 'studies.db'))}"
        number = register_model(
            storage,
            args.study,
            args.root,
            path,
            obs,
            score,
            params={"hidden": args.hidden, "layers": args.layers, "epochs": args.epochs, "lr": args.lr,
                    "gamma": args.gamma, "cost": args.cost, "seed": args.seed},
        )
    if args.save:
        torch.save({"state_dict": model.state_dict(), "hidden": args.hidden, "layers": args.layers}, args.save)
    print(f"trial {number} of {args.study}: training score {score:.4f}, bundle models/{args.study}/{number}")


if __name__ == "__main__":
    main()
