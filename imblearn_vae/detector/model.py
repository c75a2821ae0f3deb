"""A trained detector: the fitted pipeline with its input schema and provenance."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from imblearn.pipeline import Pipeline

from .schema import ECHO_LIMIT, LABEL_COLUMNS, Feature, RowError, check_value


@dataclass
class Detector:
    """A fitted pipeline with its input schema, classes and provenance."""

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

    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]

    def check_rows(
        self, records: list[dict]
    ) -> tuple[pd.DataFrame | None, list[RowError]]:
        """Turn input rows (field -> text or number) into a frame, or errors.

        Every row is checked in full, so that all problems come back at once.
        Label columns (:data:`LABEL_COLUMNS`) are ignored; any other unknown
        field is an error, as is a missing one.
        """
        errors: list[RowError] = []
        columns: dict[str, list] = {f.name: [] for f in self.features}
        known = set(columns)
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                errors.append(
                    RowError(
                        index,
                        "",
                        "a connection must be an object of field names and values",
                    )
                )
                continue
            for name in record:
                if name not in known and str(name).lower() not in LABEL_COLUMNS:
                    errors.append(
                        RowError(index, str(name)[:ECHO_LIMIT], "unknown field")
                    )
            for feature in self.features:
                value, problem = check_value(feature, record.get(feature.name))
                if problem:
                    errors.append(RowError(index, feature.name, problem))
                columns[feature.name].append(value)
        if errors:
            return None, errors
        frame = pd.DataFrame(columns)
        for feature in self.features:
            if feature.kind == "categorical":
                frame[feature.name] = pd.Categorical(
                    frame[feature.name], categories=feature.categories
                )
            elif feature.kind == "integer":
                frame[feature.name] = frame[feature.name].astype(np.int64)
            else:
                frame[feature.name] = frame[feature.name].astype(np.float64)
        return frame, []

    def predict(self, frame: pd.DataFrame) -> tuple[list[str], list[dict]]:
        """The predicted class and the probability of each class, per row."""
        probabilities = self.pipeline.predict_proba(frame)
        model_classes = [str(c) for c in self.pipeline.classes_]
        labels = [model_classes[i] for i in probabilities.argmax(axis=1)]
        return labels, [
            {c: float(p) for c, p in zip(model_classes, row, strict=True)}
            for row in probabilities
        ]
