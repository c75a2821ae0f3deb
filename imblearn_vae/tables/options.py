"""How ``compare`` and ``train`` are told which table to read, and the reading.

Both commands take the same options (:func:`add_table_arguments`) and read
the training and test rows with :func:`load_tables`, so a table goes from
a comparison to a detector read the same way, with the same errors. A
comparison keeps its :class:`TableOptions` in its results folder, where
``train --from-compare`` finds them.

The parser needs the core install only; :func:`load_tables` imports pandas.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .read import Table

#: The ``--loader`` names: a plain table, or a data set whose files are not.
LOADER_NAMES = ("table", "bot-iot", "nsl-kdd")


def add_table_arguments(
    parser: argparse.ArgumentParser, *, required: bool = True
) -> None:
    """The options that say which table to read and how.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    required : bool, default=True
        Whether the table and ``--label`` must be given (``train`` has a
        default: NSL-KDD).
    """
    parser.add_argument(
        "table",
        type=Path,
        nargs=None if required else "?",
        help="training table (CSV, ARFF or Parquet)",
    )
    parser.add_argument(
        "--label", required=required, help="the column holding the class"
    )
    parser.add_argument(
        "--test", type=Path, help="test table; default: a stratified split of TABLE"
    )
    parser.add_argument(
        "--test-size",
        type=float,
        default=0.3,
        help="share of TABLE held out when there is no --test (default: 0.3)",
    )
    parser.add_argument("--split-seed", type=int, default=0)
    parser.add_argument(
        "--categorical",
        nargs="+",
        default=["auto"],
        help="categorical columns, or auto (text, category and boolean columns)",
    )
    parser.add_argument(
        "--drop",
        nargs="+",
        default=[],
        help="columns that are not features (ids, other labels)",
    )
    parser.add_argument(
        "--missing",
        choices=["error", "impute"],
        default="error",
        help="a missing or infinite feature value: stop and name the column "
        "(error), or fill it in with the training rows' median, or the "
        "category 'missing' (impute); a column with no value at all is "
        "refused either way (leave it out with --drop)",
    )
    parser.add_argument(
        "--loader",
        choices=LOADER_NAMES,
        default="table",
        help="bot-iot: read with load_bot_iot (its identifier and "
        "other label columns left out); nsl-kdd: a header-less NSL-KDD file "
        "(KDDTrain+.txt), --label category, binary or attack",
    )


@dataclass
class TableOptions:
    """Which table, and how it is read: the options of
    :func:`add_table_arguments`.

    Parameters
    ----------
    table : pathlib.Path
        The training table (CSV, ARFF or Parquet).
    label : str
        The column holding the class.
    test : pathlib.Path, optional
        A test table; default: a stratified split of ``table``.
    test_size : float, default=0.3
        The share of ``table`` held out when there is no ``test``.
    split_seed : int, default=0
        The split's seed.
    categorical : "auto" or list of str, default="auto"
        The categorical columns.
    drop : list of str
        Columns that are not features.
    missing : {"error", "impute"}, default="error"
        What a missing or infinite value does.
    loader : {"table", "bot-iot", "nsl-kdd"}, default="table"
        How the file is read.
    """

    table: Path
    label: str
    test: Path | None = None
    test_size: float = 0.3
    split_seed: int = 0
    categorical: list[str] | str = "auto"
    drop: list[str] = field(default_factory=list)
    missing: str = "error"
    loader: str = "table"

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> TableOptions:
        categorical = "auto" if args.categorical == ["auto"] else args.categorical
        return cls(
            table=Path(args.table), label=args.label, test=args.test,
            test_size=args.test_size, split_seed=args.split_seed,
            categorical=categorical, drop=list(args.drop), missing=args.missing,
            loader=args.loader,
        )  # fmt: skip

    def to_json(self) -> dict:
        """The options as JSON values, the files as absolute paths."""
        found = asdict(self)
        found["table"] = os.path.abspath(self.table)
        found["test"] = None if self.test is None else os.path.abspath(self.test)
        return found

    @classmethod
    def from_json(cls, found: dict) -> TableOptions:
        found = dict(found)
        found["table"] = Path(found["table"])
        found["test"] = None if found.get("test") is None else Path(found["test"])
        return cls(**found)

    def arguments(self) -> list[str]:
        """The options as a command line gives them, paths cut to file names
        (what a model file keeps: no local folders)."""
        words = [self.table.name, "--label", self.label]
        if self.test is not None:
            words += ["--test", self.test.name]
        else:
            words += ["--test-size", f"{self.test_size:g}"]
            words += ["--split-seed", str(self.split_seed)]
        if self.categorical != "auto":
            words += ["--categorical", *self.categorical]
        if self.drop:
            words += ["--drop", *self.drop]
        if self.missing != "error":
            words += ["--missing", self.missing]
        if self.loader != "table":
            words += ["--loader", self.loader]
        return words


@dataclass
class Tables:
    """The training and test rows, and what a detector keeps about them.

    ``layout`` is the training file's own layout: its columns in order, the
    one holding the class, the separator of its lines. ``source`` names the
    table and says where the test rows came from. ``classes`` is the order
    of the classes where a data set has a usual one (NSL-KDD's: normal
    first); None: sorted.
    """

    train: Table
    test: Table
    layout: dict
    source: dict
    classes: list[str] | None = None


def load_tables(options: TableOptions) -> Tables:
    """Read, check and split the table as ``options`` say.

    Parameters
    ----------
    options : TableOptions
        Which table, and how it is read.

    Returns
    -------
    Tables
        The training and test rows, the training file's layout and where
        the rows came from.

    Raises
    ------
    ValueError, FileNotFoundError, ImportError
        With the file, the column or the class named (the same messages
        from ``compare`` and ``train``).
    """
    from .read import align_test, prepare_table, split_table

    frame, dropped, layout = _load(options.table, options)
    table = prepare_table(
        frame, options.label, options.categorical, options.drop, dropped,
        options.missing,
    )  # fmt: skip
    if options.test is not None:
        test_frame, _, _ = _load(options.test, options)
        train, test = table, align_test(test_frame, table)
        test_rows = f"{options.test.name} (--test)"
    else:
        train, test = split_table(table, options.test_size, options.split_seed)
        test_rows = (
            f"a stratified {options.test_size:.0%} of {options.table.name} held "
            f"out (seed {options.split_seed})"
        )
    source = {
        "name": options.table.name,
        "loader": options.loader,
        "label": options.label,
        "rows": len(table.y),
        "dropped": dict(train.dropped),
        "imputed": dict(train.imputed),
        "test": test_rows,
    }
    return Tables(train, test, layout, source)


def _load(path: Path, options: TableOptions):
    """The frame (label column included), the columns a loader left out, and
    the file's layout."""
    if options.loader == "table":
        from .read import read_table

        frame = read_table(path)
        layout = {"columns": [str(c) for c in frame.columns],
                  "label": options.label,
                  "separator": frame.attrs.get("separator", ",")}  # fmt: skip
        return frame, {}, layout
    from ..datasets import load_bot_iot, load_nsl_kdd

    loader = {"bot-iot": load_bot_iot, "nsl-kdd": load_nsl_kdd}[options.loader]
    bunch = loader(path, target=options.label)
    frame = bunch.data.assign(**{options.label: bunch.target.to_numpy()})
    return frame, bunch.dropped, _loader_layout(path, options)


def _loader_layout(path: Path, options: TableOptions) -> dict:
    """The columns of a BoT-IoT or NSL-KDD file, as its loader reads them."""
    from ..datasets._bot_iot import COLUMNS
    from ..datasets._nsl_kdd import FEATURE_NAMES

    if options.loader == "nsl-kdd":
        # no header: 41 features, the attack's name, the difficulty
        columns = [*FEATURE_NAMES, "attack", "difficulty"]
        return {"columns": columns, "label": "attack", "separator": ","}
    with open(path, newline="") as stream:
        header = stream.readline()
    separator = "\t" if header.count("\t") > header.count(",") else ","
    return {"columns": list(COLUMNS), "label": options.label, "separator": separator}
