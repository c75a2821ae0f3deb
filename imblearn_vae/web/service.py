"""Checking input, predicting and storing, shared by the pages and the API.

Nothing here touches the database until the whole request has passed its
checks: a rejected request stores nothing. A request's predictions are
stored as one batch (:class:`~.models.Batch`), in one transaction.
"""

import csv
import io
import json
from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select, text

from ..datasets import ATTACK_CATEGORIES
from ..detector import ECHO_LIMIT, LABEL_COLUMNS, Detector, RowError
from .models import Batch, Prediction, db, utcnow
from .scoring import Scorer

#: Compact JSON, made once (json.dumps with arguments builds an encoder per call).
to_json = json.JSONEncoder(separators=(",", ":")).encode

#: The label columns an upload's class is read from, in order of preference
#: ("difficulty" is a label column of NSL-KDD files, but no class).
CLASS_COLUMNS = ("category", "class", "target", "label", "attack")


#: Built once (Core, not the ORM: thousands of rows a request).
INSERT_BATCH = Batch.__table__.insert().returning(Batch.__table__.c.id)
INSERT_PREDICTIONS = Prediction.__table__.insert()
LAST_ROW_ID = text("SELECT last_insert_rowid()")


class InputRejected(ValueError):
    """The request's rows have problems; ``errors`` says which and where."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the input")
        self.errors = errors


def detector() -> Detector:
    return current_app.extensions["detector"]


def scorer() -> Scorer:
    return current_app.extensions["scorer"]


@dataclass
class Stored:
    """What :func:`predict_rows` stored: the batch and, per row, the
    prediction's id, class and scores (JSON text, class -> score)."""

    batch_id: int
    ids: list[int]
    labels: list[str]
    scores: list[str]


def predict_rows(
    records: list,
    source: str,
    user_id: int,
    *,
    filename: str = "",
    actual: list[str | None] | None = None,
    idempotency: tuple[str, str] | None = None,
) -> Stored:
    """Check, predict and store rows as one batch.

    Parameters
    ----------
    records : list
        The connections: field name -> text or number.
    source : {"form", "api", "upload"}
    user_id : int
        The owner.
    filename : str, default=""
        An upload's file name.
    actual : list of str or None, optional
        Each row's label (see :func:`read_labels`).
    idempotency : (str, str), optional
        An API call's Idempotency-Key and its body's SHA-256, kept with the
        batch.

    Raises
    ------
    InputRejected
        If any row has a problem (nothing is stored then).
    sqlalchemy.exc.IntegrityError
        If the user has a batch with this Idempotency-Key already (a retry
        stored meanwhile); nothing is stored then.
    """
    limit = current_app.config["MAX_ROWS"]
    if not records:
        raise InputRejected([RowError(0, "", "no connection given")])
    if len(records) > limit:
        message = f"{len(records):,} connections; at most {limit:,} per request"
        raise InputRejected([RowError(limit, "", message)])
    model = scorer()
    columns, errors = model.check(records)
    if errors:
        raise InputRejected(errors)
    labels, probabilities = model.predict(columns)
    scores = score_texts(model.classes, probabilities)
    inputs = [to_json(row) for row in model.values(columns)]
    batch = {"user_id": user_id, "source": source, "filename": filename[:255],
             "columns": to_json(model.names)}  # fmt: skip
    if idempotency is not None:
        batch["idempotency_key"], batch["request_hash"] = idempotency
    return store_batch(batch, inputs, labels, scores, actual or [None] * len(labels))


def stored_batch(batch_id: int) -> Stored:
    """What :func:`predict_rows` stored for the batch, read back."""
    rows = db.session.execute(
        select(Prediction.id, Prediction.predicted, Prediction.probabilities)
        .where(Prediction.batch_id == batch_id)
        .order_by(Prediction.id)
    ).all()
    return Stored(
        batch_id, [r.id for r in rows], [r.predicted for r in rows],
        [r.probabilities for r in rows],
    )  # fmt: skip


def store_batch(
    batch: dict,
    inputs: list[str],
    labels: list[str],
    scores: list[str],
    actual: list[str | None],
) -> Stored:
    """Store a batch (its owner, source, file name and columns in ``batch``)
    and its rows, in one transaction."""
    known = set(scorer().classes)
    connection = db.session.connection()
    batch_id = connection.execute(
        INSERT_BATCH,
        {**batch, "rows": len(labels), "created_at": utcnow(),
         "labelled": sum(a in known for a in actual)},
    ).scalar_one()  # fmt: skip
    rows = [
        {"batch_id": batch_id, "row_number": index, "inputs": text,
         "predicted": label, "probabilities": score, "actual": label_of_row}
        for index, (text, label, score, label_of_row) in enumerate(
            zip(inputs, labels, scores, actual, strict=True)
        )
    ]  # fmt: skip
    ids = insert_predictions(connection, rows)
    db.session.commit()
    return Stored(batch_id, ids, labels, scores)


