"""Run (method, seed) resamplings and score each classifier on them.

Each (method, seed) pair is one task: balance the training table once with
the method, then train every classifier that has no result for it yet on the
same rows and score it on each evaluation set (rows of the test table).
Tasks are independent: they run in parallel with joblib (``jobs``) or on a
Dask cluster. A task *returns* its rows and predictions, as scikit-learn's
``cross_validate`` returns what ``_fit_and_score`` computed: this process
alone writes ``runs.csv`` and the prediction files, so workers on other
machines never need the results folder, and a stopped comparison resumes
where it stopped.
"""

import csv
import importlib.util
import json
import os
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits
from torch.utils.flop_counter import FlopCounterMode

from .._runtime import idle_cores
from ..base import BaseGenerativeSampler
from ..metrics import scores
from ..nn import count_parameters
from ..registry.classifiers import build_classifier, weight_classes
from ..registry.methods import Method, failure_hint
from ..tables.read import Table, make_table_preprocessor


@dataclass
class Comparison:
    """What to compare, on which data, and where the runs go.

    Parameters
    ----------
    train, test : Table
        The training rows (balanced by each method) and the rows scored.
    methods : list of Method
        The balancing methods (:func:`parse_method`).
    classifiers : list of str
        ``dt``, ``cnn``, ``cnn-lstm`` or import paths of classifiers.
    seeds : list of int
        Each seed sets both the sampler and the classifier of a run.
    out : pathlib.Path
        Folder of ``runs.csv`` and ``predictions/``.
    evaluation : dict of str to array of int, optional
        Named sets of test-table rows to score on; default: all of them, as
        ``"test"``.
    device : str, default="cpu"
        Torch device of the generative samplers and the CNNs.
    classifier_epochs : int, default=10
        Epochs of the CNN classifiers.
    labels : list, optional
        The classes the per-class scores are given for; default: those of
        the training rows, then any that only the test rows have.
    """

    train: Table
    test: Table
    methods: list[Method]
    classifiers: list[str]
    seeds: list[int]
    out: Path
    evaluation: dict[str, np.ndarray] | None = None
    device: str = "cpu"
    classifier_epochs: int = 10
    labels: list = field(default_factory=list)

    def __post_init__(self):
        if self.evaluation is None:
            self.evaluation = {"test": np.arange(len(self.test.y))}
        if not self.labels:
            seen = set(self.train.y.tolist())
            self.labels = sorted(seen) + sorted(set(self.test.y.tolist()) - seen)

    @property
    def runs_path(self) -> Path:
        return self.out / "runs.csv"


def missing_tasks(comparison: Comparison) -> list[tuple[Method, int, list[str]]]:
    """(method, seed, classifiers without a successful run) still to do."""
    done = {
        (r["method"], int(r["seed"]), r["classifier"])
        for r in read_runs(comparison.runs_path)
        if r["status"] == "ok"
    }
    tasks = []
    for seed in comparison.seeds:
        for method in comparison.methods:
            todo = [
                c for c in comparison.classifiers if (method.spec, seed, c) not in done
            ]
            if todo:
                tasks.append((method, seed, todo))
    return tasks


