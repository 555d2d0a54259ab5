"""What Python Optuna sees in a study, as JSON (NaN/Infinity as Python's json writes them)."""
import json
import time
from datetime import datetime
from typing import Optional

import optuna
from optuna.distributions import distribution_to_json


def epoch_ms(dt: Optional[datetime]) -> Optional[int]:
    """A naive datetime read as local time (as Optuna writes datetime.now()), in exact integer ms."""
    if dt is None:
        return None
    return int(time.mktime(dt.timetuple())) * 1000 + dt.microsecond // 1000


def dump_study(study: optuna.Study) -> str:
    trials = []
    for t in study.trials:
        trials.append(
            {
                "number": t.number,
                "state": t.state.name,
                "value": t.value,
                "params": t.params,
                "distributions": {k: distribution_to_json(d) for k, d in t.distributions.items()},
                "user_attrs": t.user_attrs,
                "system_attrs": t.system_attrs,
                "intermediate_values": [[step, v] for step, v in sorted(t.intermediate_values.items())],
                "datetime_start_ms": epoch_ms(t.datetime_start),
                "datetime_complete_ms": epoch_ms(t.datetime_complete),
            }
        )
    try:
        best = study.best_trial
        best_json = {"number": best.number, "value": best.value}
    except ValueError:
        best_json = None
    try:
        frame = study.trials_dataframe()
        dataframe = {"rows": int(frame.shape[0]), "columns": sorted(str(c) for c in frame.columns)}
    except ImportError as error:  # pandas is only a Suggests of python3-optuna
        dataframe = {"unavailable": str(error)}
    return json.dumps(
        {
            "optuna_version": optuna.__version__,
            "study_name": study.study_name,
            "direction": study.direction.name,
            "user_attrs": study.user_attrs,
            "trials": trials,
            "best_trial": best_json,
            "dataframe": dataframe,
        }
    )
