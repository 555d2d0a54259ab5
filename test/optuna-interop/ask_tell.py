"""Adds trials to a study with Python Optuna's ask/tell, for the concurrency tests (races with other processes).

Usage: ask_tell.py <storage url> <study name> <n trials> <go file> [pause seconds]
Waits for the go file, loads the study, then runs n trials (ask, one parameter, tell with a value far below
any model's score: these trials carry no model), pausing between trials if asked (so that other processes
add trials meanwhile), and prints {"numbers": [...]} as JSON.
"""
import json
import os
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
url, name, n_trials, go_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
pause = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
print("ready", flush=True)
while not os.path.exists(go_file):
    time.sleep(0.002)
study = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.RandomSampler(seed=1))
numbers = []
for i in range(n_trials):
    if i > 0:
        time.sleep(pause)
    trial = study.ask()
    trial.suggest_int("x", 0, 1000)
    study.tell(trial, -1000.0 - i)
    numbers.append(trial.number)
print(json.dumps({"pid": os.getpid(), "numbers": numbers}))
