"""Blend rules compared on identical refit pools (issue 13, session 35).

Input: an outer-loop table (its per-fold rows, in order) and the folder of pool dumps a build with
bench/pool-dump-2026-12-04.patch wrote while that table ran (MLTOOLKIT_POOL_DUMP=FOLDER), one JSON per fold in the
same order: every pool trial's out-of-fold predictions, its test predictions after a refit on all training rows, both
label vectors and the weights of the blend AutoML shipped. Each rule is applied to the same pool and scored on the
outer fold, so the rules differ only in how they weigh the same models.

usage: /usr/bin/python3 bench/pool_blend_rules.py OUTER_LOOP_TSV DUMP_FOLDER [PER_FOLD_TSV]
"""
import glob
import json
import sys

import numpy as np
from scipy.optimize import nnls
from sklearn.linear_model import LogisticRegression

# bench/README.md: scikit-learn's best default per task (PEERS.md) and Optuna + XGBoost at 30 s (session 24, side by side).
PEERS = {'attrition': 0.8755, 'boston_housing': 0.8458, 'cells': 0.8247, 'concrete': 0.9266, 'glass': 0.8082, 'hpc_jobs': 0.8492,
         'ionosphere': 0.9403, 'lending_club': 0.9476, 'pima_diabetes': 0.7657, 'shuttle': 0.9998, 'sonar': 0.8466,
         'soybean': 0.9532, 'vehicle': 0.7896, 'vowel': 0.9545, 'wa_churn': 0.8038, 'digits': 0.988}
OPTUNA = {'attrition': 0.8803, 'boston_housing': 0.8474, 'cells': 0.8266, 'concrete': 0.9414, 'digits': 0.9610, 'glass': 0.7615,
          'hpc_jobs': 0.8372, 'ionosphere': 0.9317, 'lending_club': 0.9476, 'pima_diabetes': 0.7566, 'shuttle': 0.9961,
          'sonar': 0.8462, 'soybean': 0.9517, 'vehicle': 0.7695, 'vowel': 0.9101, 'wa_churn': 0.8024}
ROUNDS, BAGS, LEAST_WEIGHT, SEEDS = 25, 20, 1 / 25, 5


def load(path):
    d = json.load(open(path))
    yo, yt = np.array(d['oofLabels']), np.array(d['testLabels'])
    width = d['members'][0]['width']
    members = [m for m in d['members'] if m['width'] == width and len(m['oof']) == len(yo) * width]
    return dict(reg=d['task'] == 'Regression', yo=yo, yt=yt, width=width, maximize=d['maximize'], shipped=d['shipped'],
                winner=d['winner'], info=[(m['trial'], m['trainer'], m['value']) for m in members],
                O=np.array([np.reshape(m['oof'], (len(yo), width)) for m in members]),
                T=np.array([np.reshape(m['test'], (len(yt), width)) for m in members]))


def targets(y, width):
    if width == 1:
        return y.reshape(-1, 1)
    t = np.zeros((len(y), width))
    t[np.arange(len(y)), y.astype(int)] = 1
    return t


def brier(p, t):
    return ((p - t) ** 2).sum(1).mean()


