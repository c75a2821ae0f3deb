"""CSV bytes in, frames of raw feature columns out: one line is one connection.

Whole blocks of complete lines go to pandas' C parser. Before that, the lines
and fields are found with numpy (:mod:`._lines`), so that each frame row keeps
the number of the file line it came from, a line with too many or too few
fields is rejected on its own (pandas would stop at the first one, or pad a
short line with empty fields), and blank lines are skipped.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..detector import RowError, header_separator
from ._header import InputError, refuse_bad_header
from ._lines import MAX_LINE, LineSplitter, doubtful_cells, scan

#: Above this share of doubtful cells in a block, the block is read with
#: Python's float parser (exact) instead of pandas' fast one.
DOUBTFUL_SHARE = 0.01


@dataclass
class Layout:
    """How the lines of one file are laid out: its header, read once."""

    names: list[str]  # every column of the header, in order
    delimiter: str
    features: list[str]  # the model's columns, in the model's order
    categorical: list[str]  # read as text, never as numbers


@dataclass
class Rows:
    """Lines read into a frame of raw values, before the detector's checks."""

    frame: pd.DataFrame  # the feature columns as read, one row per line
    lines: np.ndarray  # the file line of each frame row
    errors: list[RowError]  # lines that did not split into the header's fields
    text: Callable[[int], str]  # the input text of a line, for the rejects
    cell: Callable[[int, str], object]  # a frame cell (row, column) as written
    # The cells of a column whose number may differ from the text's in the
    # last bit: the detector's rule reads them from their text.
    doubtful: Callable[[str], np.ndarray | None] = lambda name: None


def read_header(line: bytes, detector, where: str) -> Layout:
    """The layout of a file from its first line.

    Parameters
    ----------
    line : bytes
        The header line, without its newline.
    detector : Detector
        Its features, and the training file's columns it ignores.
    where : str
        The input's name, for messages.

    Raises
    ------
    InputError
        If the line is not UTF-8 text or lacks a column of the model, names one
        twice, or names an unknown one.
    """
    try:
        text = line.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise InputError(f"{where} line 1: not UTF-8 text (a CSV header)") from None
    features = detector.features
    delimiter = header_separator(text, detector)
    names = [n.strip() for n in next(csv.reader([text], delimiter=delimiter), [])]
    refuse_bad_header(names, detector, f"{where} line 1")
    return Layout(
        names=names,
        delimiter=delimiter,
        features=[f.name for f in features],
        categorical=[f.name for f in features if f.kind == "categorical"],
    )


def parse_lines(block: bytes, first: int, layout: Layout) -> Rows:
    """Read a block of complete lines (numbered from `first`) into a frame.

    Blank lines are skipped; a line with another number of fields than the
    header is reported, and the other lines are read.
    """
    lines = scan(block, layout.delimiter)
    width = len(layout.names)
    blank = lines.ends == lines.starts
    good = (lines.fields == width) & ~blank

    def text(line: int) -> str:
        i = line - first
        if not 0 <= i < len(lines.starts):  # a line dropped before the block
            return ""
        return block[lines.starts[i] : lines.ends[i]].decode("utf-8", "replace")

    errors = [
        RowError(first + i, "", _unreadable(lines.fields[i], width))
        for i in np.flatnonzero(~good & ~blank).tolist()
    ]
    kept, kept_lines = block, lines
    if not good.all():
        keep = np.repeat(good, np.diff(lines.starts, append=len(block)))
        kept = np.frombuffer(block, dtype=np.uint8)[keep].tobytes()
        kept_lines = scan(kept, layout.delimiter)
    doubtful = doubtful_cells(kept, kept_lines, width)
    if doubtful is not None and doubtful.size and doubtful.mean() > DOUBTFUL_SHARE:
        # Long decimals everywhere (a flow exporter's 17 digits): Python's
        # parser in bulk costs less than the rule on each doubtful cell.
        doubtful = None
    if kept:
        frame = _read_frame(kept, layout, exact=doubtful is None)
    else:
        frame = _empty_frame(layout)
    numbers = first + np.flatnonzero(good)
    if len(frame) != len(numbers):  # cannot happen once fields are counted right
        raise AssertionError(f"{len(frame)} rows read from {len(numbers)} lines")
    column = {name: i for i, name in enumerate(layout.names)}

    def cell(position: int, name: str) -> str:
        line = text(int(numbers[position]))
        if '"' in line:
            fields = next(csv.reader([line], delimiter=layout.delimiter))
        else:
            fields = line.split(layout.delimiter)
        return fields[column[name]]

    def unsure(name: str) -> np.ndarray | None:
        return None if doubtful is None else doubtful[:, column[name]]

    return Rows(frame, numbers, errors, text, cell, unsure)


