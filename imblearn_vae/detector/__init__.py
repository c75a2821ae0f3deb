"""A trained intrusion detector in one file: the pipeline and what checks its input.

:func:`train_detector` fits a detection pipeline on NSL-KDD (a balancing
method from :mod:`imblearn_vae.compare`'s list, then a decision tree, CNN or
CNN+LSTM) and scores it on KDDTest+; :func:`save_detector` writes it, with
the feature schema an application needs to build its form and check input
(names, kinds, the categories seen in training, numeric ranges), the class
names, the package version, the command that made it and its scores.
:func:`load_detector` reads it back and refuses a file from another version,
a damaged file or a missing one with a message that says so.

One module per job:

- :mod:`~imblearn_vae.detector.schema`: the input's fields and the checks
  of a value (:class:`Feature`, :func:`check_value`);
- :mod:`~imblearn_vae.detector.model`: the :class:`Detector` itself;
- :mod:`~imblearn_vae.detector.nsl_kdd`: training on NSL-KDD and scoring
  on KDDTest+;
- :mod:`imblearn_vae.model_file`: the file format, with no pickle: nothing
  in the file runs when it is read.
"""

from ..model_file import (
    MAGIC,
    DetectorFileError,
    load_detector,
    read_header,
    save_detector,
)
from .model import Detector
from .nsl_kdd import (
    KDDTEST_SPLIT_SEED,
    build_pipeline,
    kddtest_halves,
    kddtest_scores,
    train_detector,
)
from .schema import (
    ECHO_LIMIT,
    INT64_MAX,
    INT64_MIN,
    LABEL_COLUMNS,
    Feature,
    RowError,
    check_value,
    feature_schema,
)

__all__ = [
    "ECHO_LIMIT",
    "INT64_MAX",
    "INT64_MIN",
    "KDDTEST_SPLIT_SEED",
    "LABEL_COLUMNS",
    "MAGIC",
    "Detector",
    "DetectorFileError",
    "Feature",
    "RowError",
    "build_pipeline",
    "check_value",
    "feature_schema",
    "kddtest_halves",
    "kddtest_scores",
    "load_detector",
    "read_header",
    "save_detector",
    "train_detector",
]
