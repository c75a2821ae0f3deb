"""The prediction form, its result, uploads, history, and bad input on them."""

import csv
import io
import re

import pytest

from .conftest import (
    csrf_token,
    example_row,
    logout,
    make_app,
    post_form,
    signup,
    stored_predictions,
)


@pytest.fixture
def alice(client):
    signup(client)
    return client


def test_a_real_connection_gets_its_class_and_probabilities(alice, app, detector):
    row = example_row(detector, "DoS")
    expected = detector.predict(detector.check_rows([row])[0])[0][0]
    response = post_form(alice, row)
    assert response.status_code == 302
    page = alice.get(response.headers["Location"]).text
    assert re.search(r'id="predicted-class">([^<]+)<', page).group(1) == expected
    for label in detector.classes:
        assert f"<td>{label}</td>" in page
    assert page.count("<meter") == len(detector.classes)
    assert stored_predictions(app) == 1


def test_the_form_offers_the_known_categories_ranges_and_examples(alice, detector):
    page = alice.get("/predict").text
    service = next(f for f in detector.features if f.name == "service")
    assert all(f'<option value="{c}"' in page for c in service.categories)
    assert 'id="fill-example"' in page and '"normal": [{' in page
    duration = next(f for f in detector.features if f.name == "duration")
    assert f"a whole number ≥ 0; training saw 0 to {duration.maximum:,.0f}" in page
    numbers = [f for f in detector.features if f.kind != "categorical"]
    assert page.count('inputmode="decimal"') == len(numbers)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("src_bytes", "", "missing"),
        ("src_bytes", "lots", "not a number"),
        ("dst_bytes", "-3", "must not be negative"),
        ("count", "2.5", "must be a whole number"),
        ("serror_rate", "1.5", "must be at most 1"),
        ("service", "gopher2", "unknown category &#39;gopher2&#39;"),
    ],
)
def test_bad_fields_are_named_and_kept_and_nothing_is_stored(
    alice, app, detector, field, value, message
):
    row = example_row(detector) | {field: value}
    response = post_form(alice, row)
    assert response.status_code == 400
    error = re.search(
        rf'<span class="name">{field}</span>.*?<span class="error">([^<]+)</span>',
        response.text,
        re.S,
    )
    assert error and message in error.group(1)
    if field != "service":  # the typed text stays in its field
        assert f'name="{field}"\n               value="{value}"' in response.text
    assert response.text.count('class="invalid"') == 1
    assert stored_predictions(app) == 0


def upload(client, content: bytes, name="connections.csv"):
    token = csrf_token(client.get("/upload"))
    return client.post(
        "/upload",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def csv_bytes(rows: list[dict], extra=None) -> bytes:
    stream = io.StringIO()
    columns = list(rows[0]) + list(extra or [])
    writer = csv.DictWriter(stream, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **(extra or {})})
    return stream.getvalue().encode()


def test_an_upload_gives_a_table_and_a_csv_download(alice, app, detector):
    rows = [example_row(detector, c) for c in detector.classes]
    # label columns of an NSL-KDD file are ignored
    response = upload(alice, csv_bytes(rows, extra={"label": "x", "difficulty": 3}))
    assert response.status_code == 302
    page = alice.get(response.headers["Location"]).text
    assert "connections.csv: 5 connections" in page
    assert page.count("<tr><td>") == 5
    expected = detector.predict(detector.check_rows(rows)[0])[0]
    download = alice.get(response.headers["Location"] + ".csv")
    assert download.mimetype == "text/csv"
    assert "connections_predictions.csv" in download.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["predicted"] for r in table] == expected
    assert table[0]["protocol_type"] == rows[0]["protocol_type"]
    assert all(f"probability_{c}" in table[0] for c in detector.classes)
    assert stored_predictions(app) == 5


def good_rows(detector):
    return [example_row(detector, "normal"), example_row(detector, "Probe")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: b"", "connections.csv is empty"),
        (lambda d: b"\x89PNG\r\n\x1a\n\x00\x00binary", "is not a CSV text file"),
        (lambda d: "é".encode("latin-1") * 20, "not a CSV text file (not UTF-8)"),
        (lambda d: b"1,2,3\n4,5,6\n", "no header row of NSL-KDD column names"),
        (
            lambda d: csv_bytes([{k: v for k, v in r.items() if k != "flag"}
                                 for r in good_rows(d)]),
            "column flag: missing column",
        ),
        (lambda d: csv_bytes(good_rows(d), extra={"ip": "10.0.0.1"}),
         "column ip: unknown column"),
        (lambda d: csv_bytes(good_rows(d)).splitlines()[0] + b"\n",
         "has a header but no rows"),
        (lambda d: csv_bytes([good_rows(d)[0], good_rows(d)[1] | {"count": "-1"}]),
         "line 3, column count: must not be negative"),
    ],
)  # fmt: skip
def test_bad_uploads_say_what_and_where_and_store_nothing(alice, app, detector, make,
                                                          message):  # fmt: skip
    response = upload(alice, make(detector))
    assert response.status_code == 400
    assert message in response.text.replace("&#39;", "'")
    assert stored_predictions(app) == 0


def test_uploads_over_the_row_or_size_limit_are_refused(config, detector):
    app = make_app(config, MAX_ROWS=3, MAX_UPLOAD_BYTES=20_000)
    client = app.test_client()
    signup(client)
    rows = [example_row(detector)] * 4
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 400 and "at most 3 per file" in response.text
    big = csv_bytes([example_row(detector)] * 400)
    assert len(big) > 20_000
    response = upload(client, big)
    assert response.status_code == 413
    assert "larger than the limit of 19 KiB" in response.text
    assert stored_predictions(app) == 0


def test_history_is_newest_first_and_paginated(alice, app, detector):
    rows = [example_row(detector, c) for c in detector.classes] * 6  # 30 rows
    upload(alice, csv_bytes(rows))
    post_form(alice, example_row(detector, "normal"))
    first = alice.get("/history").text
    assert first.count("details</a>") == 25 and "page 1 of 2" in first
    assert re.search(r"<td>form</td>", first)  # the newest, the form's, on top
    assert first.index("<td>form</td>") < first.index("upload <a")
    second = alice.get("/history?page=2").text
    assert second.count("details</a>") == 6


def test_users_never_see_each_others_predictions_or_uploads(client, app, detector):
    signup(client, "alice")
    own = post_form(client, example_row(detector)).headers["Location"]
    uploaded = upload(client, csv_bytes([example_row(detector)])).headers["Location"]
    logout(client)
    signup(client, "bob")
    assert client.get(own).status_code == 404
    assert client.get(uploaded).status_code == 404
    assert client.get(uploaded + ".csv").status_code == 404
    assert "details</a>" not in client.get("/history").text
