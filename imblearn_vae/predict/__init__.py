"""Scoring connections as they arrive: ``imblearn-vae predict``.

A CSV (or Parquet) table of connections goes through a detector made by
``imblearn-vae train``; each row gets its label and class probabilities, each
bad row a line in the rejects. The input is read in bounded batches: a file
read once, standard input, or a file followed as a flow exporter appends to it.

- ``_sources``: bytes as they become available (files, pipes, a followed file
  and its rotations).
- ``_csv``: bytes to frames of raw values, one line a row, a partial line
  held; ``_parquet`` the same for Parquet.
- ``_header``: the input's columns against the model's.
- ``_output``: the scores as CSV, and the rejects.

Each batch is checked and scored by the detector's own modules
(:mod:`imblearn_vae.detector.rows`, :mod:`imblearn_vae.detector.scoring`),
those of the web form, the upload and the API.
- ``_run``: the loop; ``command``: the command line.

The names below are imported on first use, so that the command's parser needs
the core install only; scoring needs pandas and the model file's readers
(``pip install 'imblearn-vae[web]'``).
"""

from .._lazy import lazy_names

#: Where each public name lives.
_MODULE_OF = {"Counts": "_run", "InputError": "_header", "score_input": "_run"}

__all__ = sorted(_MODULE_OF)


__getattr__, __dir__ = lazy_names(__name__, _MODULE_OF)
