"""The site's JSON (web/json_text.py): orjson's speed, the standard
library's reading wherever orjson would read otherwise."""

import json

import numpy as np
import pytest

from imblearn_vae.web.json_text import parse, to_json

#: Bodies orjson refuses and the standard library reads.
ODD_BODIES = [b'{"x": NaN}', b'{"x": -Infinity}', b'{"x": 1e400}',
              b'{"x": "\\ud800"}', b'\xef\xbb\xbf{"x": 1}']  # fmt: skip


@pytest.mark.parametrize("body", ODD_BODIES, ids=ascii)
def test_what_orjson_refuses_is_read_as_the_standard_library_reads_it(body):
    got, expected = parse(body), json.loads(body)
    assert repr(got) == repr(expected)  # NaN included


@pytest.mark.parametrize("body", [b"{", b'{"x": }', b"[1,]", b"\xff"], ids=ascii)
def test_a_body_neither_reads_raises_the_standard_librarys_error(body):
    with pytest.raises(ValueError) as ours:
        parse(body)
    with pytest.raises(ValueError) as theirs:
        json.loads(body)
    assert str(ours.value) == str(theirs.value)


def test_nesting_too_deep_for_either_is_a_recursion_error():
    with pytest.raises(RecursionError):
        parse(b"[" * 100_000 + b"]" * 100_000)


def test_rows_of_floats_read_and_written_as_the_same_values():
    rng = np.random.default_rng(0)
    floats = rng.normal(size=500) * 10.0 ** rng.integers(-12, 12, 500)
    ints = rng.integers(-(2**63), 2**63 - 1, 500)
    rows = [{"x": float(v), "n": int(k), "c": "tcp"}
            for v, k in zip(floats, ints, strict=True)]  # fmt: skip
    body = json.dumps({"connections": rows}).encode()
    assert parse(body) == json.loads(body)
    for row in rows:
        assert json.loads(to_json(row)) == row
    assert to_json({"a": [1, 0.5, "x"]}) == '{"a":[1,0.5,"x"]}'


@pytest.mark.parametrize("value", [2**64, 2**70, -(2**63) - 1, -(2**70)])
def test_integers_beyond_64_bits_are_written_not_refused(value):
    """orjson refuses them (a TypeError, a 500 where an answer is written);
    the standard library writes them, compact as orjson writes."""
    row = {"n": value, "x": [0.5, "é"]}
    assert json.loads(to_json(row)) == row
    assert to_json(row) == f'{{"n":{value},"x":[0.5,"é"]}}'
