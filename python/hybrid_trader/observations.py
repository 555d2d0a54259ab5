"""Reads what `hybrid-trader features export` writes: observation rows (.npy), closes (.npy), JSON sidecar."""

import hashlib
import json
import os
from dataclasses import dataclass

import numpy as np

FORMAT = "hybrid-trader observations"


class ObservationsError(ValueError):
    """An export that cannot be used as it is (missing file, changed array, other format)."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Observations:
    """The rows a model will be served, as hybrid-trader built them.

    rows: (R, observation_size) float64. Columns [0, 1 + n) are the portfolio (cash weight, then one weight
    per symbol; exported as all cash, written by the simulator at run time), then the normalised feature
    window, frame-major from the oldest frame: column 1 + n + (w * n + i) * n_features + f.
    closes: (R, n) float64, the close of each symbol at the row's bar. ts: (R,) int64 bar open times (ms).
    """

    path: str
    rows: np.ndarray
    closes: np.ndarray
    ts: np.ndarray
    symbols: tuple
    features: tuple
    lookback: int
    timeframe: str
    normalisation: dict
    sidecar: dict

    @property
    def n_symbols(self):
        return len(self.symbols)

    @property
    def observation_size(self):
        return self.rows.shape[1]

    @property
    def portfolio_columns(self):
        return slice(0, 1 + self.n_symbols)

    @property
    def feature_columns(self):
        return slice(1 + self.n_symbols, self.observation_size)

    def with_portfolio(self, weights):
        """A copy of the rows with the portfolio columns set to `weights`: (1 + n,) for every row, or (R, 1 + n)."""
        out = self.rows.copy()
        out[:, self.portfolio_columns] = np.asarray(weights, dtype=np.float64)
        return out

    def next_returns(self):
        """(R - 1, n) simple returns from each row's close to the next row's: what an allocation at row t earns."""
        return self.closes[1:] / self.closes[:-1] - 1.0


def load_observations(path):
    """Loads an export from its .npy or .json path; checks the arrays' sha256 and shapes against the sidecar."""
    base = path[: -len(".npy")] if path.endswith(".npy") else path[: -len(".json")] if path.endswith(".json") else path
    sidecar_path = base + ".json"
    try:
        with open(sidecar_path, encoding="utf-8") as f:
            sidecar = json.load(f)
    except FileNotFoundError:
        raise ObservationsError(f"{sidecar_path}: missing; export with `hybrid-trader features export --out {base}.npy`")
    if sidecar.get("format") != FORMAT or sidecar.get("schemaVersion") != 1:
        raise ObservationsError(f"{sidecar_path}: not a hybrid-trader observations sidecar (schemaVersion 1)")
    folder = os.path.dirname(os.path.abspath(sidecar_path))
    arrays = {}
    for key in ("observations", "closes"):
        entry = sidecar[key]
        file = os.path.join(folder, entry["file"])
        if _sha256(file) != entry["sha256"]:
            raise ObservationsError(f"{file}: sha256 differs from the sidecar's; the rows were changed after the export")
        array = np.load(file, allow_pickle=False)
        if list(array.shape) != list(entry["shape"]) or array.dtype != np.float64:
            raise ObservationsError(f"{file}: shape {array.shape} {array.dtype}, the sidecar says {entry['shape']} float64")
        arrays[key] = array
    spec = sidecar["spec"]
    return Observations(
        path=os.path.abspath(sidecar_path),
        rows=arrays["observations"],
        closes=arrays["closes"],
        ts=np.asarray(sidecar["rows"]["ts"], dtype=np.int64),
        symbols=tuple(spec["symbols"]),
        features=tuple(spec["features"]),
        lookback=int(spec["lookback"]),
        timeframe=sidecar["timeframe"],
        normalisation=sidecar["normalisation"],
        sidecar=sidecar,
    )
