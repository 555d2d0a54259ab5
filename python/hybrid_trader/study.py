"""Records Python-trained models as trials of an Optuna study, where hybrid-trader's deployer finds them.

A trial enters hybrid-trader's lifecycle when it is COMPLETE, its value is the training score (the study
maximises it), and its user attribute `model_path` names its bundle, relative to the workspace root.
"""

import os

from .bundle import BundleError, write_onnx_bundle


def bundle_path(study_name, trial_number):
    """Where a trial's bundle lives under the workspace root, as hybrid-trader's own trials: models/<study>/<n>."""
    return os.path.join("models", study_name, str(trial_number))


def save_trial_bundle(trial, root, model, observations, training_score, output_mapping="softmax-cash-first", **kwargs):
    """Inside an Optuna objective: writes the trial's bundle under `root`, sets `model_path` (and `kind`).

    Return `training_score` from the objective afterwards, so that the value Optuna records is the score in
    the manifest. Returns the bundle path relative to `root`.
    """
    study_name = trial.study.study_name
    relative = bundle_path(study_name, trial.number)
    write_onnx_bundle(
        os.path.join(root, relative),
        model,
        observations,
        output_mapping,
        study=study_name,
        trial_number=trial.number,
        training_score=training_score,
        params=trial.params,
        **kwargs,
    )
    trial.set_user_attr("model_path", relative)
    trial.set_user_attr("kind", "onnx")  # as hybrid-trader's own trials record their kind
    return relative


def _fixed_distributions(params):
    import optuna.distributions as d

    out = {}
    for name, value in params.items():
        if isinstance(value, bool) or isinstance(value, str) or value is None:
            out[name] = d.CategoricalDistribution([value])
        elif isinstance(value, int):
            out[name] = d.IntDistribution(value, value)
        elif isinstance(value, float):
            out[name] = d.FloatDistribution(value, value)
        else:
            raise BundleError(f"param {name} must be a bool, int, float, str or None, was {type(value).__name__}")
    return out


def register_model(
    storage,
    study_name,
    root,
    model,
    observations,
    training_score,
    output_mapping="softmax-cash-first",
    params=None,
    **kwargs,
):
    """Records a model trained outside a study as a new COMPLETE trial of `study_name` (created if missing).

    storage: an Optuna storage URL, e.g. "sqlite:////abs/path/to/root/studies.db" (hybrid-trader's default
    storage is studies.db under its --root). The bundle goes to <root>/models/<study>/<trial number>, is
    written before the trial completes (a failure marks the trial FAIL), and `params` become the trial's
    parameters (each a fixed distribution). Returns the trial number.
    """
    import optuna

    study = optuna.create_study(
        storage=storage, study_name=study_name, direction="maximize", load_if_exists=True
    )
    if study.direction != optuna.study.StudyDirection.MAXIMIZE:
        raise BundleError(f"study {study_name} minimises; training scores are maximised (higher is better)")
    trial = study.ask(_fixed_distributions(params or {}))
    try:
        save_trial_bundle(trial, root, model, observations, training_score, output_mapping, **kwargs)
    except BaseException:
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
        raise
    study.tell(trial, float(training_score))
    return trial.number
