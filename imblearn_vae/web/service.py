"""Checking input, predicting and storing, shared by the pages and the API.

Nothing here touches the database until the whole request has passed its
checks: a rejected request stores nothing. A request's predictions are
stored as one batch (:class:`~.models.Batch`), in one transaction.
"""

import csv
import io
from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select, text

from ..datasets import ATTACK_CATEGORIES
from ..detector import Detector, RowError, Scorer, check_header, header_separator
from ..detector.csv_cells import read_cell
from .json_text import to_json
from .models import Batch, Prediction, db, utcnow

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
        If the database refuses the batch: the user has one with this
        Idempotency-Key already (a retry stored meanwhile), or the user was
        deleted meanwhile (a foreign key); nothing is stored once the caller
        rolls the session back.
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

    The label column is the training file's own (``type`` for TON_IoT,
    ``category`` for BoT-IoT), else the first of :data:`CLASS_COLUMNS`. A
    label names a class of the model (in any case) or, for an NSL-KDD
    model, an attack (``neptune``: DoS; for a normal / attack model,
    attack); any other text is kept as written (64 characters), and is left
    out of the scores.
    """
    if not records:
        return None
    found = {name.lower(): name for name in records[0] if isinstance(name, str)}
    wanted = [model.label_column.lower(), *CLASS_COLUMNS]
    column = next((found[c] for c in wanted if c in found), None)
    if column is None or column in model.feature_names:
        return None
    classes = ClassNames(model.classes)
    labels = []
    for record in records:
        text = str(record.get(column) or "").strip()
        labels.append(_class_of(text, classes, model) if text else None)
    return labels


class ClassNames:
    """The class a label names: written as the class, or in another case
    where only one class is written so.

    A table's classes may differ by case alone (``DoS`` and ``dos``): a
    label is matched as written first, and a label in another case that
    could name either is no class (it is kept as written).
    """

    def __init__(self, classes: list[str]):
        self.exact = set(classes)
        folded: dict[str, list[str]] = {}
        for name in classes:
            folded.setdefault(name.lower(), []).append(name)
        self.folded = {k: v[0] for k, v in folded.items() if len(v) == 1}

    def get(self, text: str) -> str | None:
        return text if text in self.exact else self.folded.get(text.lower())


def _class_of(text: str, classes: ClassNames, model: Detector) -> str:
    found = classes.get(text)
    if found is not None:
        return found
    if model.is_nsl_kdd:  # an attack's name, as NSL-KDD's files give it
        category = ATTACK_CATEGORIES.get(text.lower())
        if category is not None and model.target == "binary":
            category = "normal" if category == "normal" else "attack"
        if category is not None and classes.get(category) is not None:
            return classes.get(category)
    return text[:64]


#: The longest pasted line, as ``imblearn-vae predict`` reads a line (a
#: table of 2,000 columns has lines past 16 KiB); refused before it is parsed.
MAX_LINE = 1 << 20


def read_line(text: str, model: Detector) -> tuple[dict, str | None]:
    """One pasted line of the training file: the record and its label (or None).

    The line holds the training file's columns in its order, separated as
    in the file (a comma, a tab, ...); the columns after the last feature
    (the label, say) may be left out. A file made before detectors kept
    their layout: the features in the model's order, then optionally the
    label and one more column (NSL-KDD's difficulty).

    Raises
    ------
    InputRejected
        Naming the field ``line``, for an empty line, several lines or a
        wrong number of values.
    """
    line = text.strip("\r\n ")
    columns, separator = line_layout(model)
    shortest = max(columns.index(n) for n in model.feature_names) + 1
    if not line.strip():
        raise InputRejected([RowError(0, "line", f"paste one line of {len(columns)} "
                                                 "values")])  # fmt: skip
    if len(line) > MAX_LINE:
        raise InputRejected([RowError(0, "line", f"{len(line):,} characters; a "
                                      f"line has at most {MAX_LINE:,}")])  # fmt: skip
    if "\n" in line or "\r" in line:
        raise InputRejected(
            [RowError(0, "line", "paste one line of a file, not several")]
        )
    try:
        # strict: an unclosed quote is an error, not one long last value
        cells = next(csv.reader([line], delimiter=separator, strict=True))
    except csv.Error as error:
        raise InputRejected(
            [RowError(0, "line", f"not a CSV line ({error})")]
        ) from None
    if not shortest <= len(cells) <= len(columns):
        raise InputRejected([RowError(0, "line", _line_shape(
            len(cells), columns, shortest, separator))])  # fmt: skip
    record = {n: c.strip() for n, c in zip(columns, cells, strict=False)}
    features = {n: record[n] for n in model.feature_names}
    label = record.get(model.label_column, "")
    classes = ClassNames(model.classes)
    return features, (_class_of(label, classes, model) if label else None)


def line_layout(model: Detector) -> tuple[list[str], str]:
    """The columns of a line of the training file, and their separator."""
    if model.layout.get("columns"):
        return list(model.layout["columns"]), model.layout.get("separator", ",")
    return [*model.feature_names, model.label_column, "difficulty"], ","


#: How the pages name a line's separator.
SEPARATOR_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "bar"}


def line_help(model: Detector) -> dict:
    """What the form says of a pasted line: its columns, their separator,
    and the first example row as such a line (as a placeholder)."""
    columns, separator = line_layout(model)
    example = next((rows[0] for rows in model.examples.values() if rows), {})
    last = max(columns.index(n) for n in model.feature_names)
    cells = [str(example.get(n, "…")) for n in columns[: last + 1]]
    text = separator.join(cells[:12]) + (f"{separator}..." if len(cells) > 12 else "")
    name = SEPARATOR_NAMES.get(separator, repr(separator))
    return {"line_columns": columns, "separator_name": f"{name}s", "placeholder": text}


def _line_shape(count: int, columns: list[str], shortest: int, separator: str) -> str:
    name = SEPARATOR_NAMES.get(separator, repr(separator))
    what = f"{count} {name}-separated value{'' if count == 1 else 's'}"
    fewer = "" if shortest == len(columns) else (
        f" (or the first {shortest}, up to the last feature)")  # fmt: skip
    return (
        f"{what}; a line of the training file has {len(columns)}{fewer}, in its "
        f"order: {', '.join(columns[:4])}, ..."
    )


def read_csv_upload(data: bytes, filename: str) -> tuple[list[dict], list[int]]:
    """The rows of an uploaded CSV file (a header row of the model's column
    names), and the file line of each.

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
    reader = csv.reader(
        io.StringIO(text), delimiter=header_separator(text[:MAX_LINE], detector()),
        skipinitialspace=True,  # as the training file was read (tables.read)
    )  # fmt: skip
    try:
        return _read_rows(reader, filename)
    except csv.Error as error:
        # e.g. a field over csv.field_size_limit() (128 KiB), an unclosed quote
        raise InputRejected(
            [RowError(reader.line_num, "", f"not readable as CSV ({error})")]
        ) from None


def _check_header(header: list[str], filename: str) -> None:
    """Every model column once, no unknown one (the training file's other
    columns and label columns are ignored)."""
    model = detector()
    found = check_header(header, model.features, model.ignored_columns)
    if found.none_known:
        raise InputRejected([RowError(1, "", f"{filename} has {found.no_header()}")])
    if found:
        raise InputRejected([RowError(1, c, m) for c, m in found.problems()])


def _read_rows(reader, filename: str) -> tuple[list[dict], list[int]]:
    """The records of the file's rows, and their line numbers.

    A cell (a column's name too) that the site's own downloads wrote with a
    leading ``'`` against CSV injection is read without it
    (:func:`~imblearn_vae.detector.csv_cells.read_cell`): the site reads
    back the files it writes.
    """
    header = [read_cell(h.strip()) for h in next(reader, [])]
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
        cells = [read_cell(c) if c[:1] == "'" else c for c in cells]
        records.append(dict(zip(header, cells, strict=True)))
        lines.append(line)
    if not records:
        raise InputRejected([RowError(2, "", f"{filename} has a header but no rows")])
    return records, lines
