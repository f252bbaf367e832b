#!/usr/bin/python3
"""What a scikit-learn user gets who tries PEERS.md's five default models and keeps the one with the best 5-fold CV
score on the training rows, on the outer folds of the benchmark: AutoML's situation, which cannot see the test fold.
PEERS.md's "best" column instead picks, per task, the model with the best mean over the test folds themselves.
Prints, per task, each default's outer mean (the PEERS.md figures), the best of them in hindsight, and the CV-chosen
default's fold scores, choices and mean, as tab-separated rows.
Run: /usr/bin/python3 bench/sklearn_cv_selected_default.py DIR name [name ...]
DIR holds <name>.csv.gz (or .csv, as the outer loop exports digits) and <name>.folds.json."""
import sys, warnings
import numpy as np
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import StratifiedKFold, KFold
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.svm import SVC, SVR
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.metrics import r2_score
from peer_preprocessing import prep, load
warnings.filterwarnings('ignore')


def defaults(regression, name):
    """PEERS.md's models, as peers.py builds them (no SVC on shuttle there)."""
    models = ([('hist_gb', HistGradientBoostingRegressor(random_state=0)), ('random_forest', RandomForestRegressor(300, n_jobs=2, random_state=0)),
               ('svr', SVR()), ('ridge', Ridge()), ('knn', KNeighborsRegressor())] if regression else
              [('hist_gb', HistGradientBoostingClassifier(random_state=0)), ('random_forest', RandomForestClassifier(300, n_jobs=2, random_state=0)),
               ('svc', SVC()), ('logreg', LogisticRegression(max_iter=3000)), ('knn', KNeighborsClassifier())])
    return [(n, m) for n, m in models if not (name == 'shuttle' and n == 'svc')]


def score(model, X, y, train, test, regression):
    fitted = make_pipeline(prep(), clone(model)).fit(X.iloc[train], y.iloc[train])
    predicted = fitted.predict(X.iloc[test])
    return r2_score(y.iloc[test], predicted) if regression else float((predicted == y.iloc[test].values).mean())


def inner_cv(model, X, y, rows, regression):
    splitter = KFold(5, shuffle=True, random_state=0) if regression else StratifiedKFold(5, shuffle=True, random_state=0)
    return np.mean([score(model, X, y, rows[a], rows[b], regression)
                    for a, b in splitter.split(rows, None if regression else y.iloc[rows])])


d = sys.argv[1]
print('task\tmetric\t' + 'per-default outer means\tbest in hindsight\tCV-chosen per fold\tCV-chosen models\tCV-chosen mean', flush=True)
for name in sys.argv[2:]:
    X, y, folds = load(d, name)
    regression = folds.get('task') == 'regression'
    models = defaults(regression, name)
    outer = {n: [] for n, _ in models}
    chosen, chosen_scores = [], []
    for test in folds['test_rows']:
        mask = np.zeros(len(y), bool)
        mask[test] = True
        train_rows, test_rows = np.flatnonzero(~mask), np.flatnonzero(mask)
        for n, m in models:
            outer[n].append(score(m, X, y, train_rows, test_rows, regression))
        pick = max(models, key=lambda nm: inner_cv(nm[1], X, y, train_rows, regression))[0]
        chosen.append(pick)
        chosen_scores.append(outer[pick][-1])
    means = {n: np.mean(v) for n, v in outer.items()}
    best = max(means, key=means.get)
    print(f"{name}\t{'r_squared' if regression else 'accuracy'}\t" + ' '.join(f'{n} {v:.4f}' for n, v in means.items())
          + f'\t{best} {means[best]:.4f}\t' + ' '.join(f'{v:.4f}' for v in chosen_scores) + '\t' + ','.join(chosen)
          + f'\t{np.mean(chosen_scores):.4f}', flush=True)
