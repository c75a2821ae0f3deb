"""The JSON API for programs: ``POST /api/v1/predict`` with a bearer token.

Every answer is JSON, errors included (:mod:`.errors` answers what breaks
outside these views); each error names its row and field. The limits of
:mod:`.limits` apply to every request here.
"""

import json

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select

from ..detector import RowError
from .models import ApiToken, User, db, hash_token, utcnow
from .openapi import openapi_document
from .service import InputRejected, detector, predict_rows

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def _error(status: int, errors: list[RowError], **headers):
    response = jsonify({"errors": [e.as_dict() for e in errors]})
    response.status_code = status
    response.headers.update(headers)
    return response


def _unauthorized(message: str):
    return _error(
        401,
        [RowError(0, "Authorization", message)],
        **{"WWW-Authenticate": 'Bearer realm="imblearn-vae"'},
    )


@blueprint.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return _unauthorized(
            "send the header 'Authorization: Bearer <token>'; "
            "create a token on the site's Tokens page"
        )
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(secret.strip()))
    )
    if token is None or not token.active:
        return _unauthorized("unknown or revoked token")
    token.last_used_at = utcnow()
    db.session.commit()
    g.api_user = db.session.get(User, token.user_id)
    return None


@blueprint.route("/predict", methods=["POST"])
def predict():
    """Predict one connection (a JSON object) or many (``{"connections": [...]}``)."""
    body, problem = _json_body()
    if problem:
        return _error(400, [RowError(0, "", problem)])
    if isinstance(body, dict) and "connections" in body:
        records = body["connections"]
        if not isinstance(records, list):
            return _error(400, [RowError(0, "connections", "must be a list")])
    elif isinstance(body, dict):
        records = [body]
    else:
        return _error(
            400,
            [
                RowError(
                    0, "", 'send one connection as an object, or {"connections": [...]}'
                )
            ],
        )
    try:
        stored = predict_rows(records, "api", g.api_user)
    except InputRejected as rejected:
        return _error(400, rejected.errors[:100])
    model = detector()
    return jsonify(
        {
            "predictions": [
                {
                    "row": p.row_number,
                    "id": p.id,
                    "class": p.predicted,
                    "probabilities": json.loads(p.probabilities),
                }
                for p in stored
            ],
            "model": {"version": model.version, "classes": model.classes},
        }
    )


def _json_body() -> tuple[object, str | None]:
    """The request's JSON, or why it cannot be read."""
    if not request.is_json:
        return None, "the body must be JSON with the Content-Type application/json"
    try:
        return json.loads(request.get_data(cache=False)), None
    except RecursionError:
        return None, "the body is not valid JSON: nested too deeply"
    except ValueError as error:  # UnicodeDecodeError and digit limits too
        return None, f"the body is not valid JSON: {str(error)[:120]}"


@blueprint.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(detector(), current_app.config["MAX_ROWS"]))
