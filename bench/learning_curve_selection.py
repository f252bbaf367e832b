"""Does a model's learning curve explain soybean's miss? For each outer fold of a benchmark task, scikit-learn's default
models (logistic regression, extra-trees and random forest of 300 trees, SVC, HistGradientBoosting, behind PEERS.md's
preprocessing) are scored by 10-fold CV inside the training rows twice: trained on each inner training fold, and on a
random half of it. The score extrapolated to all training rows (linear in log rows) is set beside the plain CV score,
and each rule's pick is scored on the outer fold.

Usage: /usr/bin/python3 bench/learning_curve_selection.py BENCHMARK_DIR NAME [NAME ...]
"""
import sys
import warnings

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from peer_preprocessing import load, prep

warnings.filterwarnings('ignore')
MODELS = {'logreg': lambda: LogisticRegression(max_iter=3000), 'extra': lambda: ExtraTreesClassifier(300, n_jobs=2, random_state=0),
          'forest': lambda: RandomForestClassifier(300, n_jobs=2, random_state=0), 'svc': lambda: SVC(),
          'hgb': lambda: HistGradientBoostingClassifier(random_state=0)}


def accuracy(model, x_train, y_train, x_test, y_test):
    return float((make_pipeline(prep(), model()).fit(x_train, y_train).predict(x_test) == y_test.values).mean())


def scores(model, x, y):
    """(10-fold CV accuracy, the same on half of each training fold, extrapolated to len(x) rows)."""
    full, half = [], []
    for train, test in StratifiedKFold(10, shuffle=True, random_state=0).split(x, y):
        halved = np.random.RandomState(1).choice(train, len(train) // 2, replace=False)
        full.append(accuracy(model, x.iloc[train], y.iloc[train], x.iloc[test], y.iloc[test]))
        half.append(accuracy(model, x.iloc[halved], y.iloc[halved], x.iloc[test], y.iloc[test]))
    cv, halved = np.mean(full), np.mean(half)
    return cv, halved, cv + (cv - halved) * np.log(1 / 0.9) / np.log(2)


for name in sys.argv[2:]:
    features, labels, folds = load(sys.argv[1], name)
    picks = []
    for k, test_rows in enumerate(folds['test_rows']):
        mask = np.zeros(len(labels), bool)
        mask[test_rows] = True
        x, y = features[~mask].reset_index(drop=True), labels[~mask].reset_index(drop=True)
        result = {m: (*scores(make, x, y), accuracy(make, x, y, features[mask], labels[mask])) for m, make in MODELS.items()}
        for m, (cv, halved, extrapolated, outer) in result.items():
            print(f'{name}\t{k}\t{m}\tcv {cv:.4f}\thalf {halved:.4f}\textrapolated {extrapolated:.4f}\touter {outer:.4f}', flush=True)
        by_cv, by_curve = max(result, key=lambda m: result[m][0]), max(result, key=lambda m: result[m][2])
        picks.append((result[by_cv][3], result[by_curve][3]))
        print(f'{name}\t{k}\tpicked by CV: {by_cv} {result[by_cv][3]:.4f}\tby the curve: {by_curve} {result[by_curve][3]:.4f}', flush=True)
    print(f'{name}\tmean\tpicked by CV {np.mean([p[0] for p in picks]):.4f}\tby the curve {np.mean([p[1] for p in picks]):.4f}', flush=True)
