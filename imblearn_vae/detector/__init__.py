"""A trained detector in one file: the pipeline, what checks its input, and
what it learned from.

:func:`train_on_tables` fits a detection pipeline on any labelled table (a
balancing method and a classifier named as ``imblearn-vae compare`` names
them) and scores it on the table's test rows; :func:`train_detector` does
it for NSL-KDD. :func:`save_detector` writes it with the input schema an
application builds its form and checks input with (names, kinds, the
categories seen in training, numeric ranges, the column order), the
classes, the package version, the command that made it, its scores and
what it learned from; :func:`load_detector` reads it back and refuses a
file from another version, a damaged file or a missing one with a message
that says so.

One module per job:

- :mod:`~imblearn_vae.detector.schema`: the input's fields (:class:`Feature`);
- :mod:`~imblearn_vae.detector.rows`: the one rule for a valid value, for a
  cell, whole columns, records and a header (:func:`check_value`);
- :mod:`~imblearn_vae.detector.scoring`: scores on checked rows, on arrays
  where the pipeline allows (:class:`Scorer`);
- :mod:`~imblearn_vae.detector.model`: the :class:`Detector` itself;
- :mod:`~imblearn_vae.detector.fitting`, :mod:`~imblearn_vae.detector.training`,
  :mod:`~imblearn_vae.detector.summary`: fitting on a table and keeping what
  the detector learned from; :mod:`~imblearn_vae.detector.nsl_kdd`: NSL-KDD
  and KDDTest+'s halves;
- :mod:`~imblearn_vae.detector.model_file`: the file format, with no
  pickle: nothing in the file runs when it is read; and
  :mod:`~imblearn_vae.detector.model_schema`: what its description may
  hold;
- :mod:`~imblearn_vae.detector.provenance` and
  :mod:`~imblearn_vae.detector.csv_cells`: the command without local
  paths, and CSV cells safe in a spreadsheet.
"""

from .model import Detector
from .model_file import (
    MAGIC,
    DetectorFileError,
    load_detector,
    read_header,
    save_detector,
)
from .nsl_kdd import KDDTEST_SPLIT_SEED, kddtest_halves, kddtest_scores, train_detector
from .rows import (
    RULE_ROWS,
    check_columns,
    check_header,
    check_records,
    check_value,
    header_separator,
)
from .schema import (
    ECHO_LIMIT,
    INT64_MAX,
    INT64_MIN,
    LABEL_COLUMNS,
    Feature,
    RowError,
    feature_schema,
)
from .scoring import Scorer
from .training import build_pipeline, train_on_tables

__all__ = [
    "ECHO_LIMIT",
    "INT64_MAX",
    "INT64_MIN",
    "KDDTEST_SPLIT_SEED",
    "LABEL_COLUMNS",
    "MAGIC",
    "RULE_ROWS",
    "Detector",
    "DetectorFileError",
    "Feature",
    "RowError",
    "Scorer",
    "build_pipeline",
    "check_columns",
    "check_header",
    "check_records",
    "check_value",
    "feature_schema",
    "header_separator",
    "kddtest_halves",
    "kddtest_scores",
    "load_detector",
    "read_header",
    "save_detector",
    "train_detector",
    "train_on_tables",
]
