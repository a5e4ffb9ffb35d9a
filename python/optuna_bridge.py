"""Optuna behind `dvcts exp sweep --sampler tpe`: ask-and-tell over JSON lines on stdin/stdout.

dvcts runs the trials (each one an experiment); this process only keeps the study: it asks
Optuna's TPE sampler for the next parameters, records each trial's result, and answers whether a
running trial should be pruned from the per-epoch values it has reported (Optuna's MedianPruner).

Requests, one JSON object per line, each answered by one line:
  {"op": "create", "direction": "maximize", "seed": 0, "startup_trials": 4,
   "space": [{"name": "params.yaml:train.lr", "kind": "float", "low": 1e-4, "high": 1e-2, "log": true},
             {"name": "...", "kind": "int", "low": 1, "high": 4},
             {"name": "...", "kind": "categorical", "n": 3}],
   "pruner": {"startup_trials": 5, "warmup_steps": 0} | null}       -> {"optuna": "3.1.0"}
  {"op": "ask"}                                                      -> {"trial": 0, "params": {...}}
  {"op": "report", "trial": 0, "step": 3, "value": 0.71}             -> {"prune": false}
  {"op": "tell", "trial": 0, "state": "complete", "value": 0.8}      -> {}
  {"op": "tell", "trial": 0, "state": "pruned" | "fail"}             -> {}
A categorical parameter is asked for as the index of its choice. Errors are answered as
{"error": "...", "kind": "missing" | "request"}; a missing Optuna exits with status 3.
"""
import json
import sys


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


try:
    import optuna
except ImportError as e:  # reported as E_OPTUNA_MISSING by dvcts
    answer({"error": str(e), "kind": "missing"})
    sys.exit(3)

optuna.logging.set_verbosity(optuna.logging.WARNING)


class Bridge:
    def __init__(self):
        self.study = None
        self.space = []
        self.trials = {}

    def create(self, req):
        sampler = optuna.samplers.TPESampler(seed=req.get("seed"), n_startup_trials=req["startup_trials"])
        p = req.get("pruner")
        pruner = (
            optuna.pruners.MedianPruner(n_startup_trials=p["startup_trials"], n_warmup_steps=p["warmup_steps"])
            if p is not None
            else optuna.pruners.NopPruner()
        )
        self.study = optuna.create_study(direction=req["direction"], sampler=sampler, pruner=pruner)
        self.space = req["space"]
        return {"optuna": optuna.__version__}

    def ask(self, _req):
        trial = self.study.ask()
        params = {}
        for dim in self.space:
            name = dim["name"]
            if dim["kind"] == "float":
                params[name] = trial.suggest_float(name, dim["low"], dim["high"], log=dim.get("log", False))
            elif dim["kind"] == "int":
                params[name] = trial.suggest_int(name, dim["low"], dim["high"])
            else:
                params[name] = trial.suggest_categorical(name, list(range(dim["n"])))
        self.trials[trial.number] = trial
        return {"trial": trial.number, "params": params}

    def report(self, req):
        trial = self.trials[req["trial"]]
        trial.report(float(req["value"]), int(req["step"]))
        return {"prune": bool(trial.should_prune())}

    def tell(self, req):
        trial = self.trials.pop(req["trial"])
        state = req["state"]
        if state == "complete":
            self.study.tell(trial, float(req["value"]))
        elif state == "pruned":
            self.study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            self.study.tell(trial, state=optuna.trial.TrialState.FAIL)
        return {}


def main():
    bridge = Bridge()
    ops = {"create": bridge.create, "ask": bridge.ask, "report": bridge.report, "tell": bridge.tell}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            answer(ops[req["op"]](req))
        except Exception as e:  # one bad request must not lose the study
            answer({"error": f"{type(e).__name__}: {e}", "kind": "request"})


if __name__ == "__main__":
    main()
