#!/usr/bin/env bash
# Rebuilds imdb_sample.tsv.gz: the first 1,000 positive and first 1,000 negative reviews of the IMDB
# training half (Label<TAB>Text), interleaved so that any prefix stays balanced. Deterministic.
set -euo pipefail
src=${1:?usage: make_imdb_sample.sh path/to/imdb_train.tsv.gz}
here=$(cd "$(dirname "$0")" && pwd)
zcat "$src" | awk -F'\t' '
  NR == 1 { print; next }
  $1 == "positive" && p < 1000 { pos[p++] = $0 }
  $1 == "negative" && n < 1000 { neg[n++] = $0 }
  END { for (i = 0; i < 1000; i++) { print pos[i]; print neg[i] } }' | gzip -9 -n > "$here/imdb_sample.tsv.gz"
