"""The OpenAPI document of the API, built from the model's schema.

It says exactly what the API accepts (schemathesis fuzzes the API from it in
the tests): every field required, label columns optional and ignored, no
other field, 1 to ``MAX_ROWS`` connections.
"""

from ..detector import INT64_MAX, LABEL_COLUMNS, Detector, Feature

#: Every error answer, each a JSON list of errors.
ERRORS = {
    "400": "Bad input: each problem names its row and field",
    "401": "Missing, unknown or revoked token",
    "409": "The database refused the rows because of a change made meanwhile "
    "(the account deleted, say); nothing was stored",
    "413": "Request larger than the limit",
    "422": "The Idempotency-Key was used before with another body",
    "429": "Over a rate limit; Retry-After says when to try again",
    "500": "The server failed; the error is logged",
}

#: The optional Idempotency-Key header (api.py checks a key with the pattern).
IDEMPOTENCY_KEY = {
    "type": "string",
    "minLength": 1,
    "maxLength": 255,
    "pattern": "^[!-~]{1,255}$",
}

ERRORS_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "row": {"type": "integer"},
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        }
    },
}


def openapi_document(model: Detector, max_rows: int) -> dict:
    """The OpenAPI 3.0 description of the API, with the model's fields."""
    errors = {"$ref": "#/components/schemas/Errors"}
    responses = {
        "200": {"description": "The class and the probability of each class, "
                "per row"},
        **{status: {"description": text,
                    "content": {"application/json": {"schema": errors}}}
           for status, text in ERRORS.items()},
    }  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "imblearn-vae detector API",
            "version": model.version,
            "description": f"Predict the class of rows of {model.table_name}'s "
            f"kind ({len(model.features)} features: "
            f"{', '.join(model.feature_names[:6])}"
            f"{', ...' if len(model.features) > 6 else ''}). Classes: "
            + ", ".join(model.classes),
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Connection": _connection(model), "Errors": ERRORS_SCHEMA},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/predict": {
                "post": {
                    "summary": "Predict one connection or many",
                    "parameters": [_idempotency_key()],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _body(max_rows)}},
                    },
                    "responses": responses,
                }
            }
        },
    }


def _idempotency_key() -> dict:
    return {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "schema": IDEMPOTENCY_KEY,
        "description": "Any unique text for this call (e.g. a UUID). A retry "
        "with the same key and body gets the stored answer, with the header "
        "Idempotent-Replayed: true, and is not stored again.",
    }


def _body(max_rows: int) -> dict:
    one = {"$ref": "#/components/schemas/Connection"}
    many = {
        "type": "object",
        "required": ["connections"],
        "properties": {
            "connections": {
                "type": "array",
                "items": one,
                "minItems": 1,
                "maxItems": max_rows,
            }
        },
        "additionalProperties": False,
    }
    return {"oneOf": [one, many]}


def _connection(model: Detector) -> dict:
    properties = {feature.name: _field(feature) for feature in model.features}
    ignored = [*LABEL_COLUMNS, *model.ignored_columns]
    labels = {
        name: {"description": "a label column, or another column of the "
               "training file: ignored"}
        for name in ignored if name not in properties
    }  # fmt: skip
    return {
        "type": "object",
        "properties": {**properties, **labels},
        "required": list(properties),
        "additionalProperties": False,
    }


def _field(feature: Feature) -> dict:
    if feature.kind == "categorical":
        schema = {"type": "string", "enum": feature.categories}
    else:
        schema = {"type": "integer" if feature.kind == "integer" else "number"}
        if feature.kind == "integer":
            schema["maximum"] = INT64_MAX
        if feature.lower_bound is not None:
            schema["minimum"] = feature.lower_bound
        if feature.upper_bound is not None:
            schema["maximum"] = feature.upper_bound
    schema["description"] = feature.describe()
    return schema
