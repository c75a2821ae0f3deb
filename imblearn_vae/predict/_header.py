"""The input's columns against the model's: the detector's header rule
(:func:`~imblearn_vae.detector.check_header`), said as a command says it."""

from ..detector import Detector, check_header


class InputError(ValueError):
    """Input that cannot be read at all: no header, a column missing, ..."""


def refuse_bad_header(names: list[str], detector: Detector, where: str) -> None:
    """Refuse a header that lacks a model column, repeats one or adds others.

    The training file's other columns and label columns
    (:data:`~imblearn_vae.detector.LABEL_COLUMNS`) are allowed and ignored,
    as in the web application's upload.

    Raises
    ------
    InputError
        Naming the columns, and ``where`` (a file and line).
    """
    found = check_header(names, detector.features, detector.ignored_columns)
    if found:
        raise InputError(f"{where}: {found.sentence()}")
