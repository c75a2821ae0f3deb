"""The OpenAPI document of the API, built from the model's schema."""

from ..detector import INT64_MAX, LABEL_COLUMNS, Detector

#: The error answers besides 400, each a JSON list of errors.
ERRORS = {
    "401": "Missing, unknown or revoked token",
    "413": "Request larger than the limit",
    "429": "Over a rate limit; Retry-After says when to try again",
    "500": "The server failed; the error is logged",
}


def openapi_document(model: Detector, max_rows: int) -> dict:
    """The OpenAPI 3.0 description of the API, with the model's fields.

    It says exactly what the API accepts (schemathesis fuzzes the API from
    it in the tests): every field required, label columns optional and
    ignored, no other field, 1 to ``max_rows`` connections.
    """
    properties = {}
    for feature in model.features:
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
        properties[feature.name] = schema
    error = {
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
    body = {"oneOf": [one, many]}
    labels = {
        name: {"description": "a label column, ignored"} for name in LABEL_COLUMNS
    }
    connection = {
        "type": "object",
        "properties": {**properties, **labels},
        "required": list(properties),
        "additionalProperties": False,
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "imblearn-vae intrusion detection API",
            "version": model.version,
            "description": "Predict 'normal' or the attack type of network "
            "connections (NSL-KDD features). Classes: " + ", ".join(model.classes),
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Connection": connection, "Errors": error},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/predict": {
                "post": {
                    "summary": "Predict one connection or many",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": body}},
                    },
                    "responses": {
                        "200": {
                            "description": "The class and the probability of "
                            "each class, per connection"
                        },
                        "400": {
                            "description": "Bad input: each problem names its "
                            "row and field",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                        **{
                            status: {
                                "description": text,
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "$ref": "#/components/schemas/Errors"
                                        }
                                    }
                                },
                            }
                            for status, text in ERRORS.items()
                        },
                    },
                }
            }
        },
    }
