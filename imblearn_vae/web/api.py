"""The JSON API for programs: ``POST /api/v1/predict`` with a bearer token.

Every answer is JSON, errors included (:mod:`.errors` answers what breaks
outside these views); each error names its row and field. The limits of
:mod:`.limits` apply to every request here.

A call may carry an ``Idempotency-Key`` header (the IETF HTTPAPI draft
"The Idempotency-Key HTTP Header Field"): a retry with the same key and
body gets the stored answer (``Idempotent-Replayed: true``) instead of
being stored twice, so a program may retry a call whose answer it lost; the
same key with another body is a 422.
"""

import datetime
import hashlib
import re

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_login import current_user
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from ..detector import RowError
from .errors import REFUSED_ROWS
from .json_text import parse
from .models import ApiToken, Batch, db, hash_token, utcnow
from .openapi import IDEMPOTENCY_KEY, openapi_document
from .service import (
    InputRejected,
    detector,
    predict_rows,
    scorer,
    stored_batch,
    to_json,
)

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


_tokens = ApiToken.__table__.c
#: Built once: a statement costs more to build than to run here.
FIND_TOKEN = select(
    _tokens.id, _tokens.user_id, _tokens.revoked_at, _tokens.last_used_at
).where(_tokens.token_hash == bindparam("hash"))

#: A token's "last used" time is written at most this often: the Tokens page
#: shows minutes, and a write per request would cost a commit per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@blueprint.before_request
def authenticate():
    if request.endpoint == "api.openapi" and current_user.is_authenticated:
        # the description is for the API's users: a bearer token, or a
        # session of the site (its Tokens page links it). It lists every
        # category training saw and each number's range, which the site
        # shows to users who are logged in only (a table's column of host
        # names would be on it).
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return _unauthorized(
            "send the header 'Authorization: Bearer <token>'; "
            "create a token on the site's Tokens page"
        )
    token = db.session.execute(FIND_TOKEN, {"hash": hash_token(secret.strip())}).first()
    if token is None or token.revoked_at is not None:
        return _unauthorized("unknown or revoked token")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        db.session.execute(
            update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
        )
        db.session.commit()
    g.api_user_id = token.user_id
    return None


@blueprint.route("/predict", methods=["POST"])
def predict():
    """Predict one connection (a JSON object) or many (``{"connections": [...]}``)."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not re.fullmatch(IDEMPOTENCY_KEY["pattern"], key):
        return _key_error(
            400, "1 to 255 printable ASCII characters without spaces, e.g. a UUID"
        )
    body, problem = _json_body()
    if problem:
        return _error(400, [RowError(0, "", problem)])
    idempotency = None
    if key is not None:
        idempotency = (key, hashlib.sha256(request.get_data()).hexdigest())
        replay = _replay(*idempotency)
        if replay is not None:
            return replay
    records, problem = _records(body)
    if problem:
        return _error(400, [problem])
    try:
        stored = predict_rows(records, "api", g.api_user_id, idempotency=idempotency)
    except InputRejected as rejected:
        return _error(400, rejected.errors[:100])
    except IntegrityError:
        db.session.rollback()
        return _conflict(idempotency)
    return Response(_answer(stored), mimetype="application/json")


def _conflict(idempotency: tuple[str, str] | None) -> Response:
    """The answer to a call whose rows the database refused (rolled back,
    nothing stored): a retry with its key stored meanwhile gets that call's
    answer; any other refusal (the account deleted during the call, say,
    with or without a key) is a 409, not a 500."""
    replay = None if idempotency is None else _replay(*idempotency)
    if replay is not None:
        return replay
    return _error(409, [RowError(0, "", REFUSED_ROWS)])


def _records(body) -> tuple[list, RowError | None]:
    """The connections of a JSON body, or what is wrong with its shape.

    A table may have a column named ``connections``: an object whose
    ``connections`` is not a list is then one connection (no value of a
    feature is a list), as the OpenAPI document says.
    """
    if isinstance(body, dict) and "connections" in body:
        records = body["connections"]
        if isinstance(records, list):
            return records, None
        if "connections" not in detector().feature_names:
            return [], RowError(0, "connections", "must be a list")
    if isinstance(body, dict):
        return [body], None
    return [], RowError(
        0, "", 'send one connection as an object, or {"connections": [...]}'
    )


def _key_error(status: int, message: str):
    return _error(status, [RowError(0, "Idempotency-Key", message)])


def _replay(key: str, digest: str) -> Response | None:
    """The stored answer of this user's call with ``key``; None if none."""
    found = db.session.scalar(
        select(Batch).where(
            Batch.user_id == g.api_user_id, Batch.idempotency_key == key
        )
    )
    if found is None:
        return None
    if found.request_hash != digest:
        return _key_error(
            422, "this key was used with another body; a new request needs a new key"
        )
    response = Response(_answer(stored_batch(found.id)), mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _answer(stored) -> str:
    """The answer's JSON, written around each row's stored score text."""
    model = scorer()
    names = {label: to_json(label) for label in set(stored.labels)}
    rows = ",".join(
        f'{{"row":{row},"id":{id_},"class":{names[label]},"probabilities":{scores}}}'
        for row, (id_, label, scores) in enumerate(
            zip(stored.ids, stored.labels, stored.scores, strict=True)
        )
    )
    about = to_json(
        {"version": model.detector.version, "classes": model.detector.classes,
         "scores": model.meaning}
    )  # fmt: skip
    return f'{{"predictions":[{rows}],"batch":{stored.batch_id},"model":{about}}}'


def _json_body() -> tuple[object, str | None]:
    """The request's JSON, or why it cannot be read."""
    if not request.is_json:
        return None, "the body must be JSON with the Content-Type application/json"
    try:
        return parse(request.get_data()), None
    except RecursionError:
        return None, "the body is not valid JSON: nested too deeply"
    except ValueError as error:  # UnicodeDecodeError and digit limits too
        return None, f"the body is not valid JSON: {str(error)[:120]}"


@blueprint.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(detector(), current_app.config["MAX_ROWS"]))