def run_comparison(
    comparison: Comparison,
    jobs: int = 1,
    threads: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> list[dict]:
    """Run every missing task; return the rows written (failed runs included).

    Parameters
    ----------
    comparison : Comparison
        What to run; runs already in its ``runs.csv`` are skipped.
    jobs : int
        Tasks at a time (joblib's ``n_jobs``); -1 for one per core.
    threads : int, optional
        Threads per task: the sampler's (torch, BLAS) and the classifier's
        (its ``n_jobs``, or its OpenMP threads: ``hgb``). By default
        :func:`default_threads`.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): tasks then run on
        its workers, ``jobs`` at a time; the tables are sent to the cluster
        once and the results come back here.
    progress : callable, optional
        Wraps the stream of finished tasks, ``progress(iterable, total)``
        (a progress bar).
    """
    return run_tasks(
        comparison,
        missing_tasks(comparison),
        jobs=jobs,
        threads=threads,
        scheduler=scheduler,
        progress=progress,
        write=lambda row: append_run(comparison.runs_path, row),
    )


@dataclass
class TaskResult:
    """What one (method, seed) task gives back: its rows and its predictions.

    ``predictions`` maps each classifier that ran to its predicted labels
    of the test rows.
    """

    rows: list[dict]
    predictions: dict[str, np.ndarray] = field(default_factory=dict)


def run_tasks(
    comparison: Comparison,
    tasks: list[tuple[Method, int, list[str]]],
    *,
    jobs: int = 1,
    threads: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[Iterable, int], Iterable] | None = None,
    write: Callable[[dict], None],
) -> list[dict]:
    """Run ``(method, seed, classifiers)`` tasks; ``write`` each row as it comes.

    See :func:`run_comparison` for the arguments. Rows are handed to
    ``write`` and predictions saved under ``comparison.out`` in this
    process, in the order the tasks finish.
    """
    (comparison.out / "predictions").mkdir(parents=True, exist_ok=True)
    if not tasks:
        return []
    n_jobs = jobs if jobs > 0 else os.cpu_count() or 1
    if threads is None:
        threads = default_threads(min(n_jobs, len(tasks)), here=scheduler is None)
    run = _run_on_dask if scheduler else _run_with_joblib
    results = run(comparison, tasks, n_jobs, threads, scheduler)
    if progress is not None:
        results = progress(results, len(tasks))
    written = []
    for result in results:
        for row in result.rows:
            if row["status"] == "ok":
                save_predictions(
                    comparison.out, row, result.predictions[row["classifier"]]
                )
            write(row)
        written.extend(result.rows)
    return written


