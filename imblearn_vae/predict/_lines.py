"""Lines and fields of CSV bytes, found with numpy before pandas reads them.

:class:`LineSplitter` cuts a stream into blocks of complete lines and holds a
partial last line; :func:`scan` finds where each line and field of a block
starts and ends, so that every row keeps its line number, a line with the
wrong number of fields is refused alone, and the cells whose number pandas'
fast parser may round differently from Python's ``float`` are known.
"""

import csv
from dataclasses import dataclass

import numpy as np

from ..detector import RowError

#: A line not ended within this many bytes is dropped (and reported): what is
#: held of a partial line stays bounded however the input misbehaves.
MAX_LINE = 1 << 20

#: pandas' default float parser is exact (as Python's float) for a decimal
#: with at most 15 digits and no exponent: it divides an integer below 2**53
#: by an exact power of ten. A longer field, or one with an exponent, is
#: doubtful.
EXACT_FIELD = 15


class LineSplitter:
    """Cuts a byte stream into blocks of complete lines.

    The bytes after the last newline are held until the rest of their line
    comes; a line that grows past :data:`MAX_LINE` while held is dropped and
    reported.
    """

    def __init__(self, max_line: int = MAX_LINE):
        self.max_line = max_line
        self.pending = b""
        self.line = 1  # the number of the line that `pending` starts
        self.overlong = False  # dropping the rest of an overlong line

    def feed(self, data: bytes) -> tuple[int, bytes, list[RowError]]:
        """The first line number and the complete lines that `data` ends.

        Returns
        -------
        first : int
            The line number of the block's first line.
        block : bytes
            Complete lines, each ending in a newline (possibly empty).
        errors : list of RowError
            Lines dropped for their length.
        """
        errors = []
        if self.overlong:
            end = data.find(b"\n")
            if end < 0:
                return self.line, b"", errors
            errors.append(self._too_long())
            data = data[end + 1 :]
        end = data.rfind(b"\n")
        if end < 0:
            self.pending += data
            block = b""
        else:
            block = self.pending + data[: end + 1] if self.pending else data[: end + 1]
            self.pending = data[end + 1 :]
        first = self.line
        self.line += block.count(b"\n")
        if len(self.pending) > self.max_line:
            self.pending, self.overlong = b"", True
        return first, block, errors

    def _too_long(self) -> RowError:
        error = RowError(
            self.line, "", f"line longer than {self.max_line:,} bytes; not read"
        )
        self.line += 1
        self.overlong = False
        return error

    def take_pending(self) -> tuple[int, bytes, list[RowError]]:
        """What is held of the last line, as a block of its own, and forget it."""
        errors = [self._too_long()] if self.overlong else []
        first, pending = self.line, self.pending
        self.pending = b""
        if pending:
            self.line += 1
        return first, pending, errors


@dataclass
class Scan:
    """Where the lines of a block start and end, and how many fields each has."""

    starts: np.ndarray  # offset of each line
    ends: np.ndarray  # offset of its end, before CR LF or LF
    fields: np.ndarray  # its number of fields; -1 where the csv module refuses it
    terminators: np.ndarray | None  # each field's end (None when quoted)


def scan(block: bytes, delimiter: str) -> Scan:
    """Find the lines and fields of a block of complete lines."""
    data = np.frombuffer(block, dtype=np.uint8)
    if b'"' in block:
        return _scan_quoted(block, data, delimiter)
    # Every field ends at a delimiter or a newline: one pass finds them all.
    terminators = np.flatnonzero((data == ord(delimiter)) | (data == ord("\n")))
    newlines = np.flatnonzero(data[terminators] == ord("\n"))
    fields = np.diff(newlines, prepend=-1)
    starts, ends = _bounds(data, terminators[newlines])
    return Scan(starts, ends, fields, terminators)


def _bounds(data: np.ndarray, newlines: np.ndarray):
    starts = np.empty_like(newlines)
    starts[:1] = 0
    starts[1:] = newlines[:-1] + 1
    carriage = (newlines > starts) & (data[np.maximum(newlines - 1, 0)] == ord("\r"))
    return starts, newlines - carriage


def _scan_quoted(block: bytes, data: np.ndarray, delimiter: str) -> Scan:
    # Quoted fields may hold the delimiter: count them the slow, exact way, each
    # line on its own (strict: a quote left open is an error, not a newline).
    starts, ends = _bounds(data, np.flatnonzero(data == ord("\n")))
    fields = np.empty(len(starts), dtype=np.int64)
    for i, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        text = block[start:end].decode("utf-8", "replace")
        try:
            fields[i] = len(next(csv.reader([text], delimiter=delimiter, strict=True)))
        except csv.Error:
            fields[i] = -1
    return Scan(starts, ends, fields, None)


def doubtful_cells(block: bytes, lines: Scan, width: int) -> np.ndarray | None:
    """Which cells pandas' fast float parser may read inexactly.

    Parameters
    ----------
    block : bytes
        Lines that all have `width` fields, none quoted.
    lines : Scan
        Its scan.
    width : int
        Fields per line.

    Returns
    -------
    numpy.ndarray of bool, shape (lines, width), or None
        True for a field longer than :data:`EXACT_FIELD` bytes or holding an
        ``e`` or ``E``; None if the block is not as described.
    """
    ends = lines.terminators
    if ends is None or len(ends) != len(lines.starts) * width:
        return None
    # A field starts after the previous field's end, the first of a line after
    # the previous line's newline: one difference gives every length.
    lengths = (np.diff(ends, prepend=-1) - 1).reshape(-1, width)
    data = np.frombuffer(block, dtype=np.uint8)
    letters = np.flatnonzero((data | 0x20) == ord("e"))  # e or E
    exponent = np.zeros(ends.size, dtype=bool)
    exponent[np.searchsorted(ends, letters)] = True
    return (lengths > EXACT_FIELD) | exponent.reshape(lengths.shape)
