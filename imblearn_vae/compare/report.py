"""Tables and a chart from the runs of a comparison: mean ± std over seeds."""

import csv
from pathlib import Path

import numpy as np

from ..registry.classifiers import classifier_label

#: Column headings of the main table, by run key.
HEADINGS = {
    "accuracy": "Acc",
    "f1_weighted": "wF1",
    "f1_macro": "mF1",
}

#: The chart's panels: scores in % (axis 0-100), then seconds (axis from 0).
CHART_PANELS = {
    "accuracy": "Accuracy (%)",
    "f1_weighted": "Weighted F1 (%)",
    "f1_macro": "Macro F1 (%)",
    "sampler_seconds": "fit_resample (s)",
}


def _values(runs, key) -> np.ndarray:
    return np.array([float(r[key]) for r in runs if r.get(key) not in ("", None)])


def mean_std(values: np.ndarray) -> tuple[float, float]:
    if not len(values):
        return np.nan, np.nan
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0


def cell(values, scale=100.0, digits=2, signed=False) -> str:
    """``mean ± std`` of ``values`` times ``scale``; "-" when there are none.

    ``signed``: the mean with its sign (a gain).
    """
    mean, std = mean_std(np.asarray(values, dtype=float))
    if np.isnan(mean):
        return "-"
    sign = "+" if signed else ""
    return f"{scale * mean:{sign}.{digits}f} ± {scale * std:.{digits}f}"


def group_runs(runs, methods, classifier, seeds=None) -> dict[str, list[dict]]:
    """Successful runs of one classifier by method spec, in ``methods`` order."""
    grouped = {}
    for spec in methods:
        chosen = [
            r for r in runs
            if r["method"] == spec and r["classifier"] == classifier
            and r["status"] == "ok" and (seeds is None or int(r["seed"]) in seeds)
        ]  # fmt: skip
        if chosen:
            grouped[spec] = chosen
    return grouped


def failures(runs, methods, seeds=None) -> dict[str, str]:
    """The reason each method failed (its latest failure), if it never succeeded."""
    ok = {r["method"] for r in runs if r["status"] == "ok"}
    reasons = {}
    for run in runs:
        if (
            run["status"] == "failed"
            and run["method"] in methods
            and run["method"] not in ok
            and (seeds is None or int(run["seed"]) in seeds)
        ):
            reasons[run["method"]] = run["error"]
    return reasons


def markdown(
    runs, methods, labels_of, classes, classifier, set_name, seeds=None
) -> str:
    """The tables of one classifier on one evaluation set, and the failures."""
    grouped = group_runs(runs, methods, classifier, seeds)
    lines = [
        f"### {classifier_label(classifier)}, {set_name} set "
        "(%; mean ± std over seeds)",
        "",
        scores_table(grouped, labels_of, set_name),
        "",
        per_class_table(grouped, labels_of, classes, set_name),
    ]
    gains = gains_table(grouped, labels_of, set_name)
    if gains:
        lines += [
            "",
            "Gain over the baselines of the same classifier and seed (points of "
            "F1; mean ± std over seeds):",
            "",
            gains,
        ]
    reasons = failures(runs, methods, seeds)
    if reasons:
        lines += ["", "Methods that did not run:", ""]
        lines += [f"- {labels_of[m]}: {reason}" for m, reason in reasons.items()]
    return "\n".join(lines) + "\n"