def insert_predictions(connection, rows: list[dict]) -> list[int]:
    """Insert the rows; their ids, in order."""
    if connection.dialect.name != "sqlite":
        returning = INSERT_PREDICTIONS.returning(
            Prediction.__table__.c.id, sort_by_parameter_order=True
        )
        return connection.scalars(returning, rows).all()
    # SQLite numbers a new row one past the largest id ("ROWIDs and the
    # INTEGER PRIMARY KEY"), and this transaction holds the only write lock:
    # the ids are the last one and those just before it. A plain executemany
    # costs half of one that returns each id (8 ms less for 1,000 rows).
    connection.execute(INSERT_PREDICTIONS, rows)
    last = connection.execute(LAST_ROW_ID).scalar_one()
    return list(range(last - len(rows) + 1, last + 1))


def score_texts(classes: list[str], probabilities: np.ndarray) -> list[str]:
    """Each row's scores as JSON text, class -> score.

    A tree or a forest gives few distinct rows of scores: each distinct row
    is written once.
    """
    texts: dict[bytes, str] = {}
    out = []
    for row in probabilities:
        key = row.tobytes()
        text = texts.get(key)
        if text is None:
            text = texts[key] = to_json(dict(zip(classes, row.tolist(), strict=True)))
        out.append(text)
    return out


def read_labels(records: list[dict], model: Detector) -> list[str | None] | None:
    """Each row's class from its label column; None for a file without one.

    A label names a class of the model (in any case) or an NSL-KDD attack
    (``neptune``: DoS; for a normal / attack model, attack); any other text
    is kept as written (64 characters), and is left out of the scores.
    """
    if not records:
        return None
    found = {name.lower(): name for name in records[0] if isinstance(name, str)}
    column = next((found[c] for c in CLASS_COLUMNS if c in found), None)
    if column is None:
        return None
    classes = {c.lower(): c for c in model.classes}
    labels = []
    for record in records:
        text = str(record.get(column) or "").strip()
        labels.append(_class_of(text, classes, model.target) if text else None)
    return labels


def _class_of(text: str, classes: dict[str, str], target: str) -> str:
    lowered = text.lower()
    if lowered in classes:
        return classes[lowered]
    category = ATTACK_CATEGORIES.get(lowered)
    if category is not None and target == "binary":
        category = "normal" if category == "normal" else "attack"
    if category is not None and category.lower() in classes:
        return classes[category.lower()]
    return text[:64]


#: Longer than any line of an NSL-KDD file: refused before it is parsed.
MAX_LINE = 4096


def read_line(text: str, model: Detector) -> tuple[dict, str | None]:
    """One pasted line of an NSL-KDD file: the record and its label (or None).

    The line holds the features in the model's order, then optionally the
    label and the difficulty, as the data set's files do.

    Raises
    ------
    InputRejected
        Naming the field ``line``, for an empty line, several lines or a
        wrong number of values.
    """
    line = text.strip()
    count = len(model.features)
    order = ", ".join(model.feature_names[:4])
    if not line:
        raise InputRejected([RowError(0, "line", f"paste one line of {count} values")])
    if len(line) > MAX_LINE or "\n" in line:
        raise InputRejected(
            [RowError(0, "line", "paste one line of a file, not several")]
        )
    try:
        cells = next(csv.reader([line]))
    except csv.Error as error:
        raise InputRejected(
            [RowError(0, "line", f"not a CSV line ({error})")]
        ) from None
    if len(cells) not in (count, count + 1, count + 2):
        raise InputRejected(
            [
                RowError(
                    0,
                    "line",
                    f"{len(cells)} comma-separated values; a line has {count} (the "
                    f"features in NSL-KDD's order: {order}, ...), then optionally "
                    "the label and the difficulty",
                )
            ]
        )
    record = dict(zip(model.feature_names, (c.strip() for c in cells), strict=False))
    label = cells[count].strip() if len(cells) > count else ""
    classes = {c.lower(): c for c in model.classes}
    return record, (_class_of(label, classes, model.target) if label else None)


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
    if b"\x00" in data:  # a binary file, or text no database column takes
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
