"""The scoring loop: rows in, checks, scores and rejects out, batch by batch."""

import io
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from ..detector import Detector, RowError, check_columns
from ..detector.rows import select_rows
from ._csv import CsvReader, Rows
from ._header import InputError
from ._output import Rejects, ScoreWriter
from ._parquet import parquet_rows
from ._sources import Replaced, follow_chunks, read_chunks


@dataclass
class Counts:
    """What a run of :func:`score_input` did."""

    scored: int = 0  # rows written to the output
    rejected: int = 0  # input lines written to the rejects
    restarts: int = 0  # times the followed file was replaced or truncated


def score_input(
    detector: Detector,
    source: str | os.PathLike,
    out: BinaryIO,
    rejects: TextIO,
    *,
    follow: bool = False,
    input_format: str = "auto",
    stop: threading.Event | None = None,
    poll: float = 0.01,
    notice: Callable[[str], None] | None = None,
) -> Counts:
    """Score every row of a CSV or Parquet input; write scores and rejects.

    Parameters
    ----------
    detector : Detector
        What :func:`~imblearn_vae.detector.load_detector` returns.
    source : str or path-like
        The input file, or ``"-"`` for standard input. CSV files start with
        a header line of the model's column names (label columns allowed).
    out : binary file object
        Receives CSV: ``line,label,p_<class>...``, one row per scored line.
    rejects : text file object
        Receives CSV: ``line,field,reason,text``, one row per problem.
    follow : bool, default=False
        Keep reading the file as it grows until `stop` is set; survive its
        replacement or truncation. Each batch is written (and flushed) as it
        comes.
    input_format : {"auto", "csv", "parquet"}, default="auto"
        ``"auto"``: Parquet for a ``.parquet`` or ``.pq`` name, else CSV.
    stop : threading.Event, optional
        Set it to end a followed input; what is held of an unfinished last
        line is then reported in the rejects.
    poll : float, default=0.01
        Seconds between looks at a followed file that has not grown.
    notice : callable, optional
        Called with a sentence when the followed file is replaced or truncated.

    Returns
    -------
    Counts

    Raises
    ------
    InputError
        If the input is missing, empty, unreadable or its header does not
        match the model's columns; rows already scored stay written.
    """
    counts = Counts()
    scorer = ScoreWriter(detector)
    rejected = Rejects(rejects)
    out.write(scorer.header.encode())
    halt = threading.Event()  # set when this run ends, however it ends

    def stopped() -> bool:
        return halt.is_set() or (stop is not None and stop.is_set())

    rows_of = _rows(
        detector, source, follow, input_format, stopped, poll,
        notice or (lambda _: None), counts,
    )  # fmt: skip
    checked = (_check(detector.features, rows) for rows in rows_of)
    # A followed file comes in small batches, where handing each to another
    # thread costs more latency than the overlap gains (most on a busy
    # machine, where each hand-over waits for the scheduler); a file read
    # once or a pipe comes in large ones, where the overlap pays.
    batches = _inline(checked, halt) if follow else _in_background(checked, halt)
    for rows, valid, lines, errors in batches:
        rejected.write(errors, rows.text)
        out.write(scorer.score(valid, lines))
        counts.scored += len(lines)
        # A batch is what was there to read: as it comes, it is passed on.
        out.flush()
        rejects.flush()
    counts.rejected = rejected.rows
    return counts


def _check(features, rows: Rows):
    """The checked columns of the rows that pass, their lines, and the errors
    (:func:`~imblearn_vae.detector.check_columns`, the detector's one rule)."""
    values = {f.name: rows.frame[f.name] for f in features}
    columns, ok, problems = check_columns(
        features, values, cell=rows.cell, doubtful=rows.doubtful
    )
    errors = rows.errors + [
        RowError(int(rows.lines[position]), field, message)
        for position, field, message in problems
    ]
    errors.sort(key=lambda error: error.row)
    valid = columns if ok.all() else select_rows(columns, ok)
    return rows, valid, rows.lines[ok], errors


def _inline(items: Iterator, halt: threading.Event):
    """What `items` yields, made in this thread."""
    try:
        yield from items
    finally:
        halt.set()


def _in_background(items: Iterator, halt: threading.Event, depth: int = 2):
    """What `items` yields, made ahead in a thread, at most `depth` waiting.

    Reading and checking a batch (pandas' parser, numpy) and scoring the one
    before it (scikit-learn, numpy) release the GIL for much of their work, so
    the two overlap on two cores. An exception of the reader comes out here.
    """
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    finished = object()

    def give(item) -> bool:
        while not halt.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            for item in items:
                if not give((item, None)):
                    return
            give((finished, None))
        except BaseException as error:  # re-raised in the caller's thread
            give((None, error))

    reader = threading.Thread(target=work, name="imblearn-vae predict reader")
    reader.daemon = True  # a read blocked on a silent pipe must not hold the exit
    reader.start()
    try:
        while True:
            item, error = handoff.get()
            if error is not None:
                raise error
            if item is finished:
                return
            yield item
    finally:
        halt.set()  # a followed file stops being read; a waiting reader gives up
        reader.join(timeout=1)


def _is_parquet(source, input_format: str) -> bool:
    if input_format != "auto":
        return input_format == "parquet"
    return str(source).lower().endswith((".parquet", ".pq"))


def _rows(detector, source, follow, input_format, stopped, poll, notice, counts):
    where = "standard input" if str(source) == "-" else str(source)
    if _is_parquet(source, input_format):
        if follow:
            raise InputError("--follow reads CSV; a Parquet file is written whole")
        if str(source) == "-":  # Parquet needs to seek: hold the whole input
            source = io.BytesIO(sys.stdin.buffer.read())
        yield from parquet_rows(source, detector, where)
        return
    reader = CsvReader(detector, where)
    for chunk in _chunks(source, where, follow, stopped, poll):
        if isinstance(chunk, Replaced):
            counts.restarts += 1
            notice(f"{where} was {chunk.how}; reading it again from its header")
            yield from reader.restart(where, chunk.how)
        else:
            yield from reader.feed(chunk)
    yield from reader.finish(complete=not follow)
    if not follow:
        reader.check_started()


def _chunks(source, where, follow, stopped, poll) -> Iterator[bytes | Replaced]:
    if str(source) == "-":
        if follow:
            raise InputError(
                "--follow needs a file: standard input is read as it comes"
            )
        yield from read_chunks(sys.stdin.fileno())
        return
    if os.path.isdir(source):
        raise InputError(f"{where} is a folder, not a file")
    if not os.path.exists(source):
        raise InputError(f"{where}: no such file")
    if follow:
        yield from follow_chunks(source, stopped, poll)
        return
    fd = os.open(source, os.O_RDONLY)
    try:
        yield from read_chunks(fd)
    finally:
        os.close(fd)


__all__ = ["Counts", "InputError", "Rows", "score_input"]
