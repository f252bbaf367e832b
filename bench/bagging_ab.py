"""Bagged fold models vs a refit on all rows, on identical trials, through the benchmark's outer folds.

Usage: /usr/bin/python3 bench/bagging_ab.py BENCHMARK_DIR TASKS [--trials 40] [--cli Cli/bin/Release/net10.0/mltoolkit.dll]
For each fold k of TASK.folds.json: `mltoolkit automl --max-trials N --bag true` on the other four folds (no time budget,
so the trial count is fixed) stores its study; `--bag false` on the same study then runs no new trial and refits the
chosen trials (ensemble selection included) on all rows. Both final models come from the same trials and are scored
on fold k. Prints one TSV row per fold and model, and the means.
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("benchmark")
parser.add_argument("tasks")
parser.add_argument("--trials", default="40")
parser.add_argument("--cli", default="Cli/bin/Release/net10.0/mltoolkit.dll")
args = parser.parse_args()

print("task\tfold\tmodel\ttest\tbest_trial", flush=True)
for task in args.tasks.split(","):
    folds = json.load(open(os.path.join(args.benchmark, f"{task}.folds.json")))
    path = os.path.join(args.benchmark, f"{task}.csv.gz")
    frame = pd.read_csv(path if os.path.exists(path) else os.path.join(args.benchmark, f"{task}.csv"))
    metric = "r_squared" if folds.get("task") == "regression" else "accuracy"
    scores = {"bagged": [], "refit": []}
    for k, test in enumerate(folds["test_rows"]):
        with tempfile.TemporaryDirectory(prefix=f"bagging-{task}-{k}-") as work:
            held = frame.index.isin(set(test))
            frame[~held].to_csv(os.path.join(work, "train.csv"), index=False)
            frame[held].to_csv(os.path.join(work, "test.csv"), index=False)
            for model, bag in (("bagged", "true"), ("refit", "false")):
                run = subprocess.run(["dotnet", args.cli, "automl", "--dataset", os.path.join(work, "train.csv"), "--label-col", folds["label"],
                                      "--test-dataset", os.path.join(work, "test.csv"), "--max-trials", args.trials, "--explain", "false",
                                      "--bag", bag, "--json", "-o", os.path.join(work, model), "--storage", os.path.join(work, "study.db")],
                                     capture_output=True, text=True, check=True)
                result = json.loads(run.stdout)
                test_metrics = result["test"]
                scores[model].append(test_metrics[metric] if metric in test_metrics else test_metrics["metrics"][metric])
                print(f"{task}\t{k}\t{model}\t{scores[model][-1]:.4f}\t{result['best']['trial']}", flush=True)
    print(f"{task}\tmean\tbagged\t{np.mean(scores['bagged']):.4f}\t", flush=True)
    print(f"{task}\tmean\trefit\t{np.mean(scores['refit']):.4f}\t", flush=True)
