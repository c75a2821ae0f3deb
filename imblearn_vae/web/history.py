"""A user's history: one entry per request (a form, an API call, an uploaded
file) with its class counts, filtered by source and class; an entry's rows,
with the model's scores on them when the file had labels; deleting a
prediction or an entry."""

import json

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import delete, exists, func, select, update

from .evaluation import Evaluation
from .export import csv_download
from .forms import ActionForm
from .models import Batch, Prediction, db
from .pages import own_prediction
from .service import detector, scorer

blueprint = Blueprint("history", __name__)

HISTORY_PAGE = 25
BATCH_PAGE = 100
SOURCES = ("form", "api", "upload")
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


def class_filter() -> str:
    """The ``class`` query argument: a class of the model, or "" for all."""
    chosen = request.args.get("class", "")
    classes = detector().classes
    if chosen and chosen not in classes:
        abort(400, f"class: must be one of {', '.join(classes)}.")
    return chosen


def source_filter() -> str:
    chosen = request.args.get("source", "")
    if chosen and chosen not in SOURCES:
        abort(400, f"source: must be one of {', '.join(SOURCES)}.")
    return chosen


@blueprint.route("/history")
@login_required
def history():
    page, source, chosen = page_number(), source_filter(), class_filter()
    query = select(Batch).where(Batch.user_id == current_user.id)
    if source:
        query = query.where(Batch.source == source)
    if chosen:
        of_class = (Prediction.batch_id == Batch.id) & (Prediction.predicted == chosen)
        query = query.where(exists().where(of_class))
    batches = db.paginate(
        query.order_by(Batch.id.desc()),
        page=page,
        per_page=HISTORY_PAGE,
        error_out=False,
    )
    return render_template(
        "history.html",
        batches=batches,
        counts=_class_counts([b.id for b in batches.items]),
        single=_single_predictions([b for b in batches.items if b.rows == 1]),
        correct=_correct_counts([b.id for b in batches.items if b.labelled]),
        classes=detector().classes,
        sources=SOURCES,
        source=source,
        chosen=chosen,
    )


def _class_counts(batch_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {i: {} for i in batch_ids}
    found = db.session.execute(
        select(Prediction.batch_id, Prediction.predicted, func.count())
        .where(Prediction.batch_id.in_(batch_ids))
        .group_by(Prediction.batch_id, Prediction.predicted)
    )
    for batch_id, label, count in found:
        counts[batch_id][label] = count
    return counts


def _single_predictions(batches: list[Batch]) -> dict[int, int]:
    """The prediction of each one-row batch (its entry links straight to it)."""
    found = db.session.execute(
        select(Prediction.batch_id, Prediction.id).where(
            Prediction.batch_id.in_([b.id for b in batches])
        )
    )
    return dict(found.all())


def _correct_counts(batch_ids: list[int]) -> dict[int, int]:
    found = db.session.execute(
        select(Prediction.batch_id, func.count())
        .where(
            Prediction.batch_id.in_(batch_ids),
            Prediction.actual == Prediction.predicted,
        )
        .group_by(Prediction.batch_id)
    )
    return dict(found.all())


def own_batch(batch_id: int) -> Batch:
    found = db.session.get(Batch, batch_id)
    if found is None or found.user_id != current_user.id:
        abort(404)  # another user's batch does not exist for this one
    return found


@blueprint.route("/batches/<id:batch_id>")
@login_required
def batch(batch_id: int):
    found = own_batch(batch_id)
    page, chosen = page_number(), class_filter()
    query = select(Prediction).where(Prediction.batch_id == found.id)
    if chosen:
        query = query.where(Prediction.predicted == chosen)
    rows = db.paginate(
        query.order_by(Prediction.id), page=page, per_page=BATCH_PAGE, error_out=False
    )
    classes = detector().classes
    counts = _class_counts([found.id])[found.id]
    evaluation, unread = None, 0
    if found.labelled or found.source == "upload":
        evaluation, unread = _evaluation(found, classes)
    return render_template(
        "batch.html",
        batch=found,
        rows=rows,
        counts=counts,
        classes=classes,
        chosen=chosen,
        evaluation=evaluation,
        unread=unread,
        scorer=scorer(),
        loads=json.loads,
    )


def _evaluation(found: Batch, classes: list[str]) -> tuple[Evaluation | None, int]:
    """The model's scores on the batch's labelled rows, and how many rows
    have a label that is no class of the model."""
    pairs = db.session.execute(
        select(Prediction.actual, Prediction.predicted, func.count())
        .where(Prediction.batch_id == found.id, Prediction.actual.is_not(None))
        .group_by(Prediction.actual, Prediction.predicted)
    ).all()
    if not pairs:
        return None, 0
    evaluation = Evaluation.from_pairs(classes, pairs)
    unread = sum(n for actual, _, n in pairs if actual not in classes)
    return (evaluation if evaluation.total else None), unread


@blueprint.route("/batches/<id:batch_id>.csv")
@login_required
def batch_csv(batch_id: int):
    found = own_batch(batch_id)
    model = detector()
    names = model.feature_names
    labelled = found.source == "upload" and db.session.scalar(
        select(func.count())
        .select_from(Prediction)
        .where(Prediction.batch_id == found.id, Prediction.actual.is_not(None))
    )
    header = [*names, "predicted", *(f"score_{c}" for c in model.classes)]
    stem = found.filename.rsplit(".", 1)[0] or found.source
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:80]
    return csv_download(
        header + (["label"] if labelled else []),
        _csv_rows(found, names, model.classes, labelled),
        f"{safe}_predictions.csv",
    )


