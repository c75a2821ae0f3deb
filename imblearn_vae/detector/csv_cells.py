"""CSV cells that are safe to open in a spreadsheet: OWASP's rule against
CSV injection, for every CSV a detector's answers go into.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage
return or line feed before one) is a formula to Excel and LibreOffice,
which can run commands (``=cmd|' /C calc'!A0``). Such a text cell gets a
leading ``'``, which spreadsheets read as "this is text" and do not show.
Numbers are written as numbers, negative ones included. The site's
downloads (:mod:`imblearn_vae.web.export`) and ``imblearn-vae predict``'s
scores and rejects all write text cells through :func:`text_cell`.
"""

import csv
import io

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


def csv_line(cells: list) -> str:
    """One CSV line (``\\n`` ended) of ``cells``, each text cell made safe
    and quoted where it needs it.

    Examples
    --------
    >>> csv_line(["DoS", "=cmd", 'a "b", c', 0.5])
    'DoS,\\'=cmd,"a ""b"", c",0.5\\n'
    """
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerow([text_cell(c) for c in cells])
    return stream.getvalue()
