"""Optuna TPE + XGBoost on the same data, folds and time budget as `MlToolkit.Bench automl --export DIR`.

Usage: /usr/bin/python3 bench/optuna_xgboost.py DIR SAMPLE [--train-time 60] [--seed 1]
Reads DIR/SAMPLE.csv and DIR/SAMPLE.folds.json (test-row indices of each fold, written by the .NET bench), then runs
an Optuna TPE study over XGBoost hyperparameters for the time budget, scoring mean accuracy over those folds.
Needs Debian's python3-optuna, python3-xgboost, python3-sklearn (use /usr/bin/python3).
"""
import argparse
import json
import time

import numpy as np
import optuna
import csv
import xgboost as xgb
from sklearn.preprocessing import LabelEncoder


def suggest_params(trial):
    """The XGBoost search space both Optuna peers tune (this script and optuna_xgboost_outer.py)."""
    return dict(
        n_estimators=trial.suggest_int("n_estimators", 4, 1000, log=True),
        max_depth=trial.suggest_int("max_depth", 2, 12),
        learning_rate=trial.suggest_float("learning_rate", 1e-3, 1.0, log=True),
        subsample=trial.suggest_float("subsample", 0.5, 1.0),
        colsample_bytree=trial.suggest_float("colsample_bytree", 0.1, 1.0),
        min_child_weight=trial.suggest_float("min_child_weight", 1e-2, 100, log=True),
        reg_alpha=trial.suggest_float("reg_alpha", 1e-3, 100, log=True),
        reg_lambda=trial.suggest_float("reg_lambda", 1e-3, 100, log=True),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("sample")
    parser.add_argument("--train-time", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    start = time.monotonic()
    folds = json.load(open(f"{args.folder}/{args.sample}.folds.json"))
    with open(f"{args.folder}/{args.sample}.csv", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        records = list(reader)
    label = header.index(folds["label"])
    y = LabelEncoder().fit_transform([r[label] for r in records])
    x = np.array([[float(v) for i, v in enumerate(r) if i != label] for r in records], dtype=np.float32)
    rows = np.arange(len(records))
    splits = [(np.setdiff1d(rows, test), np.asarray(test)) for test in folds["test_rows"]]
    classes = len(np.unique(y))

    def objective(trial):
        params = suggest_params(trial)
        scores = []
        for train, test in splits:
            model = xgb.XGBClassifier(n_jobs=2, tree_method="hist", random_state=args.seed,
                                      objective="multi:softprob" if classes > 2 else "binary:logistic", **params)
            model.fit(x[train], y[train])
            scores.append(float((model.predict(x[test]) == y[test]).mean()))
        return float(np.mean(scores))

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed))
    study.optimize(objective, timeout=max(1.0, args.train_time - (time.monotonic() - start)))
    elapsed = time.monotonic() - start
    print(f"optuna-tpe+xgboost {args.sample}: {args.train_time:.0f} s budget, ended after {elapsed:.1f} s; "
          f"{len(study.trials)} trials; best 5-fold CV accuracy {study.best_value:.4f} ({study.best_params})")


if __name__ == "__main__":
    main()
