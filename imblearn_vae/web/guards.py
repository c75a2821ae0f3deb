"""Checks every request passes before the CSRF check and any view.

Each refuses a kind of input for the whole site at once, so that no form,
page or future view can forget it (OWASP ASVS 4.0 V5.1.3, V5.1.4: input
checked on arrival, with a clear answer).
"""

from flask import abort, request

#: Request methods that carry a body.
WITH_BODY = ("POST", "PUT", "PATCH")


def refuse_long_streams() -> None:
    """A body sent without a length (chunked) and longer than the limit: 413.

    werkzeug refuses a declared length over ``MAX_CONTENT_LENGTH`` at once;
    a chunked body it cuts at the limit without a word, and a form or JSON
    cut short was a 400 about its content. Here such a body is read up to
    the limit first (at most ``MAX_UPLOAD_BYTES``, kept for the view), and
    one byte more raises werkzeug's RequestEntityTooLarge.
    """
    if request.content_length is None and request.method in WITH_BODY:
        request.get_data(cache=True)
        request.stream.read(1)


def refuse_nul_characters() -> None:
    """A NUL character in a query argument, a form field or a file name: 400
    naming the field.

    No text of the site holds one, and PostgreSQL's text columns refuse it:
    a log-in name or a token name with one was a 500 there (SQLite stored
    it). Uploaded files' contents are checked as they are read
    (``service.read_csv_upload``); the API's JSON values reach the database
    only after the detector's checks.
    """
    fields = [*request.args.items(multi=True)]
    if request.method in WITH_BODY and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields += request.form.items(multi=True)
        fields += [(f"{name} (file name)", file.filename or "")
                   for name, file in request.files.items(multi=True)]  # fmt: skip
    for name, value in fields:
        if "\x00" in name or "\x00" in value:
            shown = name.replace("\x00", "\\0")[:40]
            abort(400, f"{shown}: a NUL character (\\0) is not accepted here.")
