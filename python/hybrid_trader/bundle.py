"""Writes an ONNX model bundle (manifest.json + model.onnx) that hybrid-trader deploys like its own models."""

import datetime
import hashlib
import json
import math
import os
import tempfile

import onnx

from .mapping import MAPPINGS, output_width
from .observations import Observations, load_observations

MODEL_FILE = "model.onnx"
MANIFEST_FILE = "manifest.json"
_DTYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.DOUBLE: "float64"}


class BundleError(ValueError):
    """A model that does not fit the observations it is declared for, or a bundle that cannot be written."""


def _iso(ms=None):
    when = (
        datetime.datetime.now(datetime.timezone.utc)
        if ms is None
        else datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    )
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _model_bytes(model):
    if isinstance(model, onnx.ModelProto):
        return model.SerializeToString()
    if isinstance(model, (bytes, bytearray)):
        return bytes(model)
    with open(model, "rb") as f:
        return f.read()


def _tensor(value):
    t = value.type.tensor_type
    shape = [d.dim_value if d.HasField("dim_value") else (d.dim_param or "batch") for d in t.shape.dim]
    return {"name": value.name, "dtype": _DTYPES.get(t.elem_type), "shape": shape, "elem_type": t.elem_type}


def _pick(values, name, what):
    if name is None:
        if len(values) != 1:
            raise BundleError(f"the graph has {len(values)} {what}s ({', '.join(v['name'] for v in values)}); name the {what}")
        return values[0]
    for v in values:
        if v["name"] == name:
            return v
    raise BundleError(f"the graph has no {what} {name} (its {what}s: {', '.join(v['name'] for v in values) or 'none'})")


def _check(spec, width, what, why):
    if spec["dtype"] is None:
        raise BundleError(f"{what} {spec['name']} has element type {spec['elem_type']}; a policy needs float32 or float64")
    shape = spec["shape"]
    batch_ok = len(shape) == 2 and (isinstance(shape[0], str) or shape[0] == 1)
    if not batch_ok or shape[1] != width:
        raise BundleError(f"{what} {spec['name']} has shape {shape}; the {why} needs [batch, {width}]")


def describe_graph(model_bytes, observation_size, n_symbols, mapping, input_name=None, output_name=None):
    """The manifest's `input` and `output` for a graph, after checking them against the observation and mapping."""
    model = onnx.load_model_from_string(model_bytes)
    onnx.checker.check_model(model)
    initialisers = {i.name for i in model.graph.initializer}
    inputs = [_tensor(v) for v in model.graph.input if v.name not in initialisers]
    outputs = [_tensor(v) for v in model.graph.output]
    graph_input = _pick(inputs, input_name, "input")
    extra = [v["name"] for v in inputs if v["name"] != graph_input["name"]]
    if extra:
        raise BundleError(f"the graph also needs input(s) {', '.join(extra)}; a policy is fed only the observation")
    _check(graph_input, observation_size, "input", f"observation of the export ({observation_size} columns)")
    width = output_width(mapping, n_symbols)
    graph_output = _pick(outputs, output_name, "output")
    _check(graph_output, width, "output", f"{mapping} mapping for {n_symbols} symbols")
    return (
        {k: graph_input[k] for k in ("name", "dtype", "shape")},
        {k: graph_output[k] for k in ("name", "dtype", "shape")},
    )


def _write_synced(path, data):
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_onnx_bundle(
    dest,
    model,
    observations,
    output_mapping="softmax-cash-first",
    *,
    input_name=None,
    output_name=None,
    study="python",
    trial_number=None,
    training_score=None,
    params=None,
    validation_windows=(),
):
    """Writes the bundle folder `dest` (which must not exist) atomically and returns its manifest.

    model: an .onnx path, its bytes or an onnx.ModelProto, taking the observation rows (float32 or float64,
    [batch, observation_size]) and giving [batch, 1 + n] logits (softmax-cash-first) or [batch, n] weights.
    observations: the export the model was trained on (Observations, or the path of its .npy/.json): the
    bundle's symbols, timeframe, features, lookback, normalisation, data hash and training window are copied
    from it, never typed by hand, so the model is served what it was trained on.
    """
    obs = observations if isinstance(observations, Observations) else load_observations(observations)
    if output_mapping not in MAPPINGS:
        raise BundleError(f"output_mapping must be one of {', '.join(MAPPINGS)}, was {output_mapping!r}")
    if training_score is not None and not math.isfinite(float(training_score)):
        raise BundleError(f"training_score must be a finite number or None, was {training_score!r}")
    data = _model_bytes(model)
    graph_input, graph_output = describe_graph(
        data, obs.observation_size, obs.n_symbols, output_mapping, input_name, output_name
    )
    manifest = {
        "schemaVersion": 2,
        "kind": "onnx",
        "symbols": list(obs.symbols),
        "timeframe": obs.timeframe,
        "features": list(obs.features),
        "lookback": obs.lookback,
        "observationSize": obs.observation_size,
        "actionSize": obs.n_symbols,
        "normalisation": obs.normalisation,
        "params": dict(params or {}),
        "trainingScore": None if training_score is None else float(training_score),
        "study": study,
        "trialNumber": trial_number,
        "dataHash": obs.sidecar["data"]["hash"],
        "trainingWindow": list(obs.sidecar["window"]),
        "validationWindows": [list(w) for w in validation_windows],
        "packageVersion": "hybrid_trader-python 0.1.0",
        "createdAt": _iso(),
        "onnx": {
            "file": MODEL_FILE,
            "sha256": hashlib.sha256(data).hexdigest(),
            "input": graph_input,
            "output": graph_output,
            "outputMapping": output_mapping,
        },
    }
    text = json.dumps(manifest, indent=2, allow_nan=False) + "\n"
    dest = os.path.abspath(dest)
    if os.path.exists(dest):
        raise BundleError(f"model bundle {dest} exists already; bundles are never overwritten")
    parent = os.path.dirname(dest)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".tmp-", dir=parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a bundle is read by every service
    try:
        _write_synced(os.path.join(tmp, MODEL_FILE), data)
        _write_synced(os.path.join(tmp, MANIFEST_FILE), text.encode("utf-8"))
        _fsync_dir(tmp)
        if os.path.exists(dest):
            raise BundleError(f"model bundle {dest} exists already; bundles are never overwritten")
        os.rename(tmp, dest)
        _fsync_dir(parent)
    except BaseException:
        for name in os.listdir(tmp) if os.path.isdir(tmp) else ():
            os.unlink(os.path.join(tmp, name))
        if os.path.isdir(tmp):
            os.rmdir(tmp)
        raise
    return manifest
