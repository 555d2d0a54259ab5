"""Loads a study with Python Optuna and prints what it sees as JSON.

Usage: read_study.py <storage url> <study name> [grace seconds]
With a grace period, first runs optuna.storages.fail_stale_trials with that heartbeat grace period.
"""
import sys

import optuna
from optuna_dump import dump_study

optuna.logging.set_verbosity(optuna.logging.ERROR)
url, name = sys.argv[1], sys.argv[2]
if len(sys.argv) > 3:
    grace = int(sys.argv[3])
    storage = optuna.storages.RDBStorage(url, heartbeat_interval=max(1, grace // 2), grace_period=grace)
    study = optuna.load_study(study_name=name, storage=storage)
    optuna.storages.fail_stale_trials(study)
else:
    study = optuna.load_study(study_name=name, storage=url)
print(dump_study(study))
