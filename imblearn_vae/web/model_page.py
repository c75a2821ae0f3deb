"""The model page: what is served (method, classifier, table, date), what
its scores mean, and how it did on its test rows, class by class."""

from flask import Blueprint, current_app, render_template

from ..detector.provenance import public_command
from .evaluation import from_scores
from .service import detector, scorer

blueprint = Blueprint("model", __name__)


def _evaluations(model) -> tuple:
    """The test rows' and the held-out rows' evaluations, made once: the
    page is public, and a model of many classes has a large matrix."""
    found = current_app.extensions.get("model_page_evaluations")
    if found is None or found[0] is not model:
        scores = model.scores
        found = (model, from_scores(scores, model.classes),
                 from_scores(scores.get("held_out") or {}, model.classes))  # fmt: skip
        current_app.extensions["model_page_evaluations"] = found
    return found[1:]


@blueprint.route("/model")
def index():
    model = detector()
    scores = model.scores
    held_out = scores.get("held_out") or {}
    full, held_out_evaluation = _evaluations(model)
    return render_template(
        "model.html",
        model=model,
        command=public_command(model.command),
        scorer=scorer(),
        full=full,
        held_out=held_out_evaluation,
        held_out_scores=held_out,
        recall_only=[
            {"name": c, "value": scores.get("recall", {}).get(c),
             "text": f"{100 * scores['recall'][c]:.1f}%"
             if c in scores.get("recall", {}) else "not recorded"}
            for c in model.classes
        ],
    )  # fmt: skip
