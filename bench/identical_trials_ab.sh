#!/bin/bash
# A/B of a change to what happens after the search (refit, ensemble) on identical trials, per outer fold.
# usage: bench/identical_trials_ab.sh LABEL MLTOOLKIT_DLL BENCHMARK_DIR TASK TRIALS WORK_DIR
# The first LABEL run searches TRIALS trials with no time budget (reproducible) into WORK_DIR/TASK-k/study.db; a later run
# with another build and label reuses those trials (the trial budget is already reached) and only refits and ensembles.
# Prints: task, fold, label, test accuracy, trials, best trainer, ensemble members.
set -euo pipefail
label=$1; cli=$2; bench=$3; task=$4; trials=$5; work=$6
for k in 0 1 2 3 4; do
  d=$work/$task-$k; mkdir -p "$d"
  if [ ! -f "$d/train.csv" ]; then
    /usr/bin/python3 - "$bench" "$task" "$k" "$d" <<'PY'
import json, gzip, sys
bench, task, k, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
folds = json.load(open(f"{bench}/{task}.folds.json"))
lines = gzip.open(f"{bench}/{task}.csv.gz", "rt").read().splitlines()
header, rows, test = lines[0], [l for l in lines[1:] if l], set(folds["test_rows"][k])
open(f"{d}/train.csv", "w").write("\n".join([header] + [r for i, r in enumerate(rows) if i not in test]) + "\n")
open(f"{d}/test.csv", "w").write("\n".join([header] + [r for i, r in enumerate(rows) if i in test]) + "\n")
open(f"{d}/label", "w").write(folds["label"])
PY
  fi
  rm -rf "$d/out-$label"
  dotnet "$cli" automl --dataset "$d/train.csv" --label-col "$(cat "$d/label")" --test-dataset "$d/test.csv" --max-trials "$trials" \
    --storage "$d/study.db" -o "$d/out-$label" --json --explain false > "$d/$label.json" 2> "$d/$label.err"
  /usr/bin/python3 - "$d/$label.json" "$task" "$k" "$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); e = r.get("ensemble")
members = "+".join(str(m["trial"]) for m in e["members"]) if e else "-"
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{sys.argv[4]}\t{r['test']['metrics']['accuracy']:.4f}\t{r['trials']}\t{r['best']['trainer']}\t{members}")
PY
done
