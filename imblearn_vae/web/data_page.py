"""The data page (the paper's data exploration): what the served model
learned from. The training table's classes before and after balancing, each
feature's range with its distribution per class (a box plot per class for a
number, counts per category), and what the balancing did to the rows.

Everything comes from the model file (:mod:`imblearn_vae.detector.summary`,
kept when the detector was trained): the site never reads the table. This
module turns those numbers into the charts' geometry; the template draws
them as SVG (no script, and no inline style, which the site's
Content-Security-Policy refuses).
"""

import math

from flask import Blueprint, render_template
from flask_login import login_required

from .evaluation import MATRIX_CLASSES
from .service import detector

blueprint = Blueprint("data", __name__)

#: Width in pixels of a chart's value axis.
SPAN = 420


@blueprint.route("/data")
@login_required
def index():
    model = detector()
    charted = charted_classes(model)
    return render_template(
        "data.html",
        model=model,
        class_bars=class_bars(model.counts, model.classes),
        balancing=balancing_rows(model),
        charted=charted,
        features=[feature_view(f, model.profile.get(f.name), charted)
                  for f in model.features],
    )  # fmt: skip


def charted_classes(model) -> list[str]:
    """The classes each feature's chart shows: all of them, or the
    :data:`~.evaluation.MATRIX_CLASSES` with the most training rows (in the
    model's order). A chart per feature of a row per class made the page's
    cost the product of the two: 300 classes and 40 features, 6 MB and a
    second per visit."""
    if len(model.classes) <= MATRIX_CLASSES:
        return list(model.classes)
    rows = model.counts.get("training", {})
    largest = set(sorted(model.classes, key=lambda c: -rows.get(c, 0))[:MATRIX_CLASSES])
    return [c for c in model.classes if c in largest]


def class_bars(counts: dict, classes: list[str]) -> list[dict]:
    """Two bars per class (training rows, after balancing), on one scale."""
    before, after = counts.get("training", {}), counts.get("balanced", {})
    top = max([*before.values(), *after.values(), 1])
    return [
        {"name": c, "before": before.get(c, 0), "after": after.get(c, 0),
         "before_width": SPAN * before.get(c, 0) / top,
         "after_width": SPAN * after.get(c, 0) / top}
        for c in classes
    ]  # fmt: skip


def balancing_rows(model) -> list[dict]:
    """A row per class: rows before, generated and after; the share of drawn
    rows the filter refused; the distances of generated rows to real ones."""
    report = model.balancing
    if not report:
        return []
    before = model.counts.get("training", {})
    after = model.counts.get("balanced", {})
    distance = report.get("distance", {})
    return [
        {"name": c, "before": before.get(c, 0), "after": after.get(c, 0),
         "generated": report.get("generated", {}).get(c, 0),
         "removed": report.get("removed", {}).get(c, 0),
         "refused": report.get("filter_refused", {}).get(c),
         "distance": distance.get(c)}
        for c in model.classes
    ]  # fmt: skip


def feature_view(feature, profile: dict | None, classes: list[str]) -> dict:
    """A feature's chart: box plots of a number, counts of a category."""
    view = {"feature": feature, "kind": feature.kind}
    if not profile:
        return view
    if feature.kind == "categorical":
        return {**view, **_category_table(profile, classes)}
    return {**view, **_box_plots(profile, classes)}


def _box_plots(profile: dict, classes: list[str]) -> dict:
    low, high, log = profile["low"], profile["high"], profile["log"]
    scale = _scale(low, high, log)
    boxes = []
    for name in classes:
        found = profile["classes"].get(name)
        if found is None:
            continue
        q = found["quartiles"]
        boxes.append({"name": name, "rows": found["rows"], "mean": found["mean"],
                      "quartiles": q, "x": [scale(v) for v in q]})  # fmt: skip
    ticks = _spaced([(scale(t), t) for t in _ticks(low, high, log)])
    return {"boxes": boxes, "log": log, "ticks": ticks}


def _scale(low: float, high: float, log: bool):
    """Value -> pixels from the axis's start: linear, or log10(1 + value)."""
    if log:
        low, high = math.log10(1 + low), math.log10(1 + high)
    width = (high - low) or 1.0

    def to_pixels(value: float) -> float:
        value = math.log10(1 + max(value, 0.0)) if log else value
        return SPAN * (value - low) / width

    return to_pixels


def _ticks(low: float, high: float, log: bool) -> list[float]:
    """A few readable values along the axis: the ends, and powers of ten on
    a log axis."""
    if not log:
        return [low, (low + high) / 2, high] if high > low else [low]
    powers = [10.0**k for k in range(0, int(math.log10(max(high, 1))) + 1)]
    inner = [p for p in powers if low < p < high][:: max(1, len(powers) // 4)]
    return [low, *inner, high]


#: Pixels between two tick labels at least, so that they do not overlap.
TICK_GAP = 48


def _spaced(ticks: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ticks whose labels do not overlap: both ends kept, an inner one
    too close to a kept one left out."""
    first, *inner, last = ticks if len(ticks) > 1 else [*ticks, *ticks]
    kept = [first]
    for tick in inner:
        if tick[0] - kept[-1][0] >= TICK_GAP and last[0] - tick[0] >= TICK_GAP:
            kept.append(tick)
    return kept + ([last] if last is not first else [])


def _category_table(profile: dict, classes: list[str]) -> dict:
    """Counts per category and class, each with its share of the class."""
    shown = [c for c in classes if c in profile["classes"]]
    rows = []
    for category in profile["categories"]:
        cells = []
        for name in shown:
            found = profile["classes"][name]
            count = found["counts"].get(category, 0)
            cells.append({"count": count, "share": count / max(found["rows"], 1)})
        rows.append({"category": category, "cells": cells})
    other = [profile["classes"][n]["other"] for n in shown]
    if any(other):
        rows.append({"category": "(others)", "cells": [
            {"count": n, "share": n / max(profile["classes"][c]["rows"], 1)}
            for n, c in zip(other, shown, strict=True)]})  # fmt: skip
    return {"classes": shown, "rows": rows}
