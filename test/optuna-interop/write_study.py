"""Runs a small Optuna study (the search space the interop tests share) and prints what Optuna sees.

Usage: write_study.py <storage url> <study name> <n trials>
Creates the study or adds to it (load_if_exists). In this run, the 2nd trial is pruned and the 3rd fails.
"""
import sys

import optuna
from optuna_dump import dump_study

optuna.logging.set_verbosity(optuna.logging.ERROR)
url, name, n_trials = sys.argv[1], sys.argv[2], int(sys.argv[3])
study = optuna.create_study(
    study_name=name,
    storage=url,
    direction="maximize",
    load_if_exists=True,
    sampler=optuna.samplers.TPESampler(seed=7, n_startup_trials=3),
)
first = len(study.trials)


def objective(trial: optuna.Trial) -> float:
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    dropout = trial.suggest_float("dropout", 0.0, 0.5, step=0.1)
    units = trial.suggest_int("units", 16, 256, step=16)
    layers = trial.suggest_int("layers", 1, 4)
    window = trial.suggest_int("window", 2, 512, log=True)
    optimizer = trial.suggest_categorical("optimizer", ["adam", "sgd", "rmsprop"])
    trial.set_user_attr("model_path", f"models/{name}/{trial.number}")
    trial.set_user_attr("fold_scores", {"folds": [0.5, -1.25], "note": "caf\u00e9"})
    score = units / 256 - dropout - abs(lr - 0.01) + (0.1 if optimizer == "adam" else 0.0) - layers / 100
    for step in range(3):
        trial.report(score * (step + 1) / 3 if step != 1 else float("nan"), step)
    if trial.number - first == 1:
        raise optuna.TrialPruned()
    if trial.number - first == 2:
        raise ValueError("this trial fails on purpose")
    return score + window / 1e4


study.optimize(objective, n_trials=n_trials, catch=(ValueError,))
print(dump_study(study))
