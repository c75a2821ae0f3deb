"""The pages: home, the prediction form and its result, uploads, history."""

import csv
import io
import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..detector import RowError
from .forms import ActionForm, UploadForm
from .models import Prediction, Upload, db
from .service import InputRejected, detector, predict_rows, read_csv_upload

blueprint = Blueprint("pages", __name__)

HISTORY_PAGE = 25
UPLOAD_PAGE = 100


@blueprint.route("/")
def home():
    model = detector()
    return render_template("home.html", model=model)


@blueprint.route("/predict", methods=["GET", "POST"])
@login_required
def predict():
    model = detector()
    form = ActionForm()
    values, errors = {}, {}
    if request.method == "POST":
        values = {f.name: request.form.get(f.name, "") for f in model.features}
        if form.validate_on_submit():
            try:
                (stored,) = predict_rows([values], "form", current_user)
            except InputRejected as rejected:
                errors = {e.field: e.message for e in rejected.errors}
            else:
                return redirect(url_for("pages.prediction", prediction_id=stored.id))
        else:
            abort(400)
    status = 400 if errors else 200
    return render_template(
        "predict.html",
        model=model,
        form=form,
        values=values,
        errors=errors,
        # "<" escaped: the JSON sits in a <script> element of the page
        examples=json.dumps(model.examples).replace("<", "\\u003c"),
    ), status


def _own_prediction(prediction_id: int) -> Prediction:
    prediction = db.session.get(Prediction, prediction_id)
    if prediction is None or prediction.user_id != current_user.id:
        abort(404)  # another user's prediction does not exist for this one
    return prediction


@blueprint.route("/predictions/<int:prediction_id>")
@login_required
def prediction(prediction_id: int):
    found = _own_prediction(prediction_id)
    probabilities = sorted(
        json.loads(found.probabilities).items(), key=lambda item: -item[1]
    )
    return render_template(
        "result.html",
        prediction=found,
        inputs=json.loads(found.inputs),
        probabilities=probabilities,
    )


@blueprint.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    form = UploadForm()
    errors = []
    if form.validate_on_submit():
        file = form.file.data
        name = (file.filename or "upload.csv")[:255]
        data = file.read()
        lines = []
        try:
            records, lines = read_csv_upload(data, name)
            batch = Upload(
                user_id=current_user.id, filename=name[:255], rows=len(records)
            )
            predict_rows(records, "upload", current_user, upload=batch)
        except InputRejected as rejected:
            # check_rows counts rows from 0: give the file's line numbers
            errors = [
                RowError(lines[e.row], e.field, e.message) if lines else e
                for e in rejected.errors
            ]
        else:
            return redirect(url_for("pages.upload_result", upload_id=batch.id))
    elif request.method == "POST":
        errors = [
            RowError(0, "file", message)
            for message in form.file.errors or ["the form was refused"]
        ]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "upload.html",
        form=form,
        errors=errors[:50],
        more=len(errors) - 50,
        limit=upload_limits(),
    ), status


#: The largest page number asked for; past the last page a page is empty.
MAX_PAGE = 1_000_000


def page_number() -> int:
    """The ``page`` query argument, a whole number from 1 to :data:`MAX_PAGE`.

    Anything else is a 400 naming the argument (a huge number would
    overflow the database's integers).
    """
    text = request.args.get("page", "1")
    digits = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_PAGE))
    if not (digits and 1 <= int(text) <= MAX_PAGE):
        abort(400, f"page: must be a whole number from 1 to {MAX_PAGE:,}.")
    return int(text)


def upload_limits() -> dict:
    return {
        "rows": current_app.config["MAX_ROWS"],
        "kib": current_app.config["MAX_UPLOAD_BYTES"] // 1024,
    }


def _own_upload(upload_id: int) -> Upload:
    found = db.session.get(Upload, upload_id)
    if found is None or found.user_id != current_user.id:
        abort(404)
    return found


@blueprint.route("/uploads/<int:upload_id>")
@login_required
def upload_result(upload_id: int):
    found = _own_upload(upload_id)
    page = page_number()
    rows = db.paginate(
        select(Prediction)
        .where(Prediction.upload_id == found.id)
        .order_by(Prediction.row_number),
        page=page,
        per_page=UPLOAD_PAGE,
        error_out=False,
    )
    counts = dict(
        db.session.execute(
            select(Prediction.predicted, func.count())
            .where(Prediction.upload_id == found.id)
            .group_by(Prediction.predicted)
        ).all()
    )
    return render_template(
        "upload_result.html",
        upload=found,
        rows=rows,
        counts=counts,
        classes=detector().classes,
        loads=json.loads,
    )


@blueprint.route("/uploads/<int:upload_id>.csv")
@login_required
def upload_csv(upload_id: int):
    found = _own_upload(upload_id)
    model = detector()
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(
        [
            *model.feature_names,
            "predicted",
            *(f"probability_{c}" for c in model.classes),
        ]
    )
    for row in db.session.scalars(
        select(Prediction)
        .where(Prediction.upload_id == found.id)
        .order_by(Prediction.row_number)
    ):
        inputs, probabilities = json.loads(row.inputs), json.loads(row.probabilities)
        writer.writerow(
            [
                *(inputs[n] for n in model.feature_names),
                row.predicted,
                *(f"{probabilities.get(c, 0.0):.6f}" for c in model.classes),
            ]
        )
    stem = found.filename.rsplit(".", 1)[0] or "upload"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:80]
    return Response(
        stream.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{safe}_predictions.csv"'
        },
    )


@blueprint.route("/history")
@login_required
def history():
    page = page_number()
    predictions = db.paginate(
        select(Prediction)
        .where(Prediction.user_id == current_user.id)
        .options(selectinload(Prediction.upload))  # one query for the page
        .order_by(Prediction.id.desc()),
        page=page,
        per_page=HISTORY_PAGE,
        error_out=False,
    )
    return render_template("history.html", predictions=predictions)


@blueprint.app_context_processor
def _navigation():
    return {"action_form": ActionForm}
