"""Final-model variants on identical trials, through the benchmark's outer folds.

Usage: python3 bench/ensemble_replay.py BENCHMARK_DIR TASKS [--train-time 30] [--variant NAME=OTHER_BUILD/mltoolkit.dll ...]
       [--cli Cli/bin/Release/net10.0/mltoolkit.dll]
For each fold k of TASK.folds.json: `mltoolkit automl --train-time T` on the other four folds stores its study (the
figure the outer loop reports, row "search"); then, per variant, `--max-trials N` on the same study (N = the trials
stored) runs no new trial and only selects and refits the final model, without a time limit, so the variants differ in
the final model alone ("replay" is --cli, each variant another build of the CLI, e.g. an older commit's). Each is
scored on fold k.
Prints one TSV row per fold and variant, and the means.
"""
import argparse
import gzip
import json
import os
import sqlite3
import statistics
import subprocess
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("benchmark")
parser.add_argument("tasks")
parser.add_argument("--train-time", default="30")
parser.add_argument("--variant", action="append", default=[])
parser.add_argument("--cli", default="Cli/bin/Release/net10.0/mltoolkit.dll")
args = parser.parse_args()
variants = [("replay", args.cli)] + [tuple(v.split("=", 1)) for v in args.variant]


def automl(work, label, regression, extra, cli=args.cli):
    command = ["dotnet", cli, "automl", "--dataset", os.path.join(work, "train.csv"), "--label-col", label,
               "--test-dataset", os.path.join(work, "test.csv"), "--explain", "false", "--json",
               "--storage", os.path.join(work, "study.db")] + (["--task", "regression"] if regression else []) + extra
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(run.stderr)
    return json.loads(run.stdout)


def ensemble(result):
    return "+".join(str(m["trial"]) for m in result["ensemble"]["members"]) if result.get("ensemble") else "-"


print("task\tfold\tvariant\ttest\ttrials\tbest_trial\tensemble", flush=True)
for task in args.tasks.split(","):
    folds = json.load(open(os.path.join(args.benchmark, f"{task}.folds.json")))
    path = os.path.join(args.benchmark, f"{task}.csv.gz")
    with (gzip.open(path, "rt", encoding="utf-8") if os.path.exists(path) else open(os.path.join(args.benchmark, f"{task}.csv"), encoding="utf-8")) as source:
        header, *lines = [line for line in source.read().splitlines() if line]
    regression = folds.get("task") == "regression"
    metric = "r_squared" if regression else "accuracy"
    scores = {}
    for k, test in enumerate(folds["test_rows"]):
        with tempfile.TemporaryDirectory(prefix=f"replay-{task}-{k}-") as work:
            held = set(test)
            for name, keep in (("train.csv", False), ("test.csv", True)):
                with open(os.path.join(work, name), "w", encoding="utf-8") as target:
                    target.write("\n".join([header] + [line for i, line in enumerate(lines) if (i in held) == keep]) + "\n")
            search = automl(work, folds["label"], regression, ["--train-time", args.train_time, "-o", os.path.join(work, "search")])
            # Every stored trial counts towards --max-trials, the one the deadline cancelled too.
            with sqlite3.connect(os.path.join(work, "study.db")) as study:
                trials = study.execute("SELECT COUNT(*) FROM trials").fetchone()[0]
            rows = [("search", search)]
            for name, cli in variants:
                rows.append((name, automl(work, folds["label"], regression, ["--max-trials", str(trials), "-o", os.path.join(work, name)], cli)))
            for name, result in rows:
                scores.setdefault(name, []).append(result["test"]["metrics"][metric])
                print(f"{task}\t{k}\t{name}\t{scores[name][-1]:.4f}\t{result['trials']}\t{result['best']['trial']}\t{ensemble(result)}", flush=True)
    for name, values in scores.items():
        print(f"{task}\tmean\t{name}\t{statistics.fmean(values):.4f}\t\t\t", flush=True)
