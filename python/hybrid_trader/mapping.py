"""How a policy's raw output becomes target weights: the same two mappings hybrid-trader applies."""

import numpy as np

MAPPINGS = ("softmax-cash-first", "weights")


def output_width(mapping, n_symbols):
    """Values per row the mapping needs: 1 + n logits (cash first) or n weights."""
    if mapping not in MAPPINGS:
        raise ValueError(f"output mapping must be one of {', '.join(MAPPINGS)}, was {mapping!r}")
    return n_symbols + 1 if mapping == "softmax-cash-first" else n_symbols


def map_outputs(raw, mapping):
    """Target weights (R, n) from raw outputs (R, width), in float64.

    softmax-cash-first: softmax over [cash, symbol 1..n] (max subtracted first), the symbols' shares kept.
    weights: the values as they are (hybrid-trader refuses a step whose weights leave [0, 1] or sum above 1).
    """
    raw = np.asarray(raw, dtype=np.float64)
    if raw.ndim != 2:
        raise ValueError(f"raw outputs must be (rows, width), were {raw.shape}")
    if mapping == "weights":
        return raw.copy()
    if mapping != "softmax-cash-first":
        raise ValueError(f"output mapping must be one of {', '.join(MAPPINGS)}, was {mapping!r}")
    shifted = np.exp(raw - raw.max(axis=1, keepdims=True))
    return (shifted / shifted.sum(axis=1, keepdims=True))[:, 1:]
