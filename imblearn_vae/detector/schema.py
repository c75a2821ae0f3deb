"""What a detector's input is: its fields, their kinds and ranges.

:func:`feature_schema` reads the fields off the training table;
:mod:`~imblearn_vae.detector.rows` checks values against them.
"""

from dataclasses import dataclass, field

import pandas as pd

from .._columns import inferred_categorical

#: Column names that hold labels, not features, in any file given to a
#: detector (NSL-KDD's among them): allowed in a header, and left out.
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

    @property
    def category_codes(self) -> dict[str, int]:
        """Each category's position in :attr:`categories`: a value is looked
        up once, not compared with every category (a column of 13,000 host
        names made each unknown value cost 13,000 comparisons, a 10,000-row
        request 2.4 s). Made once per list of categories; not a field, so a
        model file does not keep it."""
        made = self.__dict__.get("_category_codes")
        if made is None or made[0] is not self.categories:
            codes = {category: i for i, category in enumerate(self.categories)}
            made = self.__dict__["_category_codes"] = (self.categories, codes)
        return made[1]

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


def feature_schema(
    X: pd.DataFrame, categorical: list | None = None, *, fractions: bool = True
) -> list[Feature]:
    """Each column's kind and range in training, and the bounds valid input keeps.

    Counts (whole numbers never negative in training) may not be negative.
    With ``fractions`` (NSL-KDD's columns, whose meaning is known), so may
    no number that training never saw negative, and rates (numbers within
    [0, 1] in training) stay in [0, 1]; for another table a number outside
    the training range is the model's to judge (``drate``, packets per
    second in BoT-IoT, is within [0, 1] in a sample and not in the next).

    Parameters
    ----------
    X : pandas.DataFrame
        The training rows' features, in the model's order.
    categorical : list of str, optional
        The categorical columns (a table's own list, from ``--categorical``);
        default: the package's rule
        (:func:`~imblearn_vae._columns.inferred_categorical`).
    fractions : bool, default=True
        Bound non-negative numbers and rates as NSL-KDD's.
    """
    features = []
    if categorical is None:
        categorical = inferred_categorical(X)  # the package's one rule
    categorical = set(categorical)
    for name in X.columns:
        column = X[name]
        if name in categorical:
            categories = sorted(str(c) for c in pd.unique(column.astype(str)))
            features.append(Feature(str(name), "categorical", categories))
            continue
        low, high = float(column.min()), float(column.max())
        integer = column.dtype.kind in "iu"
        rate = fractions and not integer and low >= 0 and high <= 1
        features.append(
            Feature(
                str(name),
                "integer" if integer else "number",
                minimum=low,
                maximum=high,
                lower_bound=0.0 if low >= 0 and (integer or fractions) else None,
                upper_bound=1.0 if rate else None,
            )
        )
    return features
