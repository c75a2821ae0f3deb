"""A synthetic labelled table of 48 columns, for the speed goals of a
detector of a table other than NSL-KDD (issue 32, item 6).

None of the project's tables but NSL-KDD has 40 columns or more (satimage,
the widest, has 36; BoT-IoT's release 10 features), so the speed of a wide
detector is measured on this one as well, and labelled synthetic wherever
its figures appear. It is scikit-learn's ``make_classification``: 44
numeric columns (20 informative, 10 redundant, the rest noise), five
imbalanced classes, and 4 categorical columns made from 4 more of its
columns cut into 3 to 12 letters, so that the one-hot path of a detector
is measured too. Numbers are written with 6 significant digits, as flow
exporters write theirs (17-digit decimals are read exactly too, by Python's
parser, and cost ``predict`` about three times the reading time).

    python benchmarks/wide_table.py --out wide.csv            # 60,000 rows
    imblearn-vae train wide.csv --label class --out wide.model \\
        --classifier sklearn.ensemble.ExtraTreesClassifier:n_estimators=10
    python benchmarks/load_test.py --model wide.model --table wide.csv
    python benchmarks/predict_speed.py --model wide.model --table wide.csv
"""

import argparse
import string
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

#: Numeric and categorical columns.
NUMBERS, CATEGORIES = 44, 4


def wide_table(rows: int, seed: int = 0) -> pd.DataFrame:
    """The table: ``x0`` ... ``x43``, ``c0`` ... ``c3``, then ``class``."""
    X, y = make_classification(
        n_samples=rows, n_features=NUMBERS + CATEGORIES, n_informative=20,
        n_redundant=10, n_classes=5, n_clusters_per_class=2,
        weights=[0.6, 0.25, 0.1, 0.04, 0.01], random_state=seed,
    )  # fmt: skip
    frame = pd.DataFrame(X[:, :NUMBERS], columns=[f"x{i}" for i in range(NUMBERS)])
    for j in range(CATEGORIES):
        column = X[:, NUMBERS + j]
        letters = np.array(list(string.ascii_lowercase[: 3 * (j + 1)]))
        edges = np.quantile(column, np.linspace(0, 1, len(letters) + 1)[1:-1])
        frame[f"c{j}"] = letters[np.searchsorted(edges, column)]
    frame["class"] = np.array(["normal", "dos", "probe", "r2l", "u2r"])[y]
    return frame


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the CSV file")
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    wide_table(args.rows, args.seed).to_csv(args.out, index=False, float_format="%.6g")
    print(f"wrote {args.out}: {args.rows:,} rows, {NUMBERS + CATEGORIES} columns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
