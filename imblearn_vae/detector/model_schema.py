"""What a model file's description (``detector.json``) may hold, checked
before a detector is made of it.

A model file travels, and the site shows what its description says; its
hash detects damage, not a forger, and skops' trusted types keep its
pipeline from running code, but neither says that the description is what
``train`` writes. A description that is not (a feature's name that is no
text, a number's range missing, a separator of two characters, a summary
without its quartiles) was a 500 on the page that read it, some of them
public. :func:`check_fields` refuses such a file when it is loaded, naming
the field: its shape by a JSON Schema (:data:`SCHEMA`, checked with
jsonschema-rs), and what a schema does not say (names given once, the
matrix's size, each summary of a feature's kind) in a few lines after it.
"""

import functools

#: Text.
TEXT = {"type": "string"}
#: A count.
COUNT = {"type": "integer", "minimum": 0}
#: A number, or nothing (a measure that does not apply).
NUMBER = {"type": "number"}
#: Text -> count.
COUNTS = {"type": "object", "additionalProperties": COUNT}
#: Text -> number.
NUMBERS = {"type": "object", "additionalProperties": NUMBER}
#: A value of an example row.
VALUE = {"type": ["string", "number", "boolean", "null"]}
#: The separators of a training file's lines (those ``train`` reads).
SEPARATORS = [",", "\t", ";", "|"]

FEATURE = {
    "type": "object",
    "required": ["name", "kind"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "kind": {"enum": ["categorical", "integer", "number"]},
        "categories": {"type": "array", "items": TEXT, "uniqueItems": True},
        "minimum": {"type": ["number", "null"]},
        "maximum": {"type": ["number", "null"]},
        "lower_bound": {"type": ["number", "null"]},
        "upper_bound": {"type": ["number", "null"]},
    },
    # a category's field lists its categories; a number's, its range
    "if": {"properties": {"kind": {"const": "categorical"}}},
    "then": {"required": ["categories"],
             "properties": {"categories": {"minItems": 1}}},
    "else": {"required": ["minimum", "maximum"],
             "properties": {"minimum": NUMBER, "maximum": NUMBER}},
}  # fmt: skip

SCORES = {
    "type": "object",
    "required": ["accuracy", "f1_weighted", "f1_macro"],
    "properties": {
        "accuracy": NUMBER,
        "f1_weighted": NUMBER,
        "f1_macro": NUMBER,
        "recall": NUMBERS,
        "confusion": {"type": "array", "items": {"type": "array", "items": COUNT}},
        "test_rows": COUNT,
        "test": TEXT,
    },
}

NUMBER_SUMMARY = {
    "type": "object",
    "required": ["low", "high", "log", "classes"],
    "properties": {
        "low": NUMBER,
        "high": NUMBER,
        "log": {"type": "boolean"},
        "classes": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["quartiles", "mean", "rows"],
                "properties": {
                    "quartiles": {"type": "array", "items": NUMBER,
                                  "minItems": 5, "maxItems": 5},
                    "mean": NUMBER,
                    "rows": COUNT,
                },
            },
        },
    },
}  # fmt: skip

