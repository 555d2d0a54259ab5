"""hybrid-trader from Python: read exported observations, write ONNX model bundles, record trials in Optuna.

Standard library + numpy + onnx (optuna only for the functions that record trials).

    from hybrid_trader import load_observations, write_onnx_bundle, register_model
"""

from .bundle import BundleError, write_onnx_bundle
from .mapping import map_outputs
from .observations import Observations, load_observations
from .study import register_model, save_trial_bundle

__version__ = "0.1.0"

__all__ = [
    "BundleError",
    "Observations",
    "load_observations",
    "map_outputs",
    "register_model",
    "save_trial_bundle",
    "write_onnx_bundle",
]
