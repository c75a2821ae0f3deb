"""The site's CSV downloads, safe to open in a spreadsheet.

Every text cell the site writes goes through
:func:`~imblearn_vae.detector.csv_cells.text_cell`, OWASP's rule against CSV
injection (the one ``imblearn-vae predict`` applies too), and every
download of the site is built by :func:`csv_download`, so no text cell can
skip the rule.
"""

import csv
import io
import itertools
from collections.abc import Iterable

from flask import Response

from ..detector.csv_cells import text_cell


def csv_download(header: list[str], rows: Iterable[list], filename: str) -> Response:
    """A CSV attachment of ``header`` and ``rows``, every text cell made safe.

    Parameters
    ----------
    header : list of str
    rows : iterable of list
        Cells: text (made safe by ``text_cell``) or numbers.
    filename : str
        The attachment's name; letters, digits, ``-``, ``_`` and ``.`` only.
    """
    stream = io.StringIO()
    writer = csv.writer(stream)
    for row in itertools.chain([header], rows):
        writer.writerow([text_cell(value) for value in row])
    return Response(
        stream.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
