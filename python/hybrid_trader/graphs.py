"""Builds ONNX graphs from numpy weights with the onnx package's helper: models trained without PyTorch."""

import numpy as np
import onnx
from onnx import helper, numpy_helper

_ELEM = {np.dtype(np.float32): onnx.TensorProto.FLOAT, np.dtype(np.float64): onnx.TensorProto.DOUBLE}


def mlp_graph(layers, activation="tanh", dtype=np.float32, input_name="obs", output_name="logits", opset=13):
    """A dense network as an ONNX model: `layers` is [(W, b), ...] with W of shape (inputs, outputs).

    Each layer computes x @ W + b (Gemm), followed by `activation` (Tanh or Relu) except the last, which
    is linear. The input is [batch, inputs] and the output [batch, outputs], batch symbolic.
    """
    dtype = np.dtype(dtype)
    if dtype not in _ELEM:
        raise ValueError(f"dtype must be float32 or float64, was {dtype}")
    op = {"tanh": "Tanh", "relu": "Relu"}[activation]
    nodes, initialisers = [], []
    x = input_name
    for k, (w, b) in enumerate(layers):
        w = np.asarray(w, dtype=dtype)
        b = np.asarray(b, dtype=dtype)
        if w.ndim != 2 or b.shape != (w.shape[1],):
            raise ValueError(f"layer {k}: W must be (inputs, outputs) and b (outputs,), were {w.shape} and {b.shape}")
        initialisers += [numpy_helper.from_array(w, f"W{k}"), numpy_helper.from_array(b, f"b{k}")]
        last = k == len(layers) - 1
        y = output_name if last else f"z{k}"
        nodes.append(helper.make_node("Gemm", [x, f"W{k}", f"b{k}"], [y]))
        if not last:
            nodes.append(helper.make_node(op, [y], [f"h{k}"]))
            y = f"h{k}"
        x = y
    elem = _ELEM[dtype]
    inputs = np.asarray(layers[0][0]).shape[0]
    outputs = np.asarray(layers[-1][0]).shape[1]
    graph = helper.make_graph(
        nodes,
        "policy",
        [helper.make_tensor_value_info(input_name, elem, ["batch", inputs])],
        [helper.make_tensor_value_info(output_name, elem, ["batch", outputs])],
        initialisers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="hybrid_trader")
    model.ir_version = 8  # what onnxruntime 1.x and the onnx package here both read
    onnx.checker.check_model(model)
    return model


def mlp_forward(layers, x, activation="tanh", dtype=np.float32):
    """The same network in numpy, computed in `dtype` as the graph is: a reference for parity checks."""
    act = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0)}[activation]
    h = np.asarray(x, dtype=dtype)
    for k, (w, b) in enumerate(layers):
        h = h @ np.asarray(w, dtype=dtype) + np.asarray(b, dtype=dtype)
        if k < len(layers) - 1:
            h = act(h)
    return h


def mlp_layers_from_onnx(model):
    """The [(W, b), ...] and activation of a graph written by `mlp_graph` (a chain of Gemm and Tanh/Relu).

    `model` is an .onnx path or an onnx.ModelProto. Raises ValueError for any other graph: this reads back
    the networks this module writes (to compute their actions in numpy), it is not an ONNX interpreter.
    """
    if not isinstance(model, onnx.ModelProto):
        model = onnx.load(model)
    weights = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    layers, activation = [], None
    for node in model.graph.node:
        if node.op_type == "Gemm":
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            if attrs.get("transA", 0) or attrs.get("transB", 0) or attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0:
                raise ValueError(f"Gemm {node.name or node.output[0]} has attributes {attrs}; only x @ W + b is read")
            layers.append((weights[node.input[1]], weights[node.input[2]]))
        elif node.op_type in ("Tanh", "Relu"):
            activation = node.op_type.lower()
        else:
            raise ValueError(f"operator {node.op_type} is not part of an mlp_graph network")
    if not layers:
        raise ValueError("the graph has no Gemm layer")
    return layers, activation or "tanh"
