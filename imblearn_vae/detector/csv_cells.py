"""CSV cells that are safe to open in a spreadsheet: OWASP's rule against
CSV injection, for every CSV a detector's answers go into.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage
return or line feed before one) is a formula to Excel and LibreOffice,
which can run commands (``=cmd|' /C calc'!A0``). Such a text cell gets a
leading ``'``, which spreadsheets read as "this is text" and do not show.
Numbers are written as numbers, negative ones included. The site's
downloads (:mod:`imblearn_vae.web.export`) and ``imblearn-vae predict``'s
scores and rejects all write text cells through :func:`text_cell`.

A file the site writes is one it reads back (the upload template, an
entry's rows): :func:`read_cell` takes off the ``'`` that
:func:`text_cell` added, and text that itself starts with ``'`` before a
formula's first character gets one more, so that every text comes back as
it was (TON_IoT writes ``-`` for "none" in its text columns, a category
that came back as ``'-``).
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
    >>> text_cell("'=1+1"), text_cell("'quoted")
    ("''=1+1", "'quoted")
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def read_cell(text: str) -> str:
    """A text cell that :func:`text_cell` wrote, as it was before.

    Examples
    --------
    >>> read_cell("'=1+1"), read_cell("''=1+1"), read_cell("'quoted"), read_cell("-")
    ('=1+1', "'=1+1", "'quoted", '-')
    """
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


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