def _unreadable(fields: int, width: int) -> str:
    if fields < 0:
        return "not readable as CSV (a quote left open)"
    return f"{_fields(fields)}; the header has {_fields(width)}"


def _fields(count: int) -> str:
    return f"{count} field{'' if count == 1 else 's'}"


def _read_frame(data: bytes, layout: Layout, exact: bool) -> pd.DataFrame:
    """The feature columns of complete lines, as pandas' C parser reads them.

    With `exact`, numbers are parsed by Python's float (slower); without, by
    pandas' own parser, and :func:`doubtful_cells` says where the two may
    differ in the last bit.
    """
    same = layout.names == layout.features  # no columns to leave out or reorder
    frame = pd.read_csv(
        io.BytesIO(data),
        sep=layout.delimiter,
        header=None,
        names=layout.names,
        usecols=None if same else layout.features,
        index_col=False,
        # Categories stay text as written; an empty or odd value stays as
        # written too, and the detector's rule says what is wrong with it.
        dtype=dict.fromkeys(layout.categorical, str),
        na_filter=False,
        float_precision="round_trip" if exact else None,
        skip_blank_lines=False,
        engine="c",
        encoding="utf-8",
        encoding_errors="replace",
    )
    return frame if same else frame[layout.features]


def _empty_frame(layout: Layout) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in layout.features})


def _errors_only(layout: Layout, errors: list[RowError], texts: dict) -> Rows:
    """Rows that are only problems; `texts` holds the lines' text where known."""
    return Rows(
        frame=_empty_frame(layout),
        lines=np.empty(0, np.int64),
        errors=errors,
        text=lambda line: texts.get(line, ""),
        cell=lambda position, name: None,  # no rows
    )


class CsvReader:
    """The state of reading one CSV stream: its header, the line it is at.

    :meth:`feed` takes the bytes as they come and returns the rows of every
    line they complete; :meth:`restart` starts over on a new file (one that
    replaced the followed file); :meth:`finish` ends the input.
    """

    def __init__(self, detector, where: str, max_line: int = MAX_LINE):
        self.detector = detector
        self.where = where
        self.max_line = max_line
        self.layout: Layout | None = None
        self.splitter = LineSplitter(max_line)

    def feed(self, data: bytes) -> Iterator[Rows]:
        first, block, errors = self.splitter.feed(data)
        yield from self._rows(first, block, errors)

    def _rows(self, first: int, block: bytes, errors: list[RowError]):
        if errors and self.layout is None:
            raise InputError(f"{self.where} line 1: {errors[0].message}")
        if block and self.layout is None:
            end = block.index(b"\n")
            self.layout = read_header(block[:end], self.detector, self.where)
            first, block = first + 1, block[end + 1 :]
        if block:
            rows = parse_lines(block, first, self.layout)
            rows.errors[:0] = errors
            yield rows
        elif errors:
            yield _errors_only(self.layout, errors, {})

    def finish(self, complete: bool, why: str = "reading stopped") -> Iterator[Rows]:
        """Rows of the held partial line, or the reason it was not read.

        Parameters
        ----------
        complete : bool
            True where the input has ended for good (the end of a file read
            once, or of a pipe): its last line needs no newline. False where
            the input was followed and stopped, or replaced: the line may be
            cut short, so it is reported, never scored.
        why : str
            What ended the input, for that report.
        """
        first, pending, errors = self.splitter.take_pending()
        if not pending.strip():
            pending = b""
        if pending and self.layout is None:
            if not complete:
                return
            self.layout = read_header(pending, self.detector, self.where)
            pending = b""
        if pending and not complete:
            errors.append(
                RowError(
                    first, "", f"incomplete line (no newline when {why}); not scored"
                )
            )
            text = {first: pending.decode("utf-8", "replace")}
            yield _errors_only(self.layout, errors, text)
            return
        yield from self._rows(first, pending + b"\n" if pending else b"", errors)

    def restart(self, where: str, how: str) -> Iterator[Rows]:
        """Report what is held of the old file (`how` it went: replaced or
        truncated); read `where` from its header."""
        yield from self.finish(complete=False, why=f"the file was {how}")
        self.where = where
        self.layout = None
        self.splitter = LineSplitter(self.max_line)

    def check_started(self) -> None:
        """Raise if the input ended before its header line."""
        if self.layout is None:
            raise InputError(f"{self.where} is empty: no header line")
