"""A trained detector: the fitted pipeline with what it learned from."""

from dataclasses import dataclass, field

import pandas as pd
from imblearn.pipeline import Pipeline

from .rows import check_records, to_frame
from .schema import Feature, RowError


@dataclass
class Detector:
    """A fitted pipeline, its input schema and classes, and what it learned from.

    The fields after ``settings`` came with detectors for any table; a file
    made before them reads back with them empty (the pages then say that the
    file does not keep them).

    Attributes
    ----------
    pipeline : imblearn.pipeline.Pipeline
        Preprocessing and classifier (the balancing step is not kept).
    features : list of Feature
        The input schema, in the model's column order.
    classes : list of str
        The classes, in the order the pages show them.
    target : str
        What is predicted: the label column (``category`` / ``binary`` for
        NSL-KDD).
    version, command, created : str
        The package version, the command that made it (without local
        paths) and when.
    scores : dict
        On the test rows: accuracy, weighted and macro F1, recall per class
        and the confusion matrix; ``test_rows`` and ``test`` (where they came
        from); for NSL-KDD also ``held_out`` (the half of KDDTest+ that chose
        nothing).
    examples : dict
        Up to five test rows of each class that the detector accepts.
    settings : dict
        Method, classifier, seed.
    source : dict
        The training table: its file name, loader, label column, rows, the
        columns left out and why, where the test rows came from.
    layout : dict
        The training file's own layout: ``columns`` in order, the ``label``
        column, the ``separator`` of its lines.
    counts : dict
        Rows per class of the training table, before and after balancing.
    profile : dict
        Per feature: its range, and a summary per class (quartiles for a
        number, counts per category).
    balancing : dict
        What the balancing did: rows generated per class, the share of
        drawn rows its filter refused, how far generated rows lie from real
        ones.
    entry : dict
        The comparison entry it was trained from (``train --from-compare``):
        method, classifier, the rule that chose it, and its figures there.
    """

    pipeline: Pipeline
    features: list[Feature]
    classes: list[str]
    target: str
    version: str
    command: str
    scores: dict
    examples: dict[str, dict]
    created: str
    settings: dict = field(default_factory=dict)
    source: dict = field(default_factory=dict)
    layout: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    profile: dict = field(default_factory=dict)
    balancing: dict = field(default_factory=dict)
    entry: dict = field(default_factory=dict)

    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]

    @property
    def ignored_columns(self) -> list[str]:
        """The training file's columns that are not features (identifiers,
        labels, columns left out): a file of its layout passes with them."""
        names = set(self.feature_names)
        return [c for c in self.layout.get("columns", []) if c not in names]

    @property
    def label_column(self) -> str:
        """The column a file of the training layout holds the class in."""
        return self.layout.get("label") or "label"

    @property
    def is_nsl_kdd(self) -> bool:
        """Trained on NSL-KDD: its attacks' names are labels too. Files made
        before detectors for any table (no ``source``) all were."""
        return self.source.get("loader", "nsl-kdd") == "nsl-kdd"

    @property
    def table_name(self) -> str:
        """The training table as the pages name it."""
        if self.source.get("name"):
            return self.source["name"]
        if self.is_nsl_kdd:  # a file made before detectors for any table
            return f"NSL-KDD {self.settings.get('training file', 'KDDTrain+')}"
        return "its training table"

    def check_rows(
        self, records: list[dict]
    ) -> tuple[pd.DataFrame | None, list[RowError]]:
        """Turn input rows (field -> text or number) into a frame, or errors.

        Every row is checked in full, so that all problems come back at
        once (:func:`~imblearn_vae.detector.rows.check_records`). Label
        columns (:data:`LABEL_COLUMNS`) and the training file's other
        columns are ignored; any other unknown field is an error, as is a
        missing one.
        """
        columns, errors = check_records(self.features, records, self.ignored_columns)
        if errors:
            return None, errors
        return to_frame(self.features, columns), []

    def predict(self, frame: pd.DataFrame) -> tuple[list[str], list[dict]]:
        """The predicted class and the probability of each class, per row."""
        probabilities = self.pipeline.predict_proba(frame)
        model_classes = [str(c) for c in self.pipeline.classes_]
        labels = [model_classes[i] for i in probabilities.argmax(axis=1)]
        return labels, [
            {c: float(p) for c, p in zip(model_classes, row, strict=True)}
            for row in probabilities
        ]
