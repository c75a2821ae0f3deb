"""Checking input and predicting, shared by the pages and the API.

Nothing here touches the database until the whole request has passed its
checks: a rejected request stores nothing.
"""

import csv
import io
import json

from flask import current_app

from ..detector import ECHO_LIMIT, LABEL_COLUMNS, Detector, RowError
from .models import Prediction, Upload, db


class InputRejected(ValueError):
    """The request's rows have problems; ``errors`` says which and where."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the input")
        self.errors = errors


def detector() -> Detector:
    return current_app.extensions["detector"]


def predict_rows(records: list[dict], source: str, user, upload: Upload | None = None):
    """Check, predict and store rows; return the stored predictions.

    Raises
    ------
    InputRejected
        If any row has a problem (nothing is stored then).
    """
    limit = current_app.config["MAX_ROWS"]
    if not records:
        raise InputRejected([RowError(0, "", "no connection given")])
    if len(records) > limit:
        raise InputRejected(
            [
                RowError(
                    limit,
                    "",
                    f"{len(records):,} connections; at most {limit:,} per request",
                )
            ]
        )
    model = detector()
    frame, errors = model.check_rows(records)
    if errors:
        raise InputRejected(errors)
    labels, probabilities = model.predict(frame)
    inputs = frame.astype(object).to_dict(orient="records")
    if upload is not None:
        db.session.add(upload)
    rows = [
        Prediction(
            user_id=user.id,
            source=source,
            upload=upload,
            row_number=index,
            inputs=json.dumps({k: _plain(v) for k, v in row.items()}),
            predicted=label,
            probabilities=json.dumps(p),
        )
        for index, (row, label, p) in enumerate(
            zip(inputs, labels, probabilities, strict=True)
        )
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def read_csv_upload(data: bytes, filename: str) -> tuple[list[dict], list[int]]:
    """The rows of an uploaded CSV file (header row of NSL-KDD column names),
    and the file line of each.

    Raises
    ------
    InputRejected
        For an empty file, one that is not CSV text, a header without the
        model's columns or with unknown ones, or too many rows. Row numbers
        in errors are the file's line numbers.
    """
    if not data.strip():
        raise InputRejected([RowError(0, "", f"{filename} is empty")])
    if b"\x00" in data[:4096]:
        raise InputRejected([RowError(0, "", f"{filename} is not a CSV text file")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputRejected(
            [RowError(0, "", f"{filename} is not a CSV text file (not UTF-8)")]
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return _read_rows(reader, filename)
    except csv.Error as error:
        # e.g. a field over csv.field_size_limit() (128 KiB), an unclosed quote
        raise InputRejected(
            [RowError(reader.line_num, "", f"not readable as CSV ({error})")]
        ) from None


def _check_header(header: list[str], filename: str) -> None:
    """Every model column once, no unknown one (label columns are ignored)."""
    names = detector().feature_names
    known = set(names)
    if not known & set(header):
        raise InputRejected(
            [
                RowError(
                    1,
                    "",
                    f"{filename} has no header row of NSL-KDD column names "
                    f"(such as {', '.join(names[:4])}, ...)",
                )
            ]
        )
    errors = [
        RowError(1, column, "missing column")
        for column in names
        if column not in header
    ]
    errors += [
        RowError(1, column[:ECHO_LIMIT], "unknown column")
        for column in header
        if column not in known and column.lower() not in LABEL_COLUMNS
    ]
    positions: dict[str, list[int]] = {}
    for position, column in enumerate(header, start=1):
        positions.setdefault(column, []).append(position)
    errors += [
        RowError(
            1,
            column[:ECHO_LIMIT],
            f"given more than once (columns {', '.join(map(str, found))}); keep one",
        )
        for column, found in positions.items()
        if len(found) > 1
    ]
    if errors:
        raise InputRejected(errors)


def _read_rows(reader, filename: str) -> tuple[list[dict], list[int]]:
    header = [h.strip() for h in next(reader, [])]
    _check_header(header, filename)
    limit = current_app.config["MAX_ROWS"]
    records, lines = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputRejected(
                [
                    RowError(
                        line, "", f"{len(cells)} fields; the header has {len(header)}"
                    )
                ]
            )
        if len(records) == limit:
            raise InputRejected(
                [
                    RowError(
                        line,
                        "",
                        f"more than {limit:,} connections; at most {limit:,} per file",
                    )
                ]
            )
        records.append(dict(zip(header, cells, strict=True)))
        lines.append(line)
    if not records:
        raise InputRejected([RowError(2, "", f"{filename} has a header but no rows")])
    return records, lines
