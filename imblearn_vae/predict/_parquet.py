"""Parquet in: the same rows as from a CSV file, numbered from 1."""

import os
from collections.abc import Iterator

import numpy as np
import pandas as pd

from ._csv import Rows
from ._header import InputError, refuse_bad_header

#: Rows read at once, about the size of a CSV batch.
BATCH_ROWS = 32_768


def parquet_rows(source, detector, where: str) -> Iterator[Rows]:
    """The feature columns of a Parquet file, a row group's batch at a time.

    Parameters
    ----------
    source : str, path-like or binary file object
        The Parquet file.
    detector : Detector
        Its features, and the training file's columns it ignores.
    where : str
        The input's name, for messages.

    Raises
    ------
    InputError
        If pyarrow is missing, the file is not Parquet, or its columns do not
        match the model's.
    """
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install pyarrow") from None
    try:
        table = pq.ParquetFile(source)
    except (pyarrow.ArrowException, OSError) as error:
        if isinstance(source, (str, os.PathLike)) and not os.path.exists(source):
            raise InputError(f"{where}: no such file") from None
        raise InputError(f"{where} is not a readable Parquet file ({error})") from None
    refuse_bad_header(table.schema_arrow.names, detector, f"{where} columns")
    names = detector.feature_names
    first = 1
    for batch in table.iter_batches(batch_size=BATCH_ROWS, columns=names):
        frame = batch.to_pandas()
        for i, name in enumerate(names):
            if batch.column(i).null_count:  # None (reported as missing), not NaN
                frame[name] = pd.Series(batch.column(i).to_pylist(), dtype=object)
        yield Rows(
            frame=frame,
            lines=np.arange(first, first + len(frame)),
            errors=[],
            text=_texts(frame, first),
            cell=lambda position, name, frame=frame: frame[name].iloc[position],
        )
        first += len(frame)


def _texts(frame, first: int):
    def text(row: int) -> str:
        return ",".join(str(value) for value in frame.iloc[row - first].tolist())

    return text
