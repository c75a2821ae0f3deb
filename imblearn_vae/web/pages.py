"""The pages that predict: home, the prediction form (or one pasted line of
the training file), a prediction's result, uploads and their template."""

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from ..detector import RowError
from .export import csv_download
from .forms import ActionForm, UploadForm
from .models import Prediction, db
from .service import (
    CLASS_COLUMNS,
    InputRejected,
    detector,
    line_help,
    predict_rows,
    read_csv_upload,
    read_labels,
    read_line,
    scorer,
)

blueprint = Blueprint("pages", __name__)

#: What the prediction form's field of a feature is named: the feature's
#: name after this prefix. A table's column may be named anything, the
#: page's own fields (``csrf_token``, ``line``) included: the prefix keeps
#: the two apart.
FIELD_PREFIX = "feature:"


def field_name(feature: str) -> str:
    """The form field of a feature."""
    return FIELD_PREFIX + feature


@blueprint.route("/")
def home():
    return render_template("home.html", model=detector(), scorer=scorer())


@blueprint.route("/predict", methods=["GET", "POST"])
@login_required
def predict():
    model = detector()
    form = ActionForm()
    values, errors, line, line_error = {}, {}, "", ""
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        line = request.form.get("line")
        try:
            actual = None
            if line is not None:
                try:
                    values, actual = read_line(line, model)
                except InputRejected as rejected:
                    line_error = rejected.errors[0].message
                    raise
            else:
                values = {
                    f.name: request.form.get(field_name(f.name), "")
                    for f in model.features
                }
            stored = predict_rows(
                [values], "form", current_user.id, actual=[actual] if actual else None
            )
        except InputRejected as rejected:
            # the features' errors, by feature (the line's is its own)
            errors = {} if line_error else {e.field: e.message for e in rejected.errors}
        else:
            return redirect(url_for("pages.prediction", prediction_id=stored.ids[0]))
    status = 400 if errors or line_error else 200
    return render_template(
        "predict.html",
        model=model,
        form=form,
        values=values,
        errors=errors,
        line=line or "",
        line_error=line_error,
        field_prefix=FIELD_PREFIX,
        # "<" escaped: the JSON sits in a <script> element of the page
        examples=json.dumps(model.examples).replace("<", "\\u003c"),
        **line_help(model),
    ), status


def own_prediction(prediction_id: int) -> Prediction:
    prediction = db.session.get(Prediction, prediction_id)
    if prediction is None or prediction.batch.user_id != current_user.id:
        abort(404)  # another user's prediction does not exist for this one
    return prediction


@blueprint.route("/predictions/<id:prediction_id>")
@login_required
def prediction(prediction_id: int):
    found = own_prediction(prediction_id)
    probabilities = sorted(
        json.loads(found.probabilities).items(), key=lambda item: -item[1]
    )
    return render_template(
        "result.html",
        prediction=found,
        inputs=found.input_values(),
        probabilities=probabilities,
        scorer=scorer(),
    )


@blueprint.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    form = UploadForm()
    errors = []
    if form.validate_on_submit():
        file = form.file.data
        name = (file.filename or "upload.csv")[:255]
        lines = []
        try:
            records, lines = read_csv_upload(file.read(), name)
            stored = predict_rows(
                records,
                "upload",
                current_user.id,
                filename=name,
                actual=read_labels(records, detector()),
            )
        except InputRejected as rejected:
            # the checks count rows from 0: give the file's line numbers
            errors = [
                RowError(lines[e.row], e.field, e.message) if lines else e
                for e in rejected.errors
            ]
        else:
            return redirect(url_for("history.batch", batch_id=stored.batch_id))
    elif request.method == "POST":
        # the form's own errors are about the file as a whole
        errors = [
            RowError(0, "", message)
            for message in form.file.errors or ["the form was refused"]
        ]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "upload.html",
        form=form,
        errors=errors[:50],
        more=len(errors) - 50,
        limit={
            "rows": current_app.config["MAX_ROWS"],
            "kib": current_app.config["MAX_UPLOAD_BYTES"] // 1024,
        },
        model=detector(),
    ), status


@blueprint.route("/upload/template.csv")
@login_required
def upload_template():
    """A file to start from: the header, and the model's example rows with
    their class in the label column.

    The label column is the training file's own, else the first of the
    names an upload's class is read from that is no feature's: a table may
    have a feature named ``label``, and a header naming it twice is refused.
    """
    model = detector()
    names = model.feature_names
    label = next((n for n in (model.label_column, *CLASS_COLUMNS)
                  if n not in names), None)  # fmt: skip
    rows = (
        [*(row[name] for name in names), *([] if label is None else [klass])]
        for klass, examples in model.examples.items()
        for row in examples
    )
    header = [*names, *([] if label is None else [label])]
    return csv_download(header, rows, "connections.csv")


@blueprint.app_context_processor
def _navigation():
    return {"action_form": ActionForm}
