"""Writes the Excel workbooks the tests read (Debian 12's /usr/bin/python3: pandas 1.5, openpyxl 3.0.9).

iris.xlsx: the built-in iris sample (Data/Samples/iris.csv.gz), every row and column as it is.
types.xlsx: 60 made-up rows with a date, a date-time, text with a comma and quotes, a Boolean, a number with
missing cells, and a weekend label. Run from the repository root:
    /usr/bin/python3 Tests/TestData/excel/make_workbooks.py
"""
import datetime as dt

import numpy as np
import pandas as pd

out = "Tests/TestData/excel/"
pd.read_csv("Data/Samples/iris.csv.gz").to_excel(out + "iris.xlsx", index=False)

days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(60)]
pd.DataFrame({
    "when": days,
    "stamp": [dt.datetime(2024, 1, 1, 8, 30) + dt.timedelta(hours=7 * i) for i in range(60)],
    "city": ["Malmö, SE" if i % 3 else 'Zürich "CH"' for i in range(60)],
    "flag": [bool(i % 2) for i in range(60)],
    "x": [np.nan if i % 7 == 0 else i * 0.5 for i in range(60)],
    "weekend": ["yes" if d.weekday() >= 5 else "no" for d in days],
}).to_excel(out + "types.xlsx", index=False)