def score(p, y, reg):
    if reg:
        return 1 - ((p[:, 0] - y) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    return ((p[:, 0] > 0.5) == (y == 1)).mean() if p.shape[1] == 1 else (p.argmax(1) == y).mean()


def blend(x, weights):
    return sum(x[k] * v for k, v in weights.items()) / sum(weights.values())


def greedy(o, t, rows=None):
    """Caruana's forward selection with replacement on the Brier score (squared error for regression); the best blend seen."""
    if rows is not None:
        o, t = o[:, rows], t[rows]
    total, counts, best = np.zeros_like(o[0]), {}, (np.inf, None)
    for r in range(1, ROUNDS + 1):
        losses = [brier((total + c) / r, t) for c in o]
        pick = int(np.argmin(losses))
        total += o[pick]
        counts[pick] = counts.get(pick, 0) + 1
        if losses[pick] < best[0]:
            best = (losses[pick], dict(counts))
    n = sum(best[1].values())
    return {k: v / n for k, v in best[1].items()}


def beats_best_single(o, t, weights):
    return weights is not None and len(weights) >= 2 and brier(blend(o, weights), t) < min(brier(c, t) for c in o)


def bagged(o, t, seed, bootstrap_rows):
    """The shipped rule (EnsembleBuilder): bags over a random half of the candidates, or here optionally over a bootstrap of the rows."""
    rng, weights = np.random.default_rng(seed), {}
    for _ in range(BAGS):
        rows = rng.integers(0, o.shape[1], o.shape[1]) if bootstrap_rows else None
        chosen = np.arange(len(o)) if bootstrap_rows else rng.permutation(len(o))[:max(2, (len(o) + 1) // 2)]
        for k, v in greedy(o[chosen], t, rows).items():
            weights[int(chosen[k])] = weights.get(int(chosen[k]), 0) + v / BAGS
    weights = {k: v for k, v in weights.items() if v >= LEAST_WEIGHT - 1e-12}
    if beats_best_single(o, t, weights):
        return weights
    single = greedy(o, t)
    return single if beats_best_single(o, t, single) else None


def rules(d):
    o, test, reg, y = d['O'], d['T'], d['reg'], d['yt']
    t = targets(d['yo'], d['width'])
    best = int(np.argmax([v for *_, v in d['info']]) if d['maximize'] else np.argmin([v for *_, v in d['info']]))
    index = {trial: i for i, (trial, *_) in enumerate(d['info'])}

    def on_test(weights):
        return score(blend(test, weights), y, reg) if weights else score(test[best], y, reg)

    family_bests = {}
    for i, (_, trainer, _) in enumerate(d['info']):
        family_bests.setdefault(trainer, i)  # the pool is best first
    by_brier = sorted(family_bests.values(), key=lambda i: brier(o[i], t))
    shipped = {index[int(k)]: v for k, v in d['shipped'].items()} if d['shipped'] else None
    half = {k: 0.5 * v for k, v in (shipped or {best: 1.0}).items()}
    for i in family_bests.values():
        half[i] = half.get(i, 0) + 0.5 / len(family_bests)
    nonneg = dict((i, w) for i, w in enumerate(nnls(o.reshape(len(o), -1).T, t.reshape(-1))[0]) if w > 1e-9)
    result = {
        'shipped': on_test(shipped),
        'best_single': score(test[best], y, reg),
        'shipped_rule_5_seeds': np.mean([on_test(bagged(o, t, s, False)) for s in range(SEEDS)]),
        'row_bootstrap_bags_5_seeds': np.mean([on_test(bagged(o, t, s, True)) for s in range(SEEDS)]),
        'one_greedy': on_test((lambda w: w if beats_best_single(o, t, w) else None)(greedy(o, t))),
        'nnls_weights': score(sum(test[k] * v for k, v in nonneg.items()), y, reg) if reg else on_test(nonneg),
        'family_bests_uniform': on_test({i: 1.0 for i in family_bests.values()}),
        'top3_family_bests': on_test({i: 1.0 for i in by_brier[:3]}),
        'top4_family_bests': on_test({i: 1.0 for i in by_brier[:4]}),
        'half_shipped_half_families': on_test(half),
    }
    if not reg:
        x = [np.log(np.clip(np.concatenate(list(a), 1), 1e-6, 1)) for a in (o, test)]
        stack = LogisticRegression(max_iter=3000).fit(x[0], d['yo'].astype(int))
        result['stacked_logistic'] = float((stack.predict(x[1]) == y).mean())
    else:
        result['stacked_logistic'] = float('nan')
    return result


def main(table, folder, per_fold=None):
    rows = [r.split('\t') for r in open(table).read().splitlines()[1:]]
    rows = [r for r in rows if r[1] != 'mean' and r[3] != 'failed']
    dumps = sorted(glob.glob(folder + '/*.json'))
    if len(dumps) != len(rows):
        sys.exit(f'{len(rows)} fold rows in {table}, {len(dumps)} dumps in {folder}: they must pair up in order')
    scores, out = {}, open(per_fold, 'w') if per_fold else None
    for (task, fold, _, reported, *_), path in zip(rows, dumps):
        r = rules(load(path))
        if abs(r['shipped'] - float(reported)) > 0.01:
            print(f'warning: {task} fold {fold}: shipped weights give {r["shipped"]:.4f}, the table {reported}', file=sys.stderr)
        scores.setdefault(task, []).append(r)
        if out:
            if out.tell() == 0:
                out.write('task\tfold\t' + '\t'.join(r) + '\n')
            out.write(f'{task}\t{fold}\t' + '\t'.join(f'{v:.4f}' for v in r.values()) + '\n')
    names = list(next(iter(scores.values()))[0])
    print('task\t' + '\t'.join(names) + '\tscikit-learn\toptuna')
    for task, folds in scores.items():
        print(task + '\t' + '\t'.join(f'{np.mean([f[n] for f in folds]):.4f}' for n in names) + f'\t{PEERS[task]:.4f}\t{OPTUNA[task]:.4f}')
    for n in names:
        means = {task: np.mean([f[n] for f in folds]) for task, folds in scores.items()}
        print(f'{n}: >= scikit-learn on {sum(round(m, 4) >= PEERS[t] for t, m in means.items())} of {len(means)}, '
              f'>= Optuna on {sum(round(m, 4) >= OPTUNA[t] for t, m in means.items())}')


if __name__ == '__main__':
    main(*sys.argv[1:])
