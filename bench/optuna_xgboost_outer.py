"""Optuna TPE + XGBoost scored with the same outer loop as `MlToolkit.Bench outer-loop`.

Usage: /usr/bin/python3 bench/optuna_xgboost_outer.py BENCHMARK_DIR [--tasks glass,sonar] [--train-time 30] [--seed 1]
For each fold k of BENCHMARK_DIR/NAME.folds.json: the study sees only the other four folds, tunes XGBoost by 5-fold
cross-validation inside them (stratified for classification) with TPE until the budget minus the refit's estimated
time is spent, refits the best parameters on those four folds and is scored on fold k (accuracy, or R² for
regression). A trial still running when the search's time is up stops (inside an XGBoost fit too) and is pruned, as
AutoML's runner cancels its trials at the budget; until session 24 (2026-12-02) the study checked the time only
between trials and overran by up to 11 s. The trials column counts completed trials. Categorical (text) columns are
one-hot encoded; missing values are left to XGBoost. The whole fold, reading and refit included, counts against the
budget. Prints the same TSV as the .NET outer loop.
Needs Debian's python3-optuna, python3-xgboost, python3-sklearn, python3-pandas (use /usr/bin/python3).
"""
import argparse
import glob
import os
import time

import numpy as np
import optuna
import pandas as pd
import xgboost as xgb
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import LabelEncoder

import peer_preprocessing
from optuna_xgboost import suggest_params


def load(folder, task):
    frame, y, folds = peer_preprocessing.load(folder, task)
    x = pd.get_dummies(frame, dummy_na=False).astype(np.float32)
    regression = folds.get("task") == "regression"
    y = y.to_numpy(dtype=np.float64) if regression else LabelEncoder().fit_transform(y.astype(str))
    return x.to_numpy(), y, folds["test_rows"], regression


class StopAt(xgb.callback.TrainingCallback):
    """Ends boosting at a moment on time.monotonic(); the trial it belongs to is then pruned."""

    def __init__(self, deadline):
        super().__init__()
        self.deadline = deadline

    def after_iteration(self, model, epoch, evals_log):
        return time.monotonic() >= self.deadline


def model(params, regression, classes, seed, callbacks=None):
    common = dict(n_jobs=2, tree_method="hist", random_state=seed, callbacks=callbacks, **params)
    if regression:
        return xgb.XGBRegressor(**common)
    return xgb.XGBClassifier(objective="multi:softprob" if classes > 2 else "binary:logistic", **common)


def score(regression, y_true, predicted):
    return r2_score(y_true, predicted) if regression else accuracy_score(y_true, predicted)


def outer_fold(x, y, train, test, regression, budget, seed):
    start = time.monotonic()
    classes = len(np.unique(y))
    xt, yt = x[train], y[train]
    if not regression:
        # XGBoost wants the classes of a fit numbered 0..k-1: a class missing from these folds must not leave a gap.
        encoder = LabelEncoder().fit(yt)
        yt = encoder.transform(yt)
        classes = len(encoder.classes_)
    splitter = KFold(5, shuffle=True, random_state=seed) if regression else StratifiedKFold(5, shuffle=True, random_state=seed)
    inner = list(splitter.split(xt, yt))
    refit_estimate = [0.0]

    def search_deadline():
        return start + budget - refit_estimate[0]

    def objective(trial):
        params = suggest_params(trial)
        began = time.monotonic()
        values = []
        for a, b in inner:
            stop = StopAt(search_deadline())
            m = model(params, regression, classes, seed, [stop]).fit(xt[a], yt[a])
            if time.monotonic() >= stop.deadline:
                raise optuna.TrialPruned()
            values.append(score(regression, yt[b], m.predict(xt[b])))
        refit_estimate[0] = max(refit_estimate[0], (time.monotonic() - began) / len(inner) * 1.25)
        return float(np.mean(values))

    def stop_in_time(study, trial):
        if time.monotonic() >= search_deadline():
            study.stop()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, timeout=max(1.0, budget - (time.monotonic() - start)), callbacks=[stop_in_time])
    completed = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    # With no trial finished in time, XGBoost's own defaults are the model, as a user would fall back to them.
    final = model(study.best_params if completed else {}, regression, classes, seed).fit(xt, yt)
    predicted = final.predict(x[test])
    if not regression:
        predicted = encoder.inverse_transform(predicted.astype(int))
    return score(regression, y[test], predicted), time.monotonic() - start, len(completed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--tasks")
    parser.add_argument("--train-time", type=float, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tasks = args.tasks.split(",") if args.tasks else sorted(os.path.basename(p)[: -len(".folds.json")] for p in glob.glob(os.path.join(args.folder, "*.folds.json")))
    print("task\tfold\tmetric\ttest\tseconds\ttrials", flush=True)
    for task in tasks:
        began = time.monotonic()
        x, y, test_rows, regression = load(args.folder, task)
        rows = np.arange(len(y))
        metric = "r_squared" if regression else "accuracy"
        scores = []
        for k, test in enumerate(test_rows):
            # Reading and encoding the file counts against the first fold's budget, as the CLI's loading does for it.
            budget = args.train_time - (time.monotonic() - began if k == 0 else 0)
            value, seconds, trials = outer_fold(x, y, np.setdiff1d(rows, test), np.asarray(test), regression, budget, args.seed)
            scores.append(value)
            print(f"{task}\t{k}\t{metric}\t{value:.4f}\t{seconds:.1f}\t{trials}", flush=True)
        print(f"{task}\tmean\t{metric}\t{np.mean(scores):.4f}", flush=True)


if __name__ == "__main__":
    main()
