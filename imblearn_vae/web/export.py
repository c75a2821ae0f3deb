"""The site's CSV downloads, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage
return or line feed before one) is a formula to Excel and LibreOffice,
which can run commands (``=cmd|' /C calc'!A0``). Every text cell the site
writes goes through :func:`text_cell`, OWASP's rule against CSV injection:
such a cell gets a leading ``'``, which spreadsheets read as "this is text"
and do not show. Numbers are written as numbers, negative ones included.
Every download of the site is built by :func:`csv_download`, so no text
cell can skip the rule.
"""

import csv
import io
import itertools
from collections.abc import Iterable

from flask import Response

#: What a cell may not start with (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def text_cell(value):
    """``value``, with a leading ``'`` when it is text a spreadsheet would run.

    Examples
    --------
    >>> text_cell("=1+1"), text_cell("-2"), text_cell(-2), text_cell("tcp")
    ("'=1+1", "'-2", -2, 'tcp')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_download(header: list[str], rows: Iterable[list], filename: str) -> Response:
    """A CSV attachment of ``header`` and ``rows``, every text cell made safe.

    Parameters
    ----------
    header : list of str
    rows : iterable of list
        Cells: text (checked by :func:`text_cell`) or numbers.
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
