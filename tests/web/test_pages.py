"""The prediction form, its result, uploads, history, and bad input on them."""

import csv
import io
import re

import pytest

from .conftest import (
    PASSWORD,
    csrf_token,
    example_row,
    login,
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
        assert (
            f'name="feature:{field}"\n               value="{value}"' in response.text
        )
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
    # a label that names no class is kept, but left out of the scores
    response = upload(alice, csv_bytes(rows, extra={"label": "x", "difficulty": 3}))
    assert response.status_code == 302
    page = alice.get(response.headers["Location"]).text
    assert "connections.csv: 5 connections" in page
    assert page.count("details</a>") == 5
    assert "5 row(s) have a label that is" in page
    assert 'id="confusion-matrix"' not in page
    expected = detector.predict(detector.check_rows(rows)[0])[0]
    download = alice.get(response.headers["Location"] + ".csv")
    assert download.mimetype == "text/csv"
    assert "connections_predictions.csv" in download.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["predicted"] for r in table] == expected
    assert table[0]["protocol_type"] == rows[0]["protocol_type"]
    assert all(f"score_{c}" in table[0] for c in detector.classes)
    assert [r["label"] for r in table] == ["x"] * 5
    assert stored_predictions(app) == 5


def labelled_rows(detector):
    """Each class's examples with their class as label, one as an NSL-KDD
    attack name (neptune: DoS), and one normal row labelled Probe."""
    rows = [example_row(detector, c) | {"label": c} for c in detector.classes * 2]
    rows[1]["label"] = "neptune"
    rows[5]["label"] = "Probe"  # a normal row: the model cannot get it right
    return rows


def test_an_upload_with_labels_shows_how_the_model_did(alice, app, detector):
    rows = labelled_rows(detector)
    response = upload(alice, csv_bytes(rows))
    page = alice.get(response.headers["Location"]).text
    # the small detector gets its own examples right: 9 of 10
    assert re.search(r'id="labelled-accuracy">90.0%<', page)
    assert "9 of 10 labelled" in page
    matrix = page.split('id="confusion-matrix"')[1].split("</svg>")[0]
    assert matrix.count('<rect class="cell"') == len(detector.classes) ** 2
    assert "normal predicted as normal: 1 (100.0% of normal)" in matrix
    assert "Probe predicted as normal: 1 (33.3% of Probe)" in matrix
    assert page.count('<rect class="bar"') == len(detector.classes)
    assert "66.7% of 3" in page  # Probe: its 2 rows right, the normal one not
    assert page.count('class="mistaken"') == 1
    history = alice.get("/history").text
    assert "90.0% right on 10 labelled" in history
    download = alice.get(response.headers["Location"] + ".csv").text
    table = list(csv.DictReader(io.StringIO(download)))
    assert table[1]["label"] == "DoS" and table[5]["label"] == "Probe"


def test_the_template_uploads_as_it_is(alice, detector):
    template = alice.get("/upload/template.csv")
    assert template.mimetype == "text/csv"
    header = template.text.splitlines()[0].split(",")
    assert header == [*detector.feature_names, "label"]
    response = upload(alice, template.data, name="connections.csv")
    assert response.status_code == 302
    page = alice.get(response.headers["Location"]).text
    examples = sum(len(rows) for rows in detector.examples.values())
    assert f"of {examples} labelled" in page


def test_a_pasted_line_is_predicted_with_its_label(alice, app, detector):
    row = example_row(detector, "Probe")
    line = ",".join(row[name] for name in detector.feature_names)
    token = csrf_token(alice.get("/predict"))
    response = alice.post("/predict", data={"csrf_token": token,
                                            "line": line + ",ipsweep,18"})  # fmt: skip
    assert response.status_code == 302
    page = alice.get(response.headers["Location"]).text
    expected = detector.predict(detector.check_rows([row])[0])[0][0]
    assert re.search(r'id="predicted-class">([^<]+)<', page).group(1) == expected
    assert re.search(r'id="actual-class">Probe<', page)  # ipsweep is a Probe


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda line: line.rsplit(",", 1)[0], "line", "8 comma-separated values; a "
         "line of the training file has 11 (or the first 9, up to the last "
         "feature), in its order: protocol_type, service, flag, duration, ..."),
        (lambda line: "", "line", "paste one line of 11 values"),
        (lambda line: line + "\n" + line, "line", "one line of a file, not several"),
        (lambda line: line.replace("tcp", "sctp").replace("icmp", "sctp")
         .replace("udp", "sctp"), "protocol_type", "unknown category"),
    ],
)  # fmt: skip
def test_a_bad_pasted_line_is_named_and_nothing_is_stored(
    alice, app, detector, change, field, message
):
    row = example_row(detector, "Probe")
    line = change(",".join(row[name] for name in detector.feature_names))
    token = csrf_token(alice.get("/predict"))
    response = alice.post("/predict", data={"csrf_token": token, "line": line})
    assert response.status_code == 400
    text = response.text.replace("&#39;", "'")
    if field == "line":
        error = re.search(r'</textarea>\s*<span class="error" role="alert">([^<]+)<',
                          text)  # fmt: skip
    else:
        error = re.search(rf'<span class="name">{field}</span>.*?<span class="error">'
                          r"([^<]+)</span>", text, re.S)  # fmt: skip
    assert error and message in error.group(1)
    assert stored_predictions(app) == 0