CATEGORY_SUMMARY = {
    "type": "object",
    "required": ["categories", "classes"],
    "properties": {
        "categories": {"type": "array", "items": TEXT},
        "classes": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["counts", "other", "rows"],
                "properties": {"counts": COUNTS, "other": COUNT, "rows": COUNT},
            },
        },
    },
}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["features", "classes", "target", "version", "command", "scores",
                 "examples", "created"],
    "properties": {
        "features": {"type": "array", "items": FEATURE, "minItems": 1},
        "classes": {"type": "array", "items": TEXT, "minItems": 1,
                    "uniqueItems": True},
        "target": TEXT,
        "version": TEXT,
        "command": TEXT,
        "created": TEXT,
        "scores": {**SCORES, "properties": {**SCORES["properties"],
                                            "held_out": SCORES}},
        "examples": {"type": "object", "additionalProperties": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": VALUE}}},
        "settings": {"type": "object",
                     "additionalProperties": {"type": ["string", "number", "null"]}},
        "source": {"type": "object", "properties": {
            "name": TEXT, "loader": TEXT, "label": TEXT, "rows": COUNT,
            "test": TEXT,
            "dropped": {"type": "object", "additionalProperties": TEXT},
            "imputed": COUNTS}},
        "layout": {"type": "object", "properties": {
            "columns": {"type": "array", "items": TEXT, "uniqueItems": True},
            "label": TEXT,
            "separator": {"enum": SEPARATORS}}},
        "counts": {"type": "object", "properties": {"training": COUNTS,
                                                    "balanced": COUNTS}},
        "profile": {"type": "object", "additionalProperties": {
            "oneOf": [NUMBER_SUMMARY, CATEGORY_SUMMARY]}},
        "balancing": {"type": "object", "properties": {
            "generated": COUNTS, "removed": COUNTS, "filter_refused": NUMBERS,
            "distance": {"type": "object", "additionalProperties": {
                "type": "object",
                "required": ["generated_to_real", "copies"],
                "properties": {"generated_to_real": NUMBER, "copies": NUMBER,
                               "real_to_real": NUMBER, "measured": COUNT}}}}},
        "entry": {"type": "object", "properties": {
            "entries": COUNT, "rule": TEXT, "chose": TEXT,
            "seeds": {"type": "array"},
            "f1_macro": {"type": "array", "items": NUMBER, "minItems": 2},
            "accuracy": {"type": "array", "items": NUMBER, "minItems": 2}},
            # none (trained without a comparison), or all the page shows
            "if": {"minProperties": 1},
            "then": {"required": ["entries", "rule", "f1_macro", "accuracy",
                                  "seeds"]}},
    },
}  # fmt: skip


@functools.cache
def _validator():
    import jsonschema_rs

    return jsonschema_rs.validator_for(SCHEMA)


def check_fields(fields: dict) -> None:
    """Refuse a description that is not what ``train`` writes.

    Parameters
    ----------
    fields : dict
        ``detector.json`` as read.

    Raises
    ------
    ValueError
        Naming the first field that is wrong, and how.
    """
    for error in _validator().iter_errors(fields):
        where = "/".join(str(step) for step in error.instance_path) or "its top"
        raise ValueError(f"{where[:120]}: {error.message[:200]}")
    problem = _what_a_schema_does_not_say(fields)
    if problem:
        raise ValueError(problem)


def _nul_at(value, path: str = "") -> str | None:
    """Where a text (or a name of a field) holds a NUL character; None if
    none does. The site's database may be PostgreSQL, whose text refuses
    it: a class named so (a Parquet table's) was a 500 at each prediction
    of it."""
    if isinstance(value, str):
        return path or "its top" if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = f"{path}/{key}" if path else str(key)
        if isinstance(key, str) and "\x00" in key:
            return where
        found = _nul_at(item, where)
        if found:
            return found
    return None


def _what_a_schema_does_not_say(fields: dict) -> str | None:
    nul = _nul_at(fields)
    if nul:
        return f"{nul[:120]!r}: holds a NUL character, which no text of the site may"
    names = [f["name"] for f in fields["features"]]
    if len(set(names)) != len(names):
        return "features: a name is given twice"
    classes = fields["classes"]
    held_out = fields["scores"].get("held_out")
    for key, scores in (("scores", fields["scores"]), ("scores/held_out", held_out)):
        matrix = (scores or {}).get("confusion")
        if matrix and (len(matrix) != len(classes)
                       or any(len(row) != len(classes) for row in matrix)):  # fmt: skip
            return f"{key}/confusion: not a matrix of the {len(classes)} classes"
    columns = fields.get("layout", {}).get("columns")
    if columns and not set(names) <= set(columns):
        return "layout/columns: not every feature is a column of the layout"
    kinds = {f["name"]: f["kind"] for f in fields["features"]}
    for name, summary in fields.get("profile", {}).items():
        categorical = "categories" in summary
        if name not in kinds or categorical != (kinds[name] == "categorical"):
            return f"profile/{name[:80]}: no summary of a feature of this model"
    for label, rows in fields["examples"].items():
        if any(not set(names) <= row.keys() for row in rows):
            return f"examples/{label[:80]}: a row without every feature"
    return None
