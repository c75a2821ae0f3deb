"""The attacker's suite, pages: issue 22, observations 8 (huge page numbers),
9 (a huge CSV cell), 11 (out-of-range integers in uploads) and 12 (repeated
columns, values echoed in full); and the "also" items: no caching of private
answers, the site's own 500 page. Issue 28, items 3 (formulas in exported
CSV cells), 5 (500 on large ids) and its "class of each bug": a NUL
character, which PostgreSQL's text columns refuse, was a 500 there."""

import csv
import dataclasses
import io
import re

import pytest

from .conftest import (
    csrf_token,
    example_row,
    login,
    logout,
    make_app,
    post_form,
    signup,
    stored_predictions,
)
from .test_pages import csv_bytes, upload


@pytest.fixture
def alice(client):
    signup(client)
    return client


# Observation 8 -------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["99999999999999999999", "9" * 400, "0", "-1", "abc", "1e3", "٣", ""]
)
def test_bad_page_numbers_are_a_clear_400(alice, detector, page):
    uploaded = upload(alice, csv_bytes([example_row(detector)]))
    for path in ("/history", uploaded.headers["Location"]):
        response = alice.get(path, query_string={"page": page})
        assert response.status_code == 400, path
        assert "page: must be a whole number from 1 to 1,000,000" in response.text


def test_a_page_past_the_end_is_empty_not_an_error(alice):
    response = alice.get("/history?page=1000000")
    assert response.status_code == 200 and "details</a>" not in response.text


# Observation 9 -------------------------------------------------------------


def test_a_huge_csv_cell_is_refused_naming_its_line(alice, app, detector):
    rows = [example_row(detector), example_row(detector) | {"service": "x" * 140_000}]
    response = upload(alice, csv_bytes(rows))
    assert response.status_code == 400
    assert "line 3" in response.text
    assert "field larger than field limit" in response.text
    assert len(response.data) < 20_000  # the cell is not echoed
    assert stored_predictions(app) == 0


# Observation 11 ------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e308", "1e19", "9300000000000000000"])
def test_out_of_range_integers_in_an_upload_are_refused(alice, app, detector, value):
    rows = [example_row(detector), example_row(detector) | {"count": value}]
    response = upload(alice, csv_bytes(rows))
    assert response.status_code == 400
    assert "line 3, column count: must be a whole number from 0 to" in response.text
    assert stored_predictions(app) == 0


@pytest.mark.parametrize("value", ["1e308", "9300000000000000000"])
def test_out_of_range_integers_in_the_form_are_refused(alice, app, detector, value):
    response = post_form(alice, example_row(detector) | {"duration": value})
    assert response.status_code == 400
    assert "must be a whole number from 0 to 9,223,372,036,854,775,807" in response.text
    assert stored_predictions(app) == 0


# Observation 12 ------------------------------------------------------------


def test_a_column_given_twice_is_refused(alice, app, detector):
    row = example_row(detector)
    names = list(row)
    header = ",".join([*names, "count"])
    line = ",".join([*row.values(), "999"])
    response = upload(alice, f"{header}\n{line}\n".encode())
    assert response.status_code == 400
    position = names.index("count") + 1
    assert (
        f"column count: given more than once (columns {position}, {len(names) + 1})"
        in response.text
    )
    assert stored_predictions(app) == 0


def test_upload_errors_never_echo_a_huge_value(alice, detector):
    huge = "y" * 100_000
    for rows, extra in (
        ([example_row(detector) | {"service": huge}], None),
        ([example_row(detector) | {"src_bytes": huge}], None),
        ([example_row(detector)], {huge: "1"}),
    ):
        response = upload(alice, csv_bytes(rows, extra=extra))
        assert response.status_code == 400
        assert len(response.data) < 20_000


def test_form_errors_never_echo_a_huge_value(alice, detector):
    response = post_form(alice, example_row(detector) | {"service": "z" * 100_000})
    assert response.status_code == 400
    assert "z" * 41 not in response.text


# Also ----------------------------------------------------------------------


def test_private_pages_and_downloads_are_not_cached(alice, detector):
    uploaded = upload(alice, csv_bytes([example_row(detector)])).headers["Location"]
    for path in ("/predict", "/history", "/tokens", "/account", uploaded,
                 uploaded + ".csv"):  # fmt: skip
        response = alice.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("path", ["/", "/model"])
def test_public_pages_may_be_cached(client, path):
    """A visitor's pages are served (200) and not marked no-store: only
    private answers are kept out of caches."""
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_500_page_is_the_sites_own(app, alice, monkeypatch):
    from imblearn_vae.web import history

    def broken():
        raise RuntimeError("secret detail")

    monkeypatch.setattr(history, "page_number", broken)
    app.testing = False  # as in production: no re-raise
    response = alice.get("/history")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert 'class="brand"' in response.text  # the site's layout
    assert "secret detail" not in response.text and "Traceback" not in response.text


# Issue 28, item 3 ------------------------------------------------------------

#: Cells a spreadsheet would run (OWASP CSV injection), and what they become.
FORMULAS = {
    "=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "x\r=1+1": "x\r=1+1",  # starts with a letter: left as it is
}


def formula_cells(text: str) -> list[str]:
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")
    ]


def test_labels_are_exported_as_text_not_formulas(alice, detector):
    rows = [example_row(detector) | {"label": label} for label in FORMULAS]
    uploaded = upload(alice, csv_bytes(rows))
    assert uploaded.status_code == 302
    exported = alice.get(uploaded.headers["Location"] + ".csv")
    assert exported.status_code == 200
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["label"] for row in table] == list(FORMULAS.values())
    assert formula_cells(exported.text) == []


