"""The model page: what is served (sampler, classifier, data, date), what
its scores mean, and how it did on NSL-KDD's test rows, class by class."""

import re
import shlex

from flask import Blueprint, render_template

from .evaluation import from_scores
from .service import detector, scorer

blueprint = Blueprint("model", __name__)

#: A file-system path in a command's word (after ``--option=`` if any):
#: anything with a slash or a backslash, or starting with ``~``.
_PATH = re.compile(r"(?P<option>--[\w-]+=)?(?P<path>~.*|.*[/\\].*)")


def public_command(command: str) -> str:
    """The command that made the model, each path cut to its file name.

    The page is public: the server's folders (the model file's, the data's)
    are not a visitor's business (OWASP ASVS 4.0 V14.3: no server details).

    Examples
    --------
    >>> public_command("imblearn-vae train --out /srv/m/dt.model --data-home=~/d")
    'imblearn-vae train --out .../dt.model --data-home=.../d'
    """
    try:
        words = shlex.split(command)
    except ValueError:  # an unclosed quote: split on spaces
        words = command.split()
    shown = []
    for word in words:
        found = _PATH.fullmatch(word)
        if found:
            name = re.split(r"[/\\]", found["path"].rstrip("/\\"))[-1]
            word = f"{found['option'] or ''}.../{name.lstrip('~')}"
        shown.append(word)
    return shlex.join(shown)


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
