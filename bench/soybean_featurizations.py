"""Logistic regression on soybean under other featurizations, and what a 10-fold inner CV on each outer training set
says of it beside extra-trees: the fixed folds of soybean.folds.json and four stratified partitions (seeds 1-4, as
bench/other_partitions.py makes them). Prints per partition each model's outer accuracy and its mean inner CV score.

Usage: /usr/bin/python3 bench/soybean_featurizations.py BENCHMARK_DIR
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import OneHotEncoder, StandardScaler

warnings.filterwarnings('ignore')
benchmark = sys.argv[1]
data = pd.read_csv(f'{benchmark}/soybean.csv.gz')
X, y = data.drop(columns='Class'), data['Class']
fixed = json.load(open(f'{benchmark}/soybean.folds.json'))


def scaled():
    return make_pipeline(SimpleImputer(strategy='median'), StandardScaler())


def codes_one_hot():
    return make_pipeline(SimpleImputer(strategy='constant', fill_value=-1), OneHotEncoder(handle_unknown='ignore'))


MODELS = {
    'logreg (as PEERS.md)': lambda: make_pipeline(scaled(), LogisticRegression(max_iter=2000)),
    'logreg + missing indicators': lambda: make_pipeline(make_union(scaled(), MissingIndicator(features='all')), LogisticRegression(max_iter=2000)),
    'logreg on one-hot codes': lambda: make_pipeline(codes_one_hot(), LogisticRegression(max_iter=2000)),
    'logreg on both': lambda: make_pipeline(make_union(scaled(), codes_one_hot()), LogisticRegression(max_iter=2000)),
    'extra-trees': lambda: make_pipeline(SimpleImputer(strategy='median'), ExtraTreesClassifier(random_state=0)),
}


def partitions():
    yield 'fixed', [np.array(rows) for rows in fixed['test_rows']]
    for seed in (1, 2, 3, 4):
        yield f'seed {seed}', [test for _, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y)]


print('| partition | ' + ' | '.join(MODELS) + ' |')
print('|---|' + '---|' * len(MODELS))
for name, tests in partitions():
    cells = []
    for make in MODELS.values():
        outer, inner = [], []
        for test in tests:
            train = np.setdiff1d(np.arange(len(data)), test)
            model = make().fit(X.iloc[train], y.iloc[train])
            outer.append((model.predict(X.iloc[test]) == y.iloc[test]).mean())
            inner.append(cross_val_score(make(), X.iloc[train], y.iloc[train], cv=StratifiedKFold(10, shuffle=True, random_state=0)).mean())
        cells.append(f'{np.mean(outer):.4f} ({np.mean(inner):.4f})')
    print(f'| {name} | ' + ' | '.join(cells) + ' |', flush=True)
