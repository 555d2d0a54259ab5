"""Unit tests of python/hybrid_trader (run by src/models/onnx/python-module.test.ts, or
`PYTHONPATH=python python3 -m unittest discover -s test/python`). Needs numpy, onnx and optuna.

Usage: the environment variable HT_EXPORT names an export (.npy) made by `features export` for 7 symbols.
"""

import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from hybrid_trader import BundleError, load_observations, map_outputs, register_model, write_onnx_bundle
from hybrid_trader.graphs import mlp_forward, mlp_graph, mlp_layers_from_onnx
from hybrid_trader.observations import ObservationsError

EXPORT = os.environ["HT_EXPORT"]


def layers_for(inputs, outputs, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(inputs, 8)) * 0.1, np.zeros(8)), (rng.normal(size=(8, outputs)) * 0.1, np.zeros(outputs))]


class BundleTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.obs = load_observations(EXPORT)
        self.n = self.obs.n_symbols

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_writes_manifest_and_graph_with_the_export_contract(self):
        model = mlp_graph(layers_for(self.obs.observation_size, self.n + 1))
        manifest = write_onnx_bundle(os.path.join(self.tmp, "b"), model, self.obs, study="s", trial_number=3, training_score=0.5)
        with open(os.path.join(self.tmp, "b", "manifest.json")) as f:
            self.assertEqual(json.load(f), manifest)
        self.assertEqual(manifest["normalisation"], self.obs.normalisation)
        self.assertEqual(manifest["onnx"]["input"], {"name": "obs", "dtype": "float32", "shape": ["batch", self.obs.observation_size]})
        self.assertEqual(os.listdir(self.tmp), ["b"])  # no temporary folder left

    def test_refuses_by_name(self):
        size = self.obs.observation_size
        cases = [
            (mlp_graph(layers_for(size - 1, self.n + 1)), "softmax-cash-first", f"needs \\[batch, {size}\\]"),
            (mlp_graph(layers_for(size, self.n)), "softmax-cash-first", f"needs \\[batch, {self.n + 1}\\]"),
            (mlp_graph(layers_for(size, self.n + 1)), "weights", f"weights mapping for {self.n} symbols"),
            (mlp_graph(layers_for(size, self.n + 1)), "tanh", "output_mapping must be one of"),
        ]
        for k, (model, mapping, message) in enumerate(cases):
            with self.assertRaisesRegex(BundleError, message):
                write_onnx_bundle(os.path.join(self.tmp, str(k)), model, self.obs, mapping)
        model = mlp_graph(layers_for(size, self.n + 1))
        with self.assertRaisesRegex(BundleError, "has no input state"):
            write_onnx_bundle(os.path.join(self.tmp, "x"), model, self.obs, input_name="state")
        with self.assertRaisesRegex(BundleError, "finite number"):
            write_onnx_bundle(os.path.join(self.tmp, "y"), model, self.obs, training_score=float("nan"))
        write_onnx_bundle(os.path.join(self.tmp, "z"), model, self.obs)
        with self.assertRaisesRegex(BundleError, "never overwritten"):
            write_onnx_bundle(os.path.join(self.tmp, "z"), model, self.obs)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["z"])

    def test_refuses_changed_rows(self):
        folder = os.path.join(self.tmp, "export")
        shutil.copytree(os.path.dirname(os.path.abspath(EXPORT)), folder)
        path = os.path.join(folder, os.path.basename(EXPORT))
        rows = np.load(path)
        rows[0, -1] += 1
        np.save(path, rows)
        with self.assertRaisesRegex(ObservationsError, "rows were changed"):
            load_observations(path)

    def test_reads_back_the_network_it_wrote(self):
        layers = layers_for(self.obs.observation_size, self.n + 1, seed=4)
        back, activation = mlp_layers_from_onnx(mlp_graph(layers))
        self.assertEqual(activation, "tanh")
        x = self.obs.rows[:5]
        np.testing.assert_array_equal(mlp_forward(back, x), mlp_forward(layers, x))

    def test_maps_outputs_as_hybrid_trader_does(self):
        raw = np.array([[0.0, 1.0, 2.0], [np.nan, 0.0, 0.0]])
        mapped = map_outputs(raw, "softmax-cash-first")
        e = np.exp([0.0, 1.0, 2.0])
        np.testing.assert_allclose(mapped[0], e[1:] / e.sum(), rtol=1e-15)
        self.assertTrue(np.isnan(mapped[1]).all())
        np.testing.assert_array_equal(map_outputs(raw, "weights"), raw)


class StudyTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.obs = load_observations(EXPORT)
        self.storage = f"sqlite:///{os.path.join(self.tmp, 'studies.db')}"

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_registers_a_complete_trial_with_its_bundle_and_params(self):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.ERROR)
        model = mlp_graph(layers_for(self.obs.observation_size, self.obs.n_symbols + 1))
        first = register_model(self.storage, "py", self.tmp, model, self.obs, 0.25, params={"lr": 0.01, "kind": "mlp"})
        second = register_model(self.storage, "py", self.tmp, model, self.obs, 0.75)
        self.assertEqual((first, second), (0, 1))
        trial = optuna.load_study(study_name="py", storage=self.storage).trials[0]
        self.assertEqual(trial.state, optuna.trial.TrialState.COMPLETE)
        self.assertEqual(trial.value, 0.25)
        self.assertEqual(trial.user_attrs["model_path"], os.path.join("models", "py", "0"))
        self.assertEqual(trial.user_attrs["kind"], "onnx")
        self.assertEqual(trial.params, {"lr": 0.01, "kind": "mlp"})
        with open(os.path.join(self.tmp, "models", "py", "0", "manifest.json")) as f:
            manifest = json.load(f)
        self.assertEqual((manifest["study"], manifest["trialNumber"], manifest["trainingScore"]), ("py", 0, 0.25))
        self.assertEqual(manifest["params"], {"lr": 0.01, "kind": "mlp"})

    def test_marks_the_trial_failed_when_its_bundle_cannot_be_written(self):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.ERROR)
        wrong = mlp_graph(layers_for(3, self.obs.n_symbols + 1))
        with self.assertRaises(BundleError):
            register_model(self.storage, "py", self.tmp, wrong, self.obs, 1.0)
        trial = optuna.load_study(study_name="py", storage=self.storage).trials[0]
        self.assertEqual(trial.state, optuna.trial.TrialState.FAIL)
        optuna.create_study(storage=self.storage, study_name="low", direction="minimize")
        with self.assertRaisesRegex(BundleError, "minimises"):
            register_model(self.storage, "low", self.tmp, wrong, self.obs, 1.0)


if __name__ == "__main__":
    unittest.main()