def test_the_template_download_holds_no_formula_either(config, detector):
    """Every CSV the site writes, here the model's own example rows."""
    row = example_row(detector) | {"service": '=HYPERLINK("http://x")'}
    model = dataclasses.replace(detector, examples={"DoS": [row]})
    client = make_app(config, DETECTOR=model).test_client()
    signup(client)
    response = client.get("/upload/template.csv")
    assert response.status_code == 200
    assert formula_cells(response.text) == []
    assert "'=HYPERLINK" in response.text


# Issue 28, item 5 ------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["9223372036854775808", "9223372036854775807", "9" * 40, "0"]
)
def test_every_id_in_a_path_beyond_the_database_is_a_404(app, alice, number):
    """Every route with a number in its path, whatever its method: an id the
    database cannot hold (or holds no row for) is a 404, never a 500."""
    token = csrf_token(alice.get("/history"))
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    routes = [r for r in rules if r.arguments]
    assert len(routes) >= 6
    for rule in routes:
        path = re.sub(r"<[^>]+>", number, rule.rule)
        method = "POST" if "POST" in rule.methods else "GET"
        response = alice.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 404, (method, path)


# Issue 28, item 8 ------------------------------------------------------------


def test_the_model_page_shows_no_path_of_the_server(config, detector):
    command = ("imblearn-vae train --out /srv/secret/models/dt.model "
               "--data-home=/home/ops/nsl-data --sampler smote "
               "--classifier sklearn.ensemble.ExtraTreesClassifier:n_estimators=10 "
               "--model 'C:\\ops\\my models\\x.model'")  # fmt: skip
    model = dataclasses.replace(detector, command=command)
    page = make_app(config, DETECTOR=model).test_client().get("/model")
    assert page.status_code == 200
    for secret in ("/srv", "secret", "/home", "ops", "C:"):
        assert secret not in page.text, secret
    assert (
        "imblearn-vae train --out .../dt.model --data-home=.../nsl-data --sampler "
        "smote --classifier sklearn.ensemble.ExtraTreesClassifier:n_estimators=10 "
        "--model .../x.model"
    ) in page.text


@pytest.mark.parametrize("text", ["1_000", "\u0661\u0662"], ids=ascii)
def test_numbers_no_csv_reader_reads_are_refused_in_forms_and_files(
    alice, app, detector, text
):
    response = post_form(alice, example_row(detector) | {"duration": text})
    assert response.status_code == 400 and "not a number" in response.text
    response = upload(alice, csv_bytes([example_row(detector) | {"count": text}]))
    assert response.status_code == 400
    assert "line 2, column count: not a number" in response.text
    assert stored_predictions(app) == 0


# Issue 28, beyond its list: NUL characters -----------------------------------


def nul_requests(client, detector):
    """A NUL in each kind of text a request carries: (what, response)."""
    row = example_row(detector)
    token = csrf_token(client.get("/tokens"))
    yield "token name", client.post("/tokens", data={"csrf_token": token,
                                                     "name": "a\x00b"})  # fmt: skip
    yield "file name", upload(client, csv_bytes([row]), name="a\x00b.csv")
    long_file = csv_bytes([row] * 300, extra={"label": "x\x00y"})  # NUL past 4 KiB
    yield "file content", upload(client, long_file)
    yield "query", client.get("/history", query_string={"source": "a\x00"})
    logout(client)
    yield "log-in name", login(client, username="al\x00ice")


def test_a_nul_character_is_refused_naming_the_field(alice, app, detector):
    for what, response in nul_requests(alice, detector):
        assert response.status_code == 400, what
        assert "NUL" in response.text or "not a CSV text file" in response.text, what
    assert stored_predictions(app) == 0
    from imblearn_vae.web.models import ApiToken, LoginFailure, db

    with app.app_context():
        assert db.session.query(ApiToken).count() == 0
        assert db.session.query(LoginFailure).count() == 0


@pytest.mark.slow  # starts a PostgreSQL server
def test_a_nul_character_is_no_500_on_postgresql(config, detector):
    from imblearn_vae.web import create_app
    from imblearn_vae.web.database import upgrade_database
    from imblearn_vae.web.models import db

    from .servers import postgres_cluster

    with postgres_cluster() as url:
        settings = {**config, "DATABASE_URL": url}
        settings.pop("MIGRATED_DATABASE")
        app = create_app(settings)
        upgrade_database(app)
        client = app.test_client()
        signup(client)
        for what, response in nul_requests(client, detector):
            assert response.status_code == 400, what
        with app.app_context():
            db.engine.dispose()


# The review of issue 32's additions --------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"endpoint": "x"},
        {"_external": "1", "_scheme": "javascript", "_anchor": "\nalert(1)"},
        {"_anchor": "x", "_method": "POST"},
        {"batch_id": "5", "user_id": "1"},
    ],
    ids=lambda query: ",".join(query),
)
def test_page_links_keep_only_the_pages_filters(alice, detector, query):
    """A paged page (history, an entry's rows) links to its other pages with
    its filters kept. Before, every query argument was handed to
    ``url_for``, which reads ``endpoint``, ``_external``, ``_scheme`` and
    ``_anchor`` as its own: ``?endpoint=x`` was a 500, ``?_external=1&
    _anchor=...`` made the links absolute with a fragment of the sender's
    choosing, and ``?batch_id=5`` pointed them at another entry."""
    uploaded = upload(alice, csv_bytes([example_row(detector)] * 101))
    entry = uploaded.headers["Location"]
    response = alice.get(entry, query_string={**query, "class": "DoS"})
    assert response.status_code == 200
    links = re.findall(r'<nav class="pages">.*?href="([^"]+)"', response.text, re.S)
    assert links == [f"{entry}?class=DoS&amp;page=2"]
