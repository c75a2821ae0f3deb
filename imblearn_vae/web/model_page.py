"""The model page: what is served (method, classifier, table, date), what
its scores mean, and how it did on its test rows, class by class."""

from flask import Blueprint, render_template

from ..detector.provenance import public_command
from .evaluation import from_scores
from .service import detector, scorer

blueprint = Blueprint("model", __name__)


@blueprint.route("/model")
def index():
    model = detector()
    scores = model.scores
    held_out = scores.get("held_out") or {}
    return render_template(
        "model.html",
        model=model,
        command=public_command(model.command),
        scorer=scorer(),
        full=from_scores(scores, model.classes),
        held_out=from_scores(held_out, model.classes),
        held_out_scores=held_out,
        recall_only=[
            {"name": c, "value": scores.get("recall", {}).get(c),
             "text": f"{100 * scores['recall'][c]:.1f}%"
             if c in scores.get("recall", {}) else "not recorded"}
            for c in model.classes
        ],
    )  # fmt: skip