def default_threads(at_a_time: int, here: bool = True) -> int:
    """Threads per task when none are given: the cores shared out among the
    tasks that run at a time, on this machine only its idle cores.

    The samplers' own rule for ``n_threads=None`` (:func:`idle_cores`):
    threads on cores that other work keeps busy wait for each other at every
    operation; on two cores with other work running, gradient boosting
    (``hgb``) fitted 1,035 rows in 45-55 s with two OpenMP threads and in
    under 2 s with one. Measured once,
    when the tasks start, so that every task of a run has the same count
    (``runs.csv`` records it). For a Dask cluster (``here=False``) this
    machine's idle cores say nothing: its cores are shared out.
    """
    cores = idle_cores() if here else os.cpu_count() or 1
    return max(1, cores // at_a_time)


def _run_with_joblib(comparison, tasks, n_jobs, threads, scheduler=None):
    calls = (
        delayed(run_task)(comparison, method, seed, classifiers, threads)
        for method, seed, classifiers in tasks
    )
    yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered")(calls)


def _run_on_dask(comparison, tasks, n_jobs, threads, scheduler):
    """Tasks on a Dask cluster, ``n_jobs`` at a time.

    The comparison (its tables) goes to the cluster once, scattered, and
    each task refers to it, instead of shipping the tables with every task.
    """
    from distributed import as_completed

    client = _dask_client(scheduler)
    try:
        shared = client.scatter(comparison, broadcast=True)
        pending = iter(tasks)

        def submit(task):
            method, seed, classifiers = task
            return client.submit(
                run_task, shared, method, seed, classifiers, threads, pure=False
            )

        running = as_completed([submit(t) for t in islice(pending, n_jobs)])
        for future in running:
            for task in pending:  # one more in, for each one out
                running.add(submit(task))
                break
            yield future.result()
    finally:
        client.close()


def _dask_client(address: str):
    try:
        from distributed import Client
    except ImportError as error:
        raise ImportError(
            "--scheduler needs Dask's distributed package: "
            "pip install 'dask[distributed]'."
        ) from error
    return Client(address)


def run_task(
    comparison: Comparison,
    method: Method,
    seed: int,
    classifiers: list[str],
    threads: int,
) -> TaskResult:
    """Balance once with ``method``, then fit and score each classifier.

    Writes nothing: the rows and predictions come back to the caller. A
    failure (a class too small for the method, a missing package) gives
    one row per classifier with ``status="failed"`` and the reason, so the
    other tasks go on.
    """
    base = {"method": method.spec, "label": method.label, "seed": seed}
    previous = torch.get_num_threads()  # jobs=1 runs in the caller's process
    torch.set_num_threads(threads)
    try:
        # BLAS and every OpenMP runtime loaded (torch's, scikit-learn's): the
        # classifier's threads where it has no parameter for them (hgb)
        with threadpool_limits(threads):
            return _run_task(comparison, method, seed, classifiers, threads, base)
    except Exception as error:  # one failing method must not stop the rest
        reason = f"{type(error).__name__}: {error}" + failure_hint(
            error, comparison.train.y
        )
        return TaskResult([
            {**base, "classifier": c, "status": "failed", "error": reason,
             "traceback": traceback.format_exc(limit=-3)}
            for c in classifiers
        ])  # fmt: skip
    finally:
        torch.set_num_threads(previous)


def _run_task(comparison, method, seed, classifiers, threads, base) -> TaskResult:
    needs = method.info.needs
    if needs and importlib.util.find_spec(needs) is None:
        raise ImportError(
            f"{method.name} needs the {needs} package: pip install "
            "'imblearn-vae[peers]'."
        )
    train, test = comparison.train, comparison.test
    preprocess = make_table_preprocessor(train).fit(train.X)
    sampler = method.build(seed, n_threads=threads, device=comparison.device)
    X_balanced, y_balanced, X_raw, sampler_seconds = _balance(
        method.steps(sampler, preprocess), train
    )
    cost = generator_cost(sampler, train, X_raw, X_balanced, preprocess)
    X_test = preprocess.transform(test.X)

    result = TaskResult([])
    for classifier_name in classifiers:
        classifier = build_classifier(
            classifier_name, seed, comparison.device, comparison.classifier_epochs,
            threads,
        )  # fmt: skip
        fit_params, weighting = {}, ""
        if method.info.weights:
            classifier, fit_params, weighting = weight_classes(classifier, y_balanced)
        start = time.perf_counter()
        classifier.fit(X_balanced, y_balanced, **fit_params)
        classifier_seconds = time.perf_counter() - start
        predicted = np.asarray(classifier.predict(X_test))
        result.predictions[classifier_name] = predicted
        row = {**base, "classifier": classifier_name, "status": "ok", "error": ""}
        for set_name, test_rows in comparison.evaluation.items():
            row.update(
                {
                    f"{set_name}:{key}": value
                    for key, value in scores(
                        test.y[test_rows], predicted[test_rows], comparison.labels
                    ).items()
                }
            )
        row.update(
            sampler_seconds=sampler_seconds,
            classifier_seconds=classifier_seconds,
            train_rows=len(train.y),
            balanced_rows=len(y_balanced),
            **cost,
            settings=json.dumps(_settings(sampler)),
            weighting=weighting,
            threads=threads,
        )
        result.rows.append(row)
    return result


def _balance(steps, train: Table) -> tuple[np.ndarray, np.ndarray, object, float]:
    """Run a method's steps (:meth:`Method.steps`) on the training rows.

    The steps run one at a time, not as a pipeline, so that the sampler is
    timed alone and the preprocessing stays the one fitted on the training
    table itself (a pipeline would refit it on the balanced rows).

    Returns
    -------
    X_balanced : ndarray
        The matrix the classifier is fitted on.
    y_balanced : ndarray
    X_raw : array-like or None
        The balanced table, where the sampler balanced the table itself.
    sampler_seconds : float
    """
    X, y, X_raw, sampler_seconds = train.X, train.y, None, 0.0
    encoded = False
    for name, step in steps:
        if name == "preprocess":
            if X_raw is not None:  # a sampler may give an array back
                X = pd.DataFrame(X_raw, columns=train.X.columns)
            X, encoded = step.transform(X), True
            continue
        start = time.perf_counter()
        X, y = step.fit_resample(X, y)
        sampler_seconds = time.perf_counter() - start
        if not encoded:
            X_raw = X
    return X, y, X_raw, sampler_seconds


def save_predictions(out: Path, row: dict, predicted: np.ndarray) -> Path:
    """Write one run's predicted labels to ``out/predictions/`` (as text)."""
    path = out / "predictions" / (
        f"{_file_name(row['method'])}__{row['seed']}__"
        f"{_file_name(row['classifier'])}.npy"
    )  # fmt: skip
    np.save(path, predicted.astype(str))
    return path


def generator_cost(sampler, train, X_raw, X_balanced, preprocess) -> dict:
    """Parameters, FLOPs per generated row, epochs run and the share of valid rows.

    Valid rows: on the table, each categorical value one seen in training; on
    the one-hot matrix, each block a single 1 among 0s (a sampler that treats
    the blocks as numbers makes fractions, which stand for no real row).
    """
    cost = {"parameters": "", "flops_per_row": "", "epochs_run": "",
            "valid_categorical_share": ""}  # fmt: skip
    if sampler is None:
        return cost
    new_rows = slice(len(train.y), None)
    if X_raw is not None:
        new = pd.DataFrame(X_raw[new_rows], columns=train.X.columns)
        valid = np.ones(len(new), dtype=bool)
        for column in train.categorical:
            valid &= new[column].isin(train.X[column].unique()).to_numpy()
    else:
        valid = np.ones(len(X_balanced) - len(train.y), dtype=bool)
        start = 0
        for categories in _one_hot_categories(preprocess):
            block = X_balanced[new_rows, start : start + len(categories)]
            valid &= np.isin(block, (0.0, 1.0)).all(axis=1) & (block.sum(axis=1) == 1)
            start += len(categories)
    if train.categorical and len(valid):
        cost["valid_categorical_share"] = float(valid.mean())
    if isinstance(sampler, BaseGenerativeSampler):
        cost["parameters"] = count_parameters(sampler.module_)
        cost["epochs_run"] = sampler.n_epochs_
        with FlopCounterMode(display=False) as counter:
            sampler.sample(1024, sampler.classes_[0])
        cost["flops_per_row"] = counter.get_total_flops() / 1024
    return cost


def _one_hot_categories(preprocess) -> list:
    """The categories of each one-hot block, first in the matrix; none without.

    A ColumnTransformer does not fit a transformer given no columns, so a
    table without categorical columns has no fitted encoder to ask.
    """
    if "categories" not in preprocess.named_transformers_:
        return []
    encoder = preprocess.named_transformers_["categories"]
    return getattr(encoder, "categories_", [])


def _settings(sampler) -> dict:
    if sampler is None:
        return {}
    return {
        key: value
        if isinstance(value, int | float | str | bool | None)
        else repr(value)
        for key, value in sampler.get_params(deep=False).items()
        if key not in {"verbose", "n_threads"}
    }


def _file_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.=" else "_" for c in text)


def read_runs(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="") as stream:
        return list(csv.DictReader(stream))


def append_run(path: Path, row: dict) -> None:
    """Append one row; a row with new columns rewrites the file with their union."""
    runs = read_runs(path)
    header = list(runs[0]) if runs else []
    if runs and set(row) <= set(header):
        with open(path, "a", newline="") as stream:
            csv.DictWriter(stream, fieldnames=header, restval="").writerow(row)
        return
    header += [key for key in row if key not in header]
    with open(path, "w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows([*runs, row])
