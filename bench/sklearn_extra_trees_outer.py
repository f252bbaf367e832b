#!/usr/bin/python3
"""scikit-learn's default ExtraTreesClassifier (100 trees) on the outer folds of benchmark tasks, behind the same
preprocessing as PEERS.md (median impute + scale numbers, most-frequent impute + one-hot categories), for seeds 0-2.
Compares its cut rule (uniform over a node's value range) with ours (a random bin between the node's lowest and highest).
Run: /usr/bin/python3 bench/sklearn_extra_trees_outer.py DIR name [name ...]
DIR holds <name>.csv.gz (or .csv, as the outer loop exports digits) and <name>.folds.json."""
import sys, warnings
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import ExtraTreesClassifier
from peer_preprocessing import prep, load
warnings.filterwarnings('ignore')

d = sys.argv[1]
for name in sys.argv[2:]:
    X, y, folds = load(d, name)
    for seed in (0, 1, 2):
        scores = []
        for test in folds['test_rows']:
            mask = np.zeros(len(y), bool)
            mask[test] = True
            model = make_pipeline(prep(), ExtraTreesClassifier(100, n_jobs=2, random_state=seed)).fit(X[~mask], y[~mask])
            scores.append(float((model.predict(X[mask]) == y[mask].values).mean()))
        print(name, 'sklearn extra-trees seed', seed, ' '.join(f'{v:.4f}' for v in scores), 'mean %.4f' % np.mean(scores), flush=True)
