#!/usr/bin/python3
"""scikit-learn's default ExtraTreesClassifier (100 trees) on the outer folds of benchmark tasks, behind the same
preprocessing as PEERS.md (median impute + scale numbers, most-frequent impute + one-hot categories), for seeds 0-2.
Compares its cut rule (uniform over a node's value range) with ours (a random bin between the node's lowest and highest).
Run: /usr/bin/python3 bench/sklearn_extra_trees_outer.py DIR name [name ...]
DIR holds <name>.csv.gz (or .csv, as the outer loop exports digits) and <name>.folds.json."""
import os, sys, json, warnings
import numpy as np, pandas as pd
from sklearn.compose import make_column_transformer, make_column_selector
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.ensemble import ExtraTreesClassifier
warnings.filterwarnings('ignore')


def prep():
    return make_column_transformer(
        (make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), make_column_selector(dtype_include='number')),
        (make_pipeline(SimpleImputer(strategy='most_frequent'), OneHotEncoder(handle_unknown='ignore', sparse_output=False)),
         make_column_selector(dtype_exclude='number')))


d = sys.argv[1]
for name in sys.argv[2:]:
    path = f'{d}/{name}.csv.gz'
    df = pd.read_csv(path if os.path.exists(path) else f'{d}/{name}.csv')
    folds = json.load(open(f'{d}/{name}.folds.json'))
    y = df[folds['label']]
    X = df.drop(columns=folds['label'])
    for seed in (0, 1, 2):
        scores = []
        for test in folds['test_rows']:
            mask = np.zeros(len(y), bool)
            mask[test] = True
            model = make_pipeline(prep(), ExtraTreesClassifier(100, n_jobs=2, random_state=seed)).fit(X[~mask], y[~mask])
            scores.append(float((model.predict(X[mask]) == y[mask].values).mean()))
        print(name, 'sklearn extra-trees seed', seed, ' '.join(f'{v:.4f}' for v in scores), 'mean %.4f' % np.mean(scores), flush=True)