def _csv_rows(found: Batch, names: list[str], classes: list[str], labelled: bool):
    """The batch's rows for its CSV: inputs, class, scores (and label)."""
    columns = json.loads(found.columns) if found.columns else None
    for row in db.session.scalars(
        select(Prediction)
        .where(Prediction.batch_id == found.id)
        .order_by(Prediction.id)
    ):
        inputs = json.loads(row.inputs)
        if columns is not None:
            inputs = dict(zip(columns, inputs, strict=True))
        scores = json.loads(row.probabilities)
        yield (
            [*(inputs.get(n, "") for n in names), row.predicted]
            + [f"{scores.get(c, 0.0):.6f}" for c in classes]
            + ([row.actual or ""] if labelled else [])
        )


@blueprint.route("/batches/<id:batch_id>/delete", methods=["POST"])
@login_required
def delete_batch(batch_id: int):
    found = own_batch(batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    title, rows = found.title, found.rows
    db.session.execute(delete(Prediction).where(Prediction.batch_id == found.id))
    db.session.delete(found)
    db.session.commit()
    flash(f"Deleted {title} and its {rows:,} prediction(s).")
    return redirect(url_for("history.history"))


@blueprint.route("/predictions/<id:prediction_id>/delete", methods=["POST"])
@login_required
def delete_prediction(prediction_id: int):
    found = own_prediction(prediction_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    owner = found.batch
    db.session.delete(found)
    if owner.rows <= 1:
        db.session.delete(owner)
        target = url_for("history.history")
    else:
        known = found.actual in detector().classes
        db.session.execute(
            update(Batch)
            .where(Batch.id == owner.id)
            .values(rows=Batch.rows - 1, labelled=Batch.labelled - int(known))
        )
        target = url_for("history.batch", batch_id=owner.id)
    db.session.commit()
    flash("Deleted the prediction.")
    return redirect(target)


#: The query arguments a paged page keeps in its links to other pages.
FILTERS = ("source", "class")


@blueprint.app_context_processor
def _page_links():
    def page_url(number: int) -> str:
        """This page's address with another page number, its filters kept.

        Only the filters: ``url_for`` reads ``_external``, ``_anchor``,
        ``_scheme`` and ``endpoint`` as its own arguments, so a query
        argument of those names made the links absolute, gave them a
        fragment of the visitor's choosing, or was a 500.
        """
        filters = {k: request.args[k] for k in FILTERS if k in request.args}
        arguments = {**filters, **request.view_args, "page": number}
        return url_for(request.endpoint, **arguments)

    return {"page_url": page_url}
