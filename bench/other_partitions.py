"""Writes a benchmark task again under new 5-fold partitions, so that the outer loops can be run on folds other than
the fixed ones of <name>.folds.json: OUT/<name>_p<s>.csv.gz and OUT/<name>_p<s>.folds.json for each seed s
(scikit-learn's StratifiedKFold, shuffled with random_state s; KFold for regression). Then run `MlToolkit.Bench
outer-loop`, bench/optuna_xgboost_outer.py and the benchmark's peers.py on OUT.

Usage: /usr/bin/python3 bench/other_partitions.py BENCHMARK_DIR NAME OUT [--seeds 1,2,3,4]
"""
import argparse
import json
import os
import shutil

import pandas as pd
from sklearn.model_selection import KFold, StratifiedKFold

parser = argparse.ArgumentParser()
parser.add_argument('benchmark')
parser.add_argument('name')
parser.add_argument('out')
parser.add_argument('--seeds', default='1,2,3,4')
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
fixed = json.load(open(f'{args.benchmark}/{args.name}.folds.json'))
data = pd.read_csv(f'{args.benchmark}/{args.name}.csv.gz')
labels = data[fixed['label']]
for seed in (int(s) for s in args.seeds.split(',')):
    task = f'{args.name}_p{seed}'
    shutil.copy(f'{args.benchmark}/{args.name}.csv.gz', f'{args.out}/{task}.csv.gz')
    splitter = KFold(5, shuffle=True, random_state=seed) if fixed['task'] == 'regression' else StratifiedKFold(5, shuffle=True, random_state=seed)
    folds = [test.tolist() for _, test in splitter.split(data, None if fixed['task'] == 'regression' else labels)]
    json.dump({**fixed, 'test_rows': folds}, open(f'{args.out}/{task}.folds.json', 'w'))
    print(task)
