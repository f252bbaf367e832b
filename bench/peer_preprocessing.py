"""The preprocessing PEERS.md scores scikit-learn's default models behind: median impute + standard-scale the numeric
columns, most-frequent impute + one-hot the others; and the benchmark's loader. Shared by the bench scripts that compare
with those figures (../shared/datasets/benchmark/peers.py runs its benchmark on import, so it cannot be imported)."""
import json
import os

import pandas as pd
from sklearn.compose import make_column_transformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, OneHotEncoder


def prep():
    return make_column_transformer(
        (make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), make_column_selector(dtype_include='number')),
        (make_pipeline(SimpleImputer(strategy='most_frequent'), OneHotEncoder(handle_unknown='ignore', sparse_output=False)),
         make_column_selector(dtype_exclude='number')))


def load(directory, name):
    """(features, labels, folds.json) of a task; <name>.csv.gz, or <name>.csv as the outer loop exports digits."""
    path = f'{directory}/{name}.csv.gz'
    df = pd.read_csv(path if os.path.exists(path) else f'{directory}/{name}.csv')
    folds = json.load(open(f'{directory}/{name}.folds.json'))
    return df.drop(columns=folds['label']), df[folds['label']], folds
