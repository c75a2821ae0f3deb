"""What a detector's input is: its fields, their kinds and ranges, and the checks.

:func:`feature_schema` reads the fields off the training table;
:func:`check_value` turns one value of one field into the field's type or
says what is wrong with it. The web form, the API and ``imblearn-vae
predict`` all check input with it, so they accept and refuse the same values.
"""

import math
from dataclasses import dataclass, field

import pandas as pd

from .._columns import inferred_categorical

#: Columns of an NSL-KDD file that are labels, not features.
LABEL_COLUMNS = ("label", "attack", "class", "target", "difficulty", "category")


@dataclass
class Feature:
    """One input field: its kind and the values training saw."""

    name: str
    kind: str  # "categorical", "integer" or "number"
    categories: list[str] = field(default_factory=list)
    minimum: float | None = None  # seen in training
    maximum: float | None = None
    lower_bound: float | None = None  # what any valid value respects
    upper_bound: float | None = None

    def describe(self) -> str:
        if self.kind == "categorical":
            return f"one of {len(self.categories)} categories"
        low = "" if self.lower_bound is None else f"≥ {self.lower_bound:g}"
        high = "" if self.upper_bound is None else f"≤ {self.upper_bound:g}"
        bounds = " and ".join(b for b in (low, high) if b)
        kind = "a whole number" if self.kind == "integer" else "a number"
        number = "{:,.0f}" if self.kind == "integer" else "{:g}"
        seen = (
            f"training saw {number.format(self.minimum)} to "
            f"{number.format(self.maximum)}"
        )
        return f"{kind}{' ' + bounds if bounds else ''}; {seen}"


@dataclass
class RowError:
    """What is wrong with one field of one input row."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


#: The range of an integer field: numpy's int64, in which the model reads it.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: Characters of a refused value that an error message repeats.
ECHO_LIMIT = 40


def _echo(value) -> str:
    """A refused value as an error message shows it: quoted, and bounded."""
    if not isinstance(value, str | int | float):
        return f"a JSON {type(value).__name__}"
    text = str(value)
    return repr(text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…")


def check_value(feature: Feature, value) -> tuple[object, str | None]:
    """The value in the feature's type, or the problem with it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "missing"
    if feature.kind == "categorical":
        text = str(value).strip() if isinstance(value, str | int | float) else None
        if text not in feature.categories:
            return None, (
                f"unknown category {_echo(text if text is not None else value)}; "
                "the model knows "
                + ", ".join(feature.categories[:12])
                + (", ..." if len(feature.categories) > 12 else "")
            )
        return text, None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, f"not a number ({_echo(value)})"
    number = _parse_number(value)
    if number is None:
        return None, f"not a number ({_echo(value)})"
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

    Huge numbers become infinities rather than errors, so that the range
    checks name them.
    """
    if isinstance(value, int | float):
        return value
    text = value.strip()
    if len(text) > 400:  # longer than any float: no time spent on parsing
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def feature_schema(X: pd.DataFrame) -> list[Feature]:
    """Each column's kind and range in training, and the bounds valid input keeps.

    Counts and sizes (never negative in training) may not be negative; rates
    (fractions in [0, 1] in training) stay in [0, 1].
    """
    features = []
    categorical = set(inferred_categorical(X))  # the package's one rule
    for name in X.columns:
        column = X[name]
        if name in categorical:
            categories = sorted(str(c) for c in pd.unique(column.astype(str)))
            features.append(Feature(name, "categorical", categories))
            continue
        low, high = float(column.min()), float(column.max())
        integer = column.dtype.kind in "iu"
        rate = not integer and low >= 0 and high <= 1
        features.append(
            Feature(
                name,
                "integer" if integer else "number",
                minimum=low,
                maximum=high,
                lower_bound=0.0 if low >= 0 else None,
                upper_bound=1.0 if rate else None,
            )
        )
    return features
