"""Which balancing helps my data? The comparison behind ``imblearn-vae compare``.

For a labelled table: balance the training rows with each method and seed,
train each classifier on the result, score it on test rows, and tabulate
mean ± std over seeds, per-class figures and cost. See :func:`run_comparison`
and the ``compare`` command.
"""

from .data import (
    Table,
    align_test,
    make_table_preprocessor,
    prepare_table,
    read_table,
    split_table,
)
from .engine import Comparison, read_runs, run_comparison, scores
from .methods import DEFAULT_METHODS, METHODS, Method, parse_method

__all__ = [
    "DEFAULT_METHODS",
    "METHODS",
    "Comparison",
    "Method",
    "Table",
    "align_test",
    "make_table_preprocessor",
    "parse_method",
    "prepare_table",
    "read_runs",
    "read_table",
    "run_comparison",
    "scores",
    "split_table",
]
