"""What the benchmark scripts share."""

import os
from pathlib import Path

from imblearn_vae.datasets import DATA_HOME_ENV

REPO_ROOT = Path(__file__).resolve().parents[1]


def default_data_home() -> str | Path | None:
    """``$IMBLEARN_VAE_DATA``, else ``../shared/data`` next to the checkout.

    None when neither exists: the loader then uses its own default folder.
    """
    shared = REPO_ROOT.parent / "shared" / "data"
    return os.environ.get(DATA_HOME_ENV) or (shared if shared.is_dir() else None)


def markdown(rows: list[dict]) -> str:
    """A Markdown table of dict rows (floats with thousands separators, 1 decimal).

    The columns are every key of any row, in order of appearance; a row
    without one shows "-".
    """
    keys = list(dict.fromkeys(key for row in rows for key in row))
    lines = ["| " + " | ".join(keys) + " |", "|---" * len(keys) + "|"]
    for row in rows:
        values = [row.get(key, "-") for key in keys]
        cells = [f"{v:,.1f}" if isinstance(v, float) else str(v) for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table_rows(model, table, n: int | None = None):
    """The model's feature columns of a table's first ``n`` rows (all: None),
    as a frame: categories as text, as a user's file gives them.

    For a detector of a table other than NSL-KDD (``--model M --table T``);
    the table's other columns (its label, identifiers) are left out.
    """
    import pandas as pd

    from imblearn_vae.detector import load_detector

    features = load_detector(model).features
    text = {f.name: str for f in features if f.kind == "categorical"}
    separator = "\t" if str(table).endswith(".tsv") else ","
    frame = pd.read_csv(table, dtype=text, nrows=n, sep=separator,
                        encoding="utf-8-sig")  # fmt: skip
    return frame[[f.name for f in features]]