def test_upload_errors_about_the_file_read_as_sentences(alice, app):
    token = csrf_token(alice.get("/upload"))
    response = alice.post("/upload", data={"csrf_token": token},
                          content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 400
    assert "<li>Choose a CSV file to upload.</li>" in response.text
    response = upload(alice, b"")
    assert "<li>connections.csv is empty</li>" in response.text
    assert stored_predictions(app) == 0


def good_rows(detector):
    return [example_row(detector, "normal"), example_row(detector, "Probe")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: b"", "connections.csv is empty"),
        (lambda d: b"\x89PNG\r\n\x1a\n\x00\x00binary", "is not a CSV text file"),
        (lambda d: "é".encode("latin-1") * 20, "not a CSV text file (not UTF-8)"),
        (lambda d: b"1,2,3\n4,5,6\n", "has no header of the model's column names"),
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


def api_predict(client, rows):
    from .test_api import create_token, predict

    return predict(client, {"connections": rows}, create_token(client))


def test_history_lists_each_request_once_with_its_class_counts(alice, detector):
    rows = [example_row(detector, c) for c in detector.classes] * 6  # 30 rows
    upload(alice, csv_bytes(rows))
    api_predict(alice, rows[:3])
    post_form(alice, example_row(detector, "normal"))
    page = alice.get("/history").text
    entries = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr ")[1:]
    assert len(entries) == 3
    assert "entry-form" in entries[0] and "entry-api" in entries[1]  # newest first
    assert "connections.csv" in entries[2] and ">30<" in entries[2]
    counts = detector.predict(detector.check_rows(rows)[0])[0]
    for label in detector.classes:
        assert f"{label} {counts.count(label)}<" in entries[2]
    # a one-row entry links to its prediction, a larger one to its rows
    assert "/predictions/" in entries[0] and "/batches/" in entries[1]


def test_history_is_paginated_and_filtered_by_source_and_class(alice, detector):
    for label in detector.classes * 6:  # 30 form entries
        post_form(alice, example_row(detector, label))
    upload(alice, csv_bytes([example_row(detector, "normal")] * 2))
    first = alice.get("/history").text
    assert first.count("<tr class=") == 25 and "page 1 of 2" in first
    assert alice.get("/history?page=2").text.count("<tr class=") == 6
    uploads = alice.get("/history?source=upload").text
    assert uploads.count("<tr class=") == 1 and "connections.csv" in uploads
    dos = alice.get("/history?class=DoS").text
    assert dos.count("<tr class=") == 6 and "connections.csv" not in dos
    both = alice.get("/history?source=upload&class=normal&page=1")
    assert both.text.count("<tr class=") == 1
    # the page links keep the filters
    forms = alice.get("/history?source=form").text
    assert "page=2" in forms and "source=form" in forms.split('class="pages"')[1]


@pytest.mark.parametrize("query", ["source=ftp", "class=dos", "class=" + "x" * 500])
def test_a_filter_outside_the_choices_is_a_clear_400(alice, query):
    response = alice.get(f"/history?{query}")
    assert response.status_code == 400
    assert "must be one of" in response.text and "x" * 50 not in response.text


def delete(client, path, token=True):
    data = {"csrf_token": csrf_token(client.get("/history"))} if token else {}
    return client.post(path, data=data)


def test_deleting_a_prediction_and_an_upload(alice, app, detector):
    rows = [example_row(detector, c) for c in detector.classes]
    batch = upload(alice, csv_bytes(rows)).headers["Location"]
    single = post_form(alice, example_row(detector)).headers["Location"]
    page = alice.get(batch).text
    first = re.search(r'href="(/predictions/\d+)">details', page).group(1)
    assert delete(alice, first + "/delete", token=False).status_code == 400
    assert stored_predictions(app) == 6
    assert delete(alice, first + "/delete").status_code == 302
    assert stored_predictions(app) == 5
    assert "connections.csv: 4 connections" in alice.get(batch).text
    assert alice.get(first).status_code == 404
    assert delete(alice, batch + "/delete").headers["Location"] == "/history"
    assert stored_predictions(app) == 1
    assert alice.get(batch).status_code == 404
    # deleting a one-row entry's prediction deletes the entry
    assert delete(alice, single + "/delete").status_code == 302
    assert stored_predictions(app) == 0
    assert "None yet" in alice.get("/history").text


def test_deleting_the_account_deletes_its_data(client, app, detector):
    from .test_api import create_token, predict

    signup(client, "alice")
    secret = create_token(client)
    post_form(client, example_row(detector))
    token = csrf_token(client.get("/account"))
    wrong = {"csrf_token": token, "password": "wrong one"}
    response = client.post("/account/delete", data=wrong)
    assert response.status_code == 400 and "This is not your password." in response.text
    assert stored_predictions(app) == 1
    response = client.post("/account/delete", data={"csrf_token": token,
                                                    "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302
    assert "all its data are deleted" in client.get("/").text
    assert client.get("/history").status_code == 302  # logged out
    assert predict(client, example_row(detector), secret).status_code == 401
    from imblearn_vae.web.models import ApiToken, Batch, LoginSession, User, db

    with app.app_context():
        for table in (User, ApiToken, LoginSession, Batch):
            assert db.session.query(table).count() == 0, table
    assert stored_predictions(app) == 0
    assert login(client).status_code == 401  # the name is free again
    assert signup(client, "alice").status_code == 302


def test_the_model_page_says_what_is_served_and_how_good_it_is(client, detector):
    page = client.get("/model").text  # public, like the home page
    assert "none" in page and "dt" in page and "2026-01-01 00:00:00" in page
    assert "leaf share" in page and "does not say how sure" in page
    assert page.count('<rect class="bar"') == len(detector.classes)
    assert "keeps no confusion matrix" in page


def test_the_model_page_draws_the_held_out_confusion_matrix(config, detector):
    """A model file of this version keeps its confusion matrices: the page
    shows the held-out half's, class by class."""
    import dataclasses

    import numpy as np

    from imblearn_vae.detector import kddtest_scores

    classes = detector.classes
    actual = np.repeat(classes, [40, 30, 20, 8, 2])
    predicted = actual.copy()
    predicted[actual == "R2L"] = "normal"  # every R2L row missed
    scores = kddtest_scores(actual, predicted, classes)
    client = make_app(
        config, DETECTOR=dataclasses.replace(detector, scores=scores)
    ).test_client()
    page = client.get("/model").text
    held = scores["held_out"]
    assert f"({held['rows']} connections: accuracy" in " ".join(page.split())
    matrix = page.split('id="confusion-matrix"')[1].split("</svg>")[0]
    counts = re.findall(r'<text class="count[^"]*"[^>]*>([\d,]+)</text>', matrix)
    assert [int(c) for c in counts] == np.ravel(held["confusion"]).tolist()
    assert "R2L predicted as normal: 4 (100.0% of R2L)" in matrix
    table = page.split('id="class-scores"')[1].split("</table>")[0]
    # recall 0, and no precision: nothing was predicted R2L
    row = "<td>R2L</td><td>4</td><td>0.0%</td> <td>\N{EN DASH}</td>"
    assert row in " ".join(table.split())


def test_users_never_see_each_others_predictions_or_uploads(client, app, detector):
    signup(client, "alice")
    own = post_form(client, example_row(detector)).headers["Location"]
    uploaded = upload(client, csv_bytes([example_row(detector)])).headers["Location"]
    logout(client)
    signup(client, "bob")
    assert client.get(own).status_code == 404
    assert client.get(uploaded).status_code == 404
    assert client.get(uploaded + ".csv").status_code == 404
    assert "None yet" in client.get("/history").text
    token = csrf_token(client.get("/history"))
    for path in (own + "/delete", uploaded + "/delete"):
        assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert stored_predictions(app) == 2
