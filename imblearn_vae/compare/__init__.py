"""Which balancing helps my data? The comparison behind ``imblearn-vae compare``.

For a labelled table: balance the training rows with each method and seed,
train each classifier on the result, score it on test rows, and tabulate
mean ± std over seeds, per-class figures and cost. See :func:`run_comparison`
and the ``compare`` command.

The names below are imported on first use: the methods and the command's
parser need the core install only, the tables and the engine need pandas
(``pip install 'imblearn-vae[compare]'``).
"""

from .._lazy import lazy_names

#: Where each public name lives.
_MODULE_OF = {
    "Table": "data",
    "align_test": "data",
    "make_table_preprocessor": "data",
    "prepare_table": "data",
    "read_table": "data",
    "split_table": "data",
    "Comparison": "engine",
    "read_runs": "engine",
    "run_comparison": "engine",
    "scores": "engine",
    "DEFAULT_METHODS": "methods",
    "METHODS": "methods",
    "Method": "methods",
    "parse_method": "methods",
}

__all__ = sorted(_MODULE_OF)


__getattr__, __dir__ = lazy_names(__name__, _MODULE_OF)