def scores_table(
    grouped, labels_of, set_name, headings=HEADINGS, seconds=True, paper=None
) -> str:
    """Scores (accuracy, weighted and macro F1) and seconds, a row per method.

    ``headings`` maps run keys to the score columns; ``paper`` maps a spec
    to the figures a paper reports for the first of them (%), shown in
    brackets after ours.
    """
    columns = ["method", "seeds", *headings.values()]
    columns += ["fit_resample s", "classifier s"] if seconds else []
    lines = ["| " + " | ".join(columns) + " |", "|---" * len(columns) + "|"]
    for spec, group in grouped.items():
        cells = [cell(_values(group, f"{set_name}:{key}")) for key in headings]
        reported = (paper or {}).get(spec) or ()
        for index, value in enumerate(reported[: len(cells)]):
            cells[index] += f" [{value:.2f}]"
        if seconds:
            cells += [
                cell(_values(group, key), 1, 2)
                for key in ("sampler_seconds", "classifier_seconds")
            ]
        lines.append(
            f"| {labels_of[spec]} | {len(group)} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def per_class_table(grouped, labels_of, classes, set_name) -> str:
    """Recall and F1 of each class, a row per method."""
    lines = [
        "| method | "
        + " | ".join(f"{c} recall" for c in classes)
        + " | "
        + " | ".join(f"{c} F1" for c in classes)
        + " |",
        "|---" * (2 * len(classes) + 1) + "|",
    ]
    for spec, group in grouped.items():
        cells = [
            cell(_values(group, f"{set_name}:{metric}_{c}"), digits=1)
            for metric in ("recall", "f1")
            for c in classes
        ]
        lines.append(f"| {labels_of[spec]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cost_table(grouped, labels_of, paper=None) -> str:
    """Seconds, epochs and the generator's size and cost, a row per method.

    Parameters and FLOPs per generated row (MACs: half of them) are those of
    a generative sampler's network; valid categorical rows are the share of
    generated rows that stand for a real row (see
    :func:`~imblearn_vae.compare.engine.generator_cost`). ``paper`` maps a
    spec to the (parameters, FLOPs per row) a paper reports, shown in a
    column of their own.
    """
    columns = ["method", "fit_resample s", "epochs run", "classifier fit s"]
    columns += ["parameters", "FLOPs/row (MACs)"]
    columns += ["paper params / FLOPs"] if paper is not None else []
    columns += ["valid categorical rows %"]
    lines = ["| " + " | ".join(columns) + " |", "|---" * len(columns) + "|"]
    for spec, group in grouped.items():
        parameters = _values(group, "parameters")
        flops = _values(group, "flops_per_row")
        cells = [
            cell(_values(group, "sampler_seconds"), 1, 1),
            cell(_values(group, "epochs_run"), 1, 0),
            cell(_values(group, "classifier_seconds"), 1, 1),
            f"{int(parameters[0]):,}" if len(parameters) else "-",
            f"{flops[0]:,.0f} ({flops[0] / 2:,.0f})" if len(flops) else "-",
        ]
        if paper is not None:
            reported = paper.get(spec)
            cells.append(f"{reported[0]:,} / {reported[1]:,}" if reported else "-")
        cells.append(cell(_values(group, "valid_categorical_share"), 100, 1))
        lines.append(f"| {labels_of[spec]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: The methods every other one is measured against, by spec.
BASELINES = {"none": "no balancing", "class-weight": "class weights"}

#: The scores the gains are given for.
GAIN_SCORES = {"f1_macro": "mF1", "f1_weighted": "wF1"}


def paired_gains(grouped, spec, baseline, key) -> np.ndarray:
    """Per seed: the method's score minus the baseline's, where both ran."""
    base = {r["seed"]: float(r[key]) for r in grouped.get(baseline, [])}
    return np.array(
        [float(r[key]) - base[r["seed"]] for r in grouped[spec] if r["seed"] in base]
    )


def gains_table(grouped, labels_of, set_name) -> str:
    """Each method's gain over no balancing and over class weights, per score.

    Empty when neither baseline ran. Gains are paired by seed (the same
    seed's classifier), so the spread is that of the difference, not of
    either score.
    """
    baselines = [b for b in BASELINES if b in grouped]
    if not baselines:
        return ""
    columns = [(k, b) for k in GAIN_SCORES for b in baselines]
    lines = [
        "| method | "
        + " | ".join(f"{GAIN_SCORES[k]} vs {BASELINES[b]}" for k, b in columns)
        + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for spec in grouped:
        cells = []
        for key, baseline in columns:
            gains = paired_gains(grouped, spec, baseline, f"{set_name}:{key}")
            cells.append(cell(gains, signed=True) if spec != baseline else "0")
        lines.append(f"| {labels_of[spec]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_rows(runs, methods, labels_of, classes, classifiers, sets, seeds=None):
    """One row per (classifier, set, method): mean and std of every score."""
    keys = [*HEADINGS, "precision_weighted", "recall_weighted"]
    keys += [f"{m}_{c}" for m in ("recall", "f1") for c in classes]
    rows = []
    for classifier in classifiers:
        for set_name in sets:
            for spec, group in group_runs(runs, methods, classifier, seeds).items():
                row = {
                    "classifier": classifier,
                    "set": set_name,
                    "method": spec,
                    "label": labels_of[spec],
                    "seeds": len(group),
                }
                for key in keys:
                    row[f"{key}_mean"], row[f"{key}_std"] = mean_std(
                        _values(group, f"{set_name}:{key}")
                    )
                for key in ("sampler_seconds", "classifier_seconds"):
                    row[f"{key}_mean"], row[f"{key}_std"] = mean_std(
                        _values(group, key)
                    )
                rows.append(row)
    return rows


def write_summary_csv(rows, path: Path) -> None:
    with open(path, "w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)


def chart(runs, methods, labels_of, classifier, set_name, path: Path, title: str,
          seeds=None) -> None:  # fmt: skip
    """One panel per metric, a bar per method with its spread over seeds.

    Score axes run from 0 to 100 and the seconds axis from 0, so that bars
    compare by length: an axis that starts near the scores turns a gap of a
    point into a bar twice as long.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grouped = group_runs(runs, methods, classifier, seeds)
    specs = list(grouped)
    figure, axes = plt.subplots(
        1, len(CHART_PANELS), figsize=(3.2 * len(CHART_PANELS), 0.35 * len(specs) + 2)
    )
    positions = np.arange(len(specs))
    for axis, (key, heading) in zip(axes, CHART_PANELS.items(), strict=True):
        seconds = key == "sampler_seconds"
        column = key if seconds else f"{set_name}:{key}"
        stats = [mean_std(_values(grouped[s], column)) for s in specs]
        scale = 1.0 if seconds else 100.0
        means = [scale * m for m, _ in stats]
        stds = [scale * s for _, s in stats]
        axis.barh(positions, means, xerr=stds, capsize=3, color="tab:blue")
        axis.set_title(heading, fontsize="medium")
        tops = [m + s for m, s in zip(means, stds, strict=True)]
        axis.set_xlim(0, 100 if not seconds else max(1.0, 1.1 * max(tops, default=1)))
        axis.set_yticks(positions)
        axis.set_yticklabels([labels_of[s] for s in specs] if axis is axes[0] else [])
        axis.invert_yaxis()
        axis.grid(axis="x", alpha=0.3)
    figure.suptitle(title, fontsize="medium")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def gains_chart(runs, methods, labels_of, classifier, set_name, path: Path,
                title: str, seeds=None) -> bool:  # fmt: skip
    """Each method's gain over the baselines, with its spread and the zero line.

    The score chart's axes run from 0 to 100, which hides the few points a
    user chooses between; this one is scaled to the gains. Returns False
    (and draws nothing) when no baseline ran.
    """
    grouped = group_runs(runs, methods, classifier, seeds)
    baselines = [b for b in BASELINES if b in grouped]
    specs = [s for s in grouped if s not in baselines]
    if not baselines or not specs:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(
        1, len(GAIN_SCORES), figsize=(4.5 * len(GAIN_SCORES), 0.45 * len(specs) + 2),
        sharey=True,
    )  # fmt: skip
    height = 0.8 / len(baselines)
    for axis, (key, heading) in zip(axes, GAIN_SCORES.items(), strict=True):
        for offset, baseline in enumerate(baselines):
            stats = [
                mean_std(paired_gains(grouped, s, baseline, f"{set_name}:{key}"))
                for s in specs
            ]
            axis.barh(
                np.arange(len(specs)) + offset * height - 0.4 + height / 2,
                [100 * m for m, _ in stats],
                height=height,
                xerr=[100 * s for _, s in stats],
                capsize=3,
                label=f"vs {BASELINES[baseline]}",
            )
        axis.axvline(0, color="black", linewidth=1)
        axis.set_title(f"{heading} gain (points)", fontsize="medium")
        axis.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(np.arange(len(specs)))
    axes[0].set_yticklabels([labels_of[s] for s in specs])
    axes[0].invert_yaxis()
    axes[-1].legend(fontsize="small", loc="best")
    figure.suptitle(title, fontsize="medium")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True
