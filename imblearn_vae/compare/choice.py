"""The comparison's best entry, by a stated rule, and the command that
trains it as a detector.

An entry is a (method, classifier) pair. :data:`RULE` picks one among
those that ran with every seed; ``compare`` names it and the one command
that trains it (``imblearn-vae train --from-compare DIR``), and writes it
to ``best.json`` beside the options the table was read with
(``table.json``), where ``train`` finds both.
"""

import json
import shlex
from pathlib import Path

import numpy as np

#: How the best entry is chosen.
RULE = (
    "the highest mean macro F1 on the test rows over the seeds, among the "
    "entries that ran with every seed; a tie (means within 0.01 points) goes "
    "to the faster (mean seconds of fit_resample and the classifier's fit)"
)

#: Means of macro F1 closer than this are a tie.
TIE = 1e-4

#: Where a comparison keeps its choice and its table's options.
BEST_FILE, TABLE_FILE = "best.json", "table.json"


def best_entry(runs: list[dict], methods: list, classifiers: list[str],
               seeds: list[int], set_name: str = "test") -> dict | None:  # fmt: skip
    """The entry :data:`RULE` picks, with its figures; None if none ran
    with every seed.

    Parameters
    ----------
    runs : list of dict
        The rows of ``runs.csv``.
    methods : list of Method
        The comparison's methods (their spec and label).
    classifiers : list of str
    seeds : list of int
    set_name : str
        The evaluation set the scores are of.
    """
    candidates = []
    for method in methods:
        for classifier in classifiers:
            chosen = [
                r for r in runs
                if r["method"] == method.spec and r["classifier"] == classifier
                and r["status"] == "ok" and int(r["seed"]) in seeds
            ]  # fmt: skip
            if {int(r["seed"]) for r in chosen} != set(seeds):
                continue
            candidates.append(_figures(method, classifier, chosen, set_name))
    if not candidates:
        return None
    top = max(c["f1_macro"][0] for c in candidates)
    tied = [c for c in candidates if top - c["f1_macro"][0] <= TIE]
    best = min(tied, key=lambda c: c["seconds"])
    return {**best, "rule": RULE, "seeds": list(seeds), "set": set_name,
            "entries": len(candidates)}  # fmt: skip


def _figures(method, classifier: str, runs: list[dict], set_name: str) -> dict:
    def mean_std(key: str) -> list[float]:
        values = np.array([float(r[key]) for r in runs])
        spread = float(values.std(ddof=1)) if len(values) > 1 else 0.0
        return [float(values.mean()), spread]

    seconds = [float(r["sampler_seconds"]) + float(r["classifier_seconds"])
               for r in runs]  # fmt: skip
    return {
        "method": method.spec,
        "method_label": method.label,
        "classifier": classifier,
        **{key: mean_std(f"{set_name}:{key}")
           for key in ("accuracy", "f1_weighted", "f1_macro")},
        "seconds": float(np.mean(seconds)),
    }  # fmt: skip


def train_command(out: Path) -> str:
    """The command that trains the best entry of the comparison in ``out``."""
    return (
        f"imblearn-vae train --from-compare {shlex.quote(str(out))} "
        "--out detector.model"
    )


def describe(best: dict | None, out: Path) -> str:
    """The choice in a few lines of Markdown, the command to train it last."""
    if best is None:
        return (
            "No entry ran with every seed, so none is named best; see the "
            "failures above."
        )
    mean, std = best["f1_macro"]
    return (
        f"Best entry ({best['rule']}): **{best['method_label']}** with "
        f"`{best['classifier']}`, macro F1 {100 * mean:.2f} ± {100 * std:.2f} "
        f"over {len(best['seeds'])} seed(s), of {best['entries']} entries.\n\n"
        f"Train it as a detector on the training rows:\n\n"
        f"    {train_command(out)}\n"
    )


def write_choice(out: Path, best: dict | None, table_options: dict,
                 classifier_epochs: int) -> None:  # fmt: skip
    """``best.json`` (the entry, or null) and ``table.json`` (how the table
    was read) in the results folder."""
    table = {**table_options, "classifier_epochs": classifier_epochs}
    (out / TABLE_FILE).write_text(json.dumps(table, indent=2) + "\n")
    (out / BEST_FILE).write_text(json.dumps(best, indent=2) + "\n")


def read_choice(folder: Path) -> tuple[dict, dict]:
    """The best entry and the table's options a comparison wrote.

    Raises
    ------
    ValueError
        If the folder holds no comparison's choice, or no entry was chosen.
    """
    paths = [folder / BEST_FILE, folder / TABLE_FILE]
    if not all(p.is_file() for p in paths):
        raise ValueError(
            f"{folder} holds no comparison's choice ({BEST_FILE} and {TABLE_FILE}); "
            "run `imblearn-vae compare ... --out "
            f"{folder}` first (a folder of an earlier version: rerun it, which "
            "resumes, or `--report-only`)."
        )
    try:
        best, table = (json.loads(p.read_text()) for p in paths)
    except ValueError as error:  # a file edited by hand, or cut short
        raise ValueError(f"{folder}: {BEST_FILE} or {TABLE_FILE} is not JSON "
                         f"({error}); rerun the comparison.") from None  # fmt: skip
    if best is None:
        raise ValueError(
            f"The comparison in {folder} has no entry that ran with every seed; "
            "name the method and the classifier instead (--method, --classifier)."
        )
    _check_entry_fields(best, table, folder / BEST_FILE)
    return best, table


def _check_entry_fields(best, table, path: Path) -> None:
    """The fields ``train --from-compare`` reads, each named when missing."""
    if not isinstance(best, dict) or not isinstance(table, dict):
        raise ValueError(f"{path} is not a comparison's choice (a JSON object).")
    for field in ("method", "classifier"):
        if not isinstance(best.get(field), str) or not best[field]:
            raise ValueError(f"{path} has no {field!r} (a name); rerun the comparison.")
    seeds = best.get("seeds")
    integers = isinstance(seeds, list) and all(
        isinstance(seed, int) and not isinstance(seed, bool) for seed in seeds
    )
    if not seeds or not integers:
        raise ValueError(f"{path}: 'seeds' must be a list of integers; got {seeds!r}.")
