"""Choose the web application's default detector on validation data.

Each candidate (a balancing method, then a classifier) is fitted on
KDDTrain+ and scored on the two fixed stratified halves of KDDTest+ that
``benchmarks/nsl_kdd.py`` uses (``test_halves``): the *validation* half
chooses, the *held-out* half only reports. The candidates are classifiers
whose score per class means something (a forest's share of trees, a boosted
model's probability), with the decision tree the site served before for
reference (its score is 100% for nearly every row). Besides the scores:
the seconds to fit, the size of the fitted trees and the CPU time of
scoring one row and 1,000 rows through the web application's scorer.

    python benchmarks/default_detector.py                  # every candidate
    python benchmarks/default_detector.py --samplers dcbn-vae --classifiers \\
        extra-50 extra-30 extra-20 extra-10 rf-20 dt
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
from _common import REPO_ROOT, default_data_home, markdown
from nsl_kdd import test_halves

from imblearn_vae.compare.classifiers import build_classifier
from imblearn_vae.compare.methods import parse_method
from imblearn_vae.datasets import fetch_nsl_kdd
from imblearn_vae.datasets._nsl_kdd import make_nsl_kdd_preprocessor
from imblearn_vae.detector import Detector, Scorer, feature_schema
from imblearn_vae.metrics import scores

#: The candidate balancing methods: none, and DCBN-VAE with the settings
#: tuned on NSL-KDD (``imblearn_vae.NSL_KDD_TUNED``).
SAMPLERS = {
    "none": "none",
    "dcbn-vae": "dcbn-vae-nsl-kdd",
}

_EXTRA = "sklearn.ensemble.ExtraTreesClassifier:n_estimators="
_FOREST = "sklearn.ensemble.RandomForestClassifier:n_estimators="
#: Short names of the candidate classifiers and what they stand for.
CANDIDATES = {
    "dt": "dt",
    "rf": "rf",
    "rf-50": _FOREST + "50",
    "rf-20": _FOREST + "20",
    "extra-50": _EXTRA + "50",
    "extra-30": _EXTRA + "30",
    "extra-20": _EXTRA + "20",
    "extra-10": _EXTRA + "10",
    "hgb": "hgb",
}


def fit_candidates(args, train, samplers, classifiers):
    """Each sampler once, then each classifier on its rows: the fitted pipelines."""
    from imblearn.pipeline import Pipeline

    fitted = {}
    for sampler in samplers:
        started = time.process_time()
        method = parse_method(SAMPLERS[sampler])
        balance = method.build(random_state=args.seed, device="cpu")
        X, y = train.data, np.asarray(train.target)
        if balance is not None:
            X, y = balance.fit_resample(X, y)
        resample_seconds = time.process_time() - started
        print(f"{sampler}: {len(y):,} training rows, {resample_seconds:.0f} s",
              flush=True)  # fmt: skip
        for name in classifiers:
            started = time.process_time()
            model = build_classifier(CANDIDATES[name], args.seed)
            pipeline = Pipeline(
                [("preprocess", make_nsl_kdd_preprocessor()), ("classify", model)]
            )
            pipeline.fit(X, y)
            seconds = time.process_time() - started
            print(f"  {name}: {seconds:.0f} s", flush=True)
            fitted[sampler, name] = (pipeline, resample_seconds + seconds)
    return fitted


def scores_on(pipeline, X, y, labels) -> dict:
    """The detector's scores (:func:`imblearn_vae.metrics.scores`), as columns."""
    found = scores(y, pipeline.predict(X), labels)
    row = {
        "accuracy": float(found["accuracy"]),
        "weighted F1": float(found["f1_weighted"]),
        "macro F1": found["f1_macro"],
    }
    row.update({f"recall {c}": float(found[f"recall_{c}"]) for c in labels})
    return row


def scoring_cost(pipeline, train, test, labels) -> dict:
    """CPU ms of the web scorer for one row and for 1,000 rows (this thread's
    CPU time: a library's idle worker threads do not count)."""
    detector = Detector(
        pipeline=pipeline, features=feature_schema(train.data), classes=labels,
        target="category", version="", command="", scores={}, examples={},
        created="",
    )  # fmt: skip
    scorer = Scorer(detector)
    rows = test.data.iloc[:1000].astype(object).to_dict(orient="records")
    costs = {}
    for n, repeat in ((1, 200), (1000, 5)):
        columns, _ = scorer.check(rows[:n])
        scorer.probabilities(columns)
        started = time.thread_time()
        for _ in range(repeat):
            scorer.probabilities(columns)
        costs[f"ms/{n} rows"] = (time.thread_time() - started) / repeat * 1000
    return costs


def tree_nodes(pipeline) -> int:
    model = pipeline.steps[-1][1]
    trees = getattr(model, "estimators_", [model])
    return int(sum(getattr(t, "tree_", None).node_count for t in np.ravel(trees)
                   if hasattr(t, "tree_")))  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samplers", nargs="+", default=list(SAMPLERS),
                        choices=list(SAMPLERS))  # fmt: skip
    parser.add_argument("--classifiers", nargs="+", default=list(CANDIDATES),
                        choices=list(CANDIDATES))  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-home", default=None, help="folder holding nsl-kdd/")
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "benchmarks/results/default_detector"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    data_home = args.data_home or default_data_home()
    args.out.mkdir(parents=True, exist_ok=True)
    train = fetch_nsl_kdd(subset="KDDTrain+", data_home=data_home, as_frame=True)
    test = fetch_nsl_kdd(subset="KDDTest+", data_home=data_home, as_frame=True)
    labels = list(train.target_names)
    y_test = np.asarray(test.target)
    halves = test_halves(y_test)
    results = {"validation": [], "held-out": []}
    fitted = fit_candidates(args, train, args.samplers, args.classifiers)
    for (sampler, name), (pipeline, seconds) in fitted.items():
        for half in results:
            rows = halves[half]
            row = {"sampler": sampler, "classifier": name}
            row.update(scores_on(pipeline, test.data.iloc[rows], y_test[rows], labels))
            if half == "validation":
                row["fit s (CPU)"] = seconds
                row["tree nodes"] = tree_nodes(pipeline)
                row.update(scoring_cost(pipeline, train, test, labels))
            results[half].append(
                {k: 100 * v if k[0] in "amwr" and isinstance(v, float) else v
                 for k, v in row.items()}
            )  # fmt: skip
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    report = (
        f"Default detector candidates: `python benchmarks/default_detector.py "
        f"{' '.join(sys.argv[1:])}`; {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load {load}, {datetime.datetime.now():%Y-%m-%d %H:%M}. Scores in %.\n\n"
        "### Validation half of KDDTest+ (chooses)\n\n"
        + markdown(results["validation"])
        + "\n\n### Held-out half of KDDTest+ (reports)\n\n"
        + markdown(results["held-out"])
        + "\n"
    )
    (args.out / "candidates.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
