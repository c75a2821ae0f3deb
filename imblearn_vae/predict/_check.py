"""The detector's input checks, a whole batch of rows at a time.

There is one rule for what a valid value is: the detector's own
(:func:`imblearn_vae.detector.check_value`), which
:meth:`~imblearn_vae.detector.Detector.check_rows` applies to every cell and
the web form and the API apply through the site's
:meth:`~imblearn_vae.web.scoring.Scorer.check`. This module only adds a fast
path for a table: numpy finds the cells that certainly pass (a number
parsed by pandas that is finite, whole and exact where it must be an integer,
and within the feature's bounds; a category spelt exactly as in training).
Every other cell goes, as it was written, to the detector's rule, which gives
the message, or accepts the value (``" tcp"``, ``"1_000"``) where the fast
path was only unsure. A number that passes is the one the rule would give:
where pandas' parser may round differently from Python's ``float``, the
reader says so (``doubtful``) and the rule reads the text.
"""

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..detector import LABEL_COLUMNS, Feature, check_value

INT64_MAX = np.iinfo(np.int64).max


class InputError(ValueError):
    """Input that cannot be read at all: no header, a column missing, ..."""


def check_header(names: list[str], features: list[Feature], where: str) -> None:
    """Refuse a header that lacks a model column, repeats one or adds others.

    Label columns (:data:`~imblearn_vae.detector.LABEL_COLUMNS`) are allowed
    and ignored, as in the web application's upload.

    Raises
    ------
    InputError
        Naming the columns, and `where` (a file and line).
    """
    wanted = [f.name for f in features]
    if not set(wanted) & set(names):
        raise InputError(
            f"{where}: no header of the model's column names (such as "
            f"{', '.join(wanted[:4])}, ...)"
        )
    if missing := [n for n in wanted if n not in names]:
        raise InputError(f"{where}: missing column(s) {', '.join(missing)}")
    if twice := sorted({n for n in names if names.count(n) > 1}):
        raise InputError(f"{where}: column(s) named twice: {', '.join(twice)}")
    known = set(wanted)
    unknown = [n for n in names if n not in known and n.lower() not in LABEL_COLUMNS]
    if unknown:
        raise InputError(
            f"{where}: unknown column(s) {', '.join(map(repr, unknown))}; the model "
            f"reads {len(wanted)} columns (and ignores the label columns "
            f"{', '.join(LABEL_COLUMNS)})"
        )


def check_frame(
    features: list[Feature],
    frame: pd.DataFrame,
    cell: Callable[[int, str], object] | None = None,
    doubtful: Callable[[str], np.ndarray | None] | None = None,
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str, str]]]:
    """The valid rows in the detector's types, and what is wrong with the others.

    Parameters
    ----------
    features : list of Feature
        The detector's schema.
    frame : pandas.DataFrame
        The raw values: text or numbers as read, a column per feature.
    cell : callable, optional
        ``cell(position, name)``: the value of a cell as it was written (the
        text of a CSV cell), for the cells that the detector's rule decides.
        Default: the value in `frame`.
    doubtful : callable, optional
        ``doubtful(name)``: the cells of a numeric column whose value may
        differ from their text's in the last bit (None: none); the rule
        reads them from their text.

    Returns
    -------
    valid : pandas.DataFrame
        The rows without a problem, in the feature order, with the dtypes of
        :meth:`~imblearn_vae.detector.Detector.check_rows` (categoricals with
        the training categories, int64, float64).
    ok : numpy.ndarray of bool
        Which rows of `frame` are in `valid`.
    problems : list of (int, str, str)
        The row position in `frame`, the field and the message of each bad
        cell, every cell of a row reported.
    """
    if cell is None:
        cell = lambda position, name: frame[name].iloc[position]  # noqa: E731
    ok = np.ones(len(frame), dtype=bool)
    problems: list[tuple[int, str, str]] = []
    columns = {}
    for feature in features:
        column = frame[feature.name]
        if feature.kind == "categorical":
            values, sure = _categorical(feature, column)
        else:
            values, sure = _numeric(feature, column)
            if doubtful is not None and (inexact := doubtful(feature.name)) is not None:
                sure &= ~inexact
        for position in np.flatnonzero(~sure).tolist():
            value, problem = check_value(feature, cell(position, feature.name))
            if problem:
                ok[position] = False
                problems.append((position, feature.name, problem))
            elif feature.kind == "categorical":
                values[position] = feature.categories.index(value)
            else:
                values[position] = value
        if feature.kind == "categorical":
            values = pd.Categorical.from_codes(values, categories=feature.categories)
        columns[feature.name] = values
    problems.sort(key=lambda problem: problem[0])
    valid = pd.DataFrame(columns, copy=False)
    if not ok.all():
        valid = valid[ok].reset_index(drop=True)
    return valid, ok, problems


def _categorical(feature: Feature, column: pd.Series):
    """The category codes, and which cells are spelt exactly as in training."""
    codes = pd.Categorical(column, categories=feature.categories).codes.copy()
    sure = codes >= 0
    codes[~sure] = 0  # a valid code until the rule decides the cell
    return codes, sure


def _numeric(feature: Feature, column: pd.Series):
    """The values in the feature's dtype, and which cells certainly pass."""
    integer = feature.kind == "integer"
    kind = column.dtype.kind
    if kind not in "iuf":
        # Text (a cell pandas could not read as a number) or booleans: every
        # cell of the column, in this batch, goes to the detector's rule.
        dtype = np.int64 if integer else np.float64
        return np.zeros(len(column), dtype=dtype), np.zeros(len(column), dtype=bool)
    numbers = column.to_numpy()
    if integer and kind == "f":
        # Whole and exact in a float (below 2**53), or the rule reads the text.
        sure = np.isfinite(numbers) & (np.abs(numbers) < 2.0**53)
        sure &= numbers == np.floor(numbers)
    elif integer:
        sure = numbers <= INT64_MAX if kind == "u" else np.ones(len(numbers), bool)
    else:
        numbers = numbers.astype(np.float64)  # as float(int) in the rule: rounded
        sure = np.isfinite(numbers)
    if feature.lower_bound is not None:
        sure &= numbers >= feature.lower_bound
    if feature.upper_bound is not None:
        sure &= numbers <= feature.upper_bound
    if integer:
        numbers = np.where(sure, numbers, 0).astype(np.int64)
    return numbers, sure
