"""A user's labelled table: read, checked, split, as ``compare`` and ``train``
read it.

- :mod:`~imblearn_vae.tables.read`: a CSV, ARFF or Parquet file into a
  frame, the frame into features and labels with each column's kind checked
  (:class:`Table`), the test rows and the model's input matrix;
- :mod:`~imblearn_vae.tables.options`: the command-line options that say
  which table and how, and the reading they describe (:func:`load_tables`).

The names below are imported on first use: the options need the core
install only, the reading needs pandas.
"""

from .._lazy import lazy_names

#: Where each public name lives.
_MODULE_OF = {
    "Table": "read",
    "align_test": "read",
    "make_table_preprocessor": "read",
    "prepare_table": "read",
    "read_arff": "read",
    "read_table": "read",
    "split_table": "read",
    "TableOptions": "options",
    "Tables": "options",
    "add_table_arguments": "options",
    "load_tables": "options",
}

__all__ = sorted(_MODULE_OF)


__getattr__, __dir__ = lazy_names(__name__, _MODULE_OF)
