"""The site's JSON in and out: orjson, with the standard library's reading
wherever orjson would read otherwise.

A 1,000-row API request of a table of floats is mostly JSON: the standard
library took about 13 ms to read one of 48 columns and 13 ms to write its
rows back as the stored inputs, orjson 3.4 and 1.4 ms (the 2-core machine,
in-process, 2026-12-06). orjson is a well-kept library (Rust, MIT and
Apache licences, in wide use) whose writing is JSON any reader reads back
as the same values. Its reading refuses what the standard library takes
(``NaN``, numbers beyond a double, lone surrogates, a byte-order mark,
nesting past 1,024): those bodies go to the standard library, so they are
read, or refused with the message, as before. One difference is left: an
integer beyond 64 bits becomes the nearest float, which the detector's rule
treats as it treats that integer (out of a whole number's range; the same
float for a number), and names in its message as the float. Its writing
refuses integers beyond 64 bits, which go to the standard library too.
"""

import json

import orjson


def parse(data: bytes):
    """The JSON value of ``data``.

    Raises
    ------
    ValueError, RecursionError
        As :func:`json.loads` does, for a body neither reads.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def to_json(value) -> str:
    """Compact JSON text of plain values (text, numbers, lists, dicts).

    orjson writes integers within 64 bits only (signed or unsigned); a
    value it refuses goes to the standard library, which writes any
    integer, so writing an answer or a stored row never fails on one
    (a 500 after the checks passed).
    """
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
