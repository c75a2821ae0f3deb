"""The one rule for a detector's input: what a valid value is, for a cell, a
column, a batch of records and a header.

Every way in calls this module: the web form, an upload and the API (a
list of records, JSON values or text), and ``imblearn-vae predict`` (columns
as a CSV or Parquet reader parsed them). So a rule changes here, once.

:func:`check_value` decides one value. :func:`check_columns` decides whole
columns with numpy: the cells that certainly pass (a number that is finite,
whole and exact where it must be an integer, and within the feature's
bounds; a category spelt exactly as in training) are taken in bulk, and
every other cell goes, as it was written, to :func:`check_value`, which
gives the message or accepts the value (``" tcp"``). A number taken in bulk
is the one the rule would give.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .csv_cells import read_cell
from .model_schema import SEPARATORS
from .schema import (
    ECHO_LIMIT,
    INT64_MAX,
    INT64_MIN,
    LABEL_COLUMNS,
    Feature,
    RowError,
)

#: The checked rows: a feature's name -> its values (category codes into
#: ``Feature.categories``, int64 or float64), one per row.
Columns = dict[str, np.ndarray]

#: Up to this many rows, every cell goes to the rule: cheaper than the
#: arrays' fixed cost.
RULE_ROWS = 4

NOT_AN_OBJECT = "a connection must be an object of field names and values"

#: What a number written as text may hold: what a CSV reader reads.
NUMBER_TEXT = (
    "write it with the digits 0-9, a point and an exponent only, without separators"
)


def _echo(value) -> str:
    """A refused value as an error message shows it: quoted, and bounded."""
    if not isinstance(value, str | int | float):
        return f"a JSON {type(value).__name__}"
    text = str(value)
    return repr(text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…")


def check_value(feature: Feature, value) -> tuple[object, str | None]:
    """The value in the feature's type, or the problem with it.

    Parameters
    ----------
    feature : Feature
        The field.
    value : object
        As given: text (a form's, a file's cell), a JSON value, None.

    Returns
    -------
    value : str, int, float or None
        A category, an int (an integer field's) or a float; None if refused.
    problem : str or None
        What is wrong, said to the user; None if the value is valid.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "missing"
    if feature.kind == "categorical":
        return _category(feature, value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, f"not a number ({_echo(value)})"
    number = _parse_number(value)
    if number is None:
        detail = f": {NUMBER_TEXT}" if isinstance(value, str) else ""
        return None, f"not a number ({_echo(value)}){detail}"
    if feature.kind != "integer":
        try:
            number = float(number)
        except OverflowError:  # an int too large for a float
            return None, "not a finite number"
    if isinstance(number, float) and not math.isfinite(number):
        return None, "not a finite number"
    if feature.kind == "integer":
        if isinstance(number, float) and not number.is_integer():
            return None, f"must be a whole number (got {number:g})"
        low = INT64_MIN if feature.lower_bound is None else feature.lower_bound
        # Python compares ints and floats exactly: 1e19 and 2**63 are out.
        if not INT64_MIN <= number <= INT64_MAX:
            return None, f"must be a whole number from {low:,.0f} to {INT64_MAX:,}"
        number = int(number)  # exact in the int64 column, not via a float
    return _within_bounds(feature, number)


def _category(feature: Feature, value) -> tuple[object, str | None]:
    text = str(value).strip() if isinstance(value, str | int | float) else None
    if text not in feature.category_codes:
        return None, (
            f"unknown category {_echo(text if text is not None else value)}; "
            "the model knows "
            + ", ".join(feature.categories[:12])
            + (", ..." if len(feature.categories) > 12 else "")
        )
    return text, None


def _within_bounds(feature: Feature, number) -> tuple[object, str | None]:
    if feature.lower_bound is not None and number < feature.lower_bound:
        return None, (
            "must not be negative"
            if feature.lower_bound == 0
            else f"must be at least {feature.lower_bound:g}"
        )
    if feature.upper_bound is not None and number > feature.upper_bound:
        return None, f"must be at most {feature.upper_bound:g}"
    return number, None


def _parse_number(value: str | int | float) -> int | float | None:
    """An int when the value is one (kept exact), else a float; None if neither.

    Text is read as a CSV reader reads it: Python's ``int`` and ``float``
    also take digit separators (``1_000``), other scripts' digits
    (Arabic-Indic, full-width) and other kinds of spaces, which pandas and
    spreadsheets do not, so a value taken here could not be read back the
    same way elsewhere: such text is not a number. Huge numbers become
    infinities rather than errors, so that the range checks name them.
    """
    if isinstance(value, int | float):
        return value
    # longer than any float: no time spent on parsing
    if len(value) > 400 or not value.isascii() or "_" in value:
        return None
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def check_columns(
    features: list[Feature],
    values: Mapping[str, Sequence],
    *,
    cell: Callable[[int, str], object] | None = None,
    doubtful: Callable[[str], np.ndarray | None] | None = None,
    skip: np.ndarray | None = None,
) -> tuple[Columns, np.ndarray, list[tuple[int, str, str]]]:
    """Check whole columns: each row's values in the features' types, or
    what is wrong with them.

    Parameters
    ----------
    features : list of Feature
        The detector's schema.
    values : mapping of str to sequence
        A column per feature: a list (JSON values or text, as a request
        gives them) or a pandas Series or array (as a reader parsed a file).
    cell : callable, optional
        ``cell(row, name)``: the value as it was written (the text of a CSV
        cell), for the cells that the rule decides. Default: ``values``'.
    doubtful : callable, optional
        ``doubtful(name)``: the cells of a numeric column whose parsed
        number may differ from their text's in the last bit (None: none);
        the rule reads them from their text.
    skip : numpy.ndarray of bool, optional
        Rows not to check (their problem is said already): value 0.

    Returns
    -------
    columns : dict of str to numpy.ndarray
        Every row's values (0 where a cell is bad).
    ok : numpy.ndarray of bool
        The rows without a problem.
    problems : list of (int, str, str)
        The row, the field and the message of each bad cell, by row, each
        row's in the features' order.
    """
    rows = len(next(iter(values.values()))) if values else 0
    ok = np.ones(rows, dtype=bool) if skip is None else ~skip
    problems: list[tuple[int, str, str]] = []
    columns: Columns = {}
    for feature in features:
        column = values[feature.name]
        if cell is None and hasattr(column, "iloc"):
            cell = lambda row, name: values[name].iloc[row]  # noqa: E731
        given, sure = _bulk(feature, column, rows)
        if doubtful is not None and (inexact := doubtful(feature.name)) is not None:
            sure &= ~inexact
        if skip is not None:
            sure |= skip
            given[skip] = 0
        for row in np.flatnonzero(~sure).tolist():
            raw = cell(row, feature.name) if cell is not None else column[row]
            value, problem = check_value(feature, raw)
            if problem:
                ok[row] = False
                given[row] = 0
                problems.append((row, feature.name, problem))
            elif feature.kind == "categorical":
                given[row] = feature.category_codes[value]
            else:
                given[row] = value
        columns[feature.name] = given
    problems.sort(key=lambda problem: problem[0])
    return columns, ok, problems


def _bulk(feature: Feature, column, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The column in the feature's dtype, and which cells certainly pass."""
    if rows <= RULE_ROWS:
        dtype = {"categorical": np.intp, "integer": np.int64}.get(
            feature.kind, np.float64
        )
        return np.zeros(rows, dtype=dtype), np.zeros(rows, dtype=bool)
    if feature.kind == "categorical":
        return _category_codes(feature, column)
    return _numbers(feature, column)


def _category_codes(feature: Feature, column) -> tuple[np.ndarray, np.ndarray]:
    """The category codes, and which cells are spelt exactly as in training."""
    if isinstance(column, list):  # JSON values: only text can be a category
        codes = feature.category_codes
        found = np.fromiter(
            (codes.get(v, -1) if type(v) is str else -1 for v in column),
            dtype=np.intp,
            count=len(column),
        )
    else:
        found = pd.Categorical(column, categories=feature.categories).codes
        found = found.astype(np.intp)
    sure = found >= 0
    found[~sure] = 0  # a valid code until the rule decides the cell
    return found, sure


def _numbers(feature: Feature, column) -> tuple[np.ndarray, np.ndarray]:
    """The column in the feature's dtype, and which cells certainly pass.

    Only numbers (not booleans) are taken in bulk: from a list, JSON ints
    and floats; from a reader, a numeric column. Text, None and anything
    else go to the rule, cell by cell.
    """
    integer = feature.kind == "integer"
    dtype = np.int64 if integer else np.float64
    numbers = _as_array(column, integer)
    if numbers is None:
        return np.zeros(len(column), dtype=dtype), np.zeros(len(column), dtype=bool)
    if numbers.dtype.kind == "f" or not integer:
        numbers = numbers.astype(np.float64)  # as float(int) in the rule: rounded
        sure = np.isfinite(numbers)
        if integer:
            # whole and exact in a float (below 2**53), else the rule decides
            sure &= (np.abs(numbers) < 2.0**53) & (numbers == np.floor(numbers))
    elif numbers.dtype.kind == "u":
        sure = numbers <= INT64_MAX
    else:
        sure = np.ones(len(numbers), dtype=bool)
    with np.errstate(invalid="ignore"):
        if feature.lower_bound is not None:
            sure &= numbers >= feature.lower_bound
        if feature.upper_bound is not None:
            sure &= numbers <= feature.upper_bound
    if integer and numbers.dtype != np.int64:
        numbers = np.where(sure, numbers, 0).astype(np.int64)
    return numbers, sure


def _as_array(column, integer: bool) -> np.ndarray | None:
    """A column of numbers as an array; None when it holds anything else."""
    if not isinstance(column, list):
        array = np.asarray(column)
        return array if array.dtype.kind in "iuf" else None
    types = set(map(type, column))
    try:
        if types <= {int} and integer:
            return np.array(column, dtype=np.int64)
        if types <= {int, float}:
            return np.array(column, dtype=np.float64)
    except OverflowError:  # an int beyond int64 (or float): the rule says so
        return None
    return None


def check_records(
    features: list[Feature], records: list, ignored: Collection[str] = ()
) -> tuple[Columns | None, list[RowError]]:
    """Check rows given as records (field name -> value): the checked
    columns, or every problem.

    Fields of :data:`~imblearn_vae.detector.LABEL_COLUMNS` (in any case) and
    of ``ignored`` (the training file's other columns) are left out; any
    other unknown field is an error, as is a missing one. Errors come row by
    row: the row's shape first, then its fields in the features' order.
    """
    known = {f.name for f in features}
    skipped = known | set(ignored)
    errors = []
    objects = [r if type(r) is dict else None for r in records]
    for index, record in enumerate(objects):
        if record is None:
            errors.append((index, 0, RowError(index, "", NOT_AN_OBJECT)))
        elif not record.keys() <= skipped:
            errors += [
                (index, 0, RowError(index, str(name)[:ECHO_LIMIT], "unknown field"))
                for name in record
                if name not in skipped and str(name).lower() not in LABEL_COLUMNS
            ]
    values = {
        f.name: [None if r is None else r.get(f.name) for r in objects]
        for f in features
    }
    skip = np.fromiter((r is None for r in objects), dtype=bool, count=len(objects))
    columns, _, problems = check_columns(features, values, skip=skip)
    order = {f.name: i for i, f in enumerate(features, start=1)}
    errors += [
        (row, order[name], RowError(row, name, message))
        for row, name, message in problems
    ]
    if errors:
        errors.sort(key=lambda error: error[:2])
        return None, [error for _, _, error in errors]
    return columns, []


def to_frame(features: list[Feature], columns: Columns) -> pd.DataFrame:
    """Checked columns as the pipeline reads them: categoricals with the
    training categories, int64, float64, in the features' order."""
    data = {}
    for feature in features:
        values = columns[feature.name]
        if feature.kind == "categorical":
            values = pd.Categorical.from_codes(values, categories=feature.categories)
        data[feature.name] = values
    return pd.DataFrame(data, copy=False)


def select_rows(columns: Columns, rows: np.ndarray) -> Columns:
    """The checked columns of some rows (a mask or positions)."""
    return {name: values[rows] for name, values in columns.items()}


@dataclass
class HeaderCheck:
    """What is wrong with a header (a file's column names) for a detector."""

    features: list[str]
    none_known: bool = False
    missing: list[str] = field(default_factory=list)
    twice: dict[str, list[int]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.none_known or self.missing or self.twice or self.unknown)

    def problems(self) -> list[tuple[str, str]]:
        """(column, message) for each problem, as a page lists them."""
        if self.none_known:
            return [("", self.no_header())]
        found = [(name, "missing column") for name in self.missing]
        found += [(name[:ECHO_LIMIT], "unknown column") for name in self.unknown]
        found += [
            (name[:ECHO_LIMIT],
             f"given more than once (columns {', '.join(map(str, at))}); keep one")
            for name, at in self.twice.items()
        ]  # fmt: skip
        return found

    def sentence(self) -> str:
        """Every problem in one line, as a command says it."""
        if self.none_known:
            return self.no_header()
        parts = []
        if self.missing:
            parts.append(f"missing column(s) {', '.join(self.missing)}")
        if self.twice:
            parts.append(f"column(s) named twice: {', '.join(self.twice)}")
        if self.unknown:
            parts.append(
                f"unknown column(s) {', '.join(map(repr, self.unknown))}; the "
                f"model reads {len(self.features)} columns (and ignores the "
                "training file's other columns and the label columns "
                f"{', '.join(LABEL_COLUMNS)})"
            )
        return "; ".join(parts)

    def no_header(self) -> str:
        return (
            "no header of the model's column names (such as "
            f"{', '.join(self.features[:4])}, ...)"
        )


def check_header(
    names: list[str], features: list[Feature], ignored: Collection[str] = ()
) -> HeaderCheck:
    """Every model column once, no unknown one.

    Label columns (:data:`~imblearn_vae.detector.LABEL_COLUMNS`, any case)
    and ``ignored`` (the training file's other columns) are allowed, and
    left out.
    """
    wanted = [f.name for f in features]
    found = HeaderCheck(wanted)
    if not set(wanted) & set(names):
        found.none_known = True
        return found
    found.missing = [n for n in wanted if n not in names]
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        positions.setdefault(name, []).append(position)
    found.twice = {n: at for n, at in positions.items() if len(at) > 1}
    allowed = set(wanted) | set(ignored)
    found.unknown = [
        n for n in names if n not in allowed and n.lower() not in LABEL_COLUMNS
    ]
    return found


def header_separator(header: str, detector) -> str:
    """The separator of a file of rows for ``detector``, read off its header.

    The separator (one of those a training file may have:
    :data:`~imblearn_vae.detector.model_schema.SEPARATORS`) whose split of
    the header holds the most of the model's column names; the training
    file's own (``detector.layout["separator"]``, else a comma) on a tie.
    The header decides, not the sniffing of the rows: ``csv.Sniffer`` took
    the ``'`` the site's own downloads put before a formula for a quote
    character, and knew no ``|``. Names are read as the site writes them:
    quoted where they need it, spaces around them dropped, a formula's
    ``'`` taken off (:func:`~imblearn_vae.detector.csv_cells.read_cell`).

    Parameters
    ----------
    header : str
        The text the file starts with; only its first CSV record is read.
    detector : Detector
        Its features and layout.

    Returns
    -------
    str

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> features = [Feature("proto", "categorical"), Feature("bytes", "integer")]
    >>> model = SimpleNamespace(features=features, layout={})
    >>> header_separator("proto;bytes;label", model)
    ';'
    >>> header_separator("label", model)  # no name known: the training file's
    ','
    """
    names = {feature.name for feature in detector.features}

    def known(separator: str) -> int:
        try:
            cells = next(csv.reader(io.StringIO(header), delimiter=separator), [])
        except csv.Error:  # a field over csv.field_size_limit(), say
            return 0
        return len(names & {read_cell(cell.strip()) for cell in cells})

    own = detector.layout.get("separator", ",")
    return max([own, *(s for s in SEPARATORS if s != own)], key=known)
