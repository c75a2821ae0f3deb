"""The attacker's suite, detectors of any table (issue 32): a table's column
names and class labels are the table's author's, and may be anything,
the site's own names included; the model file that carries them may be
anyone's.

The detectors here are trained by ``imblearn-vae train`` on small tables
written for each test (a decision tree without balancing: about a second).
"""

import csv
import html
import io
import re

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from imblearn_vae.cli import main
from imblearn_vae.detector import load_detector
from imblearn_vae.web.models import Prediction, db

from .conftest import csrf_token, make_app, signup, stored_predictions
from .test_api import create_token, predict

#: Column names a table may have that are names of the site's own too: the
#: prediction form's (its CSRF token, the pasted line, the button), the
#: API's (a list of rows), the upload template's (its label column), and
#: markup and formulas for good measure.
CLASHING = ["csrf_token", "line", "submit", "next", "connections", "label",
            "<b>bold</b>", '=HYPERLINK("http://x")']  # fmt: skip


def train(tmp_path, frame: pd.DataFrame, label: str, *options: str, sep=","):
    """A detector trained by ``imblearn-vae train`` on the frame, loaded."""
    table = tmp_path / "table.csv"
    frame.to_csv(table, index=False, sep=sep)
    out = tmp_path / "table.model"
    arguments = [str(table), "--label", label, *options]
    main(["train", *arguments, "--method", "none", "--classifier", "dt",
          "--out", str(out), "--quiet"])  # fmt: skip
    return load_detector(out)


def clashing_table(rows: int = 120, seed: int = 0) -> pd.DataFrame:
    """A table whose every feature is named as one of the site's own
    names, with a class column ``kind``: each class its own values."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(["quiet", "noisy"], rows)
    noisy = kind == "noisy"
    frame = pd.DataFrame({
        name: (np.where(noisy, 50, 0) + rng.integers(0, 10, rows)) if i % 2 == 0
        else np.where(noisy, "loud", "soft")
        for i, name in enumerate(CLASHING)
    })  # fmt: skip
    frame["kind"] = kind
    return frame


@pytest.fixture(scope="module")
def clashing(tmp_path_factory):
    return train(tmp_path_factory.mktemp("clash"), clashing_table(), "kind")


@pytest.fixture
def served(config, clashing):
    app = make_app(config, DETECTOR=clashing)
    client = app.test_client()
    signup(client)
    return app, client


def noisy_row(detector) -> dict:
    return {k: str(v) for k, v in detector.examples["noisy"][0].items()}


def predicted(client, response) -> str:
    assert response.status_code == 302, response.text
    page = client.get(response.headers["Location"]).text
    return re.search(r'id="predicted-class">([^<]+)<', page).group(1)


# The site's own names among a table's columns ---------------------------------


def test_features_named_as_the_forms_own_fields_are_entered(served, clashing):
    """A table whose columns are named ``csrf_token`` and ``line`` (and
    ``submit``, ``next``): its form posted as a browser posts it, the
    page's hidden CSRF token first. Before, the form's fields were named
    as the features: the token's field and the feature's were one name (the
    feature got the token's text), and a feature named ``line`` made every
    form post read as a pasted line ("1 comma-separated value")."""
    app, client = served
    page = client.get("/predict")
    form = page.text.split('id="connection-form"')[1].split("</form>")[0]
    names = [html.unescape(name) for name in
             re.findall(r'<(?:input|select) [^>]*name="([^"]+)"', form)]  # fmt: skip
    assert names == ["csrf_token", *(f"feature:{n}" for n in CLASHING)]
    fields = MultiDict([("csrf_token", csrf_token(page))])
    for name, value in noisy_row(clashing).items():
        fields.add(f"feature:{name}", value)
    assert predicted(client, client.post("/predict", data=fields)) == "noisy"
    assert stored_predictions(app) == 1


def test_a_bad_value_of_a_feature_named_line_is_that_fields_error(served, clashing):
    """The error of the feature ``line`` is shown at its field, not as the
    pasted line's; the pasted line's errors are its own."""
    app, client = served
    token = csrf_token(client.get("/predict"))
    fields = {f"feature:{n}": v for n, v in noisy_row(clashing).items()}
    response = client.post("/predict", data={"csrf_token": token, **fields,
                                             "feature:line": "-"})  # fmt: skip
    assert response.status_code == 400
    error = re.search(r'<span class="name">line</span>.*?<span class="error">'
                      r"([^<]+)</span>", response.text, re.S)  # fmt: skip
    assert error and "unknown category '-'" in html.unescape(error.group(1))
    assert 'role="alert">unknown category' not in response.text
    response = client.post("/predict", data={"csrf_token": token, "line": "1,2"})
    assert response.status_code == 400
    assert re.search(r'</textarea>\s*<span class="error" role="alert">2 comma',
                     response.text)  # fmt: skip
    assert stored_predictions(app) == 0


def test_a_feature_named_connections_is_one_connection_in_the_api(served, clashing):
    """The API takes one row as an object, many as ``{"connections":
    [...]}``. A table with a column ``connections``: before, its one-row
    object was read as a list of rows ("connections: must be a list"),
    though the OpenAPI document says it is a row."""
    app, client = served
    secret = create_token(client)
    row = clashing.examples["noisy"][0]
    assert isinstance(row["connections"], int)
    one = predict(client, row, secret)
    assert one.status_code == 200, one.json
    assert one.json["predictions"][0]["class"] == "noisy"
    many = predict(client, {"connections": [row, row]}, secret)
    assert [p["class"] for p in many.json["predictions"]] == ["noisy"] * 2
    document = client.get("/api/v1/openapi.json").json
    connection = document["components"]["schemas"]["Connection"]
    assert connection["properties"]["connections"]["type"] == "integer"
    assert stored_predictions(app) == 3


def test_the_template_of_a_table_with_a_feature_named_label_uploads(tmp_path, config):
    """UNSW-NB15 has a class column ``attack_cat`` and a 0/1 column
    ``label``; trained on ``attack_cat`` without dropping ``label``, the
    upload template named ``label`` twice (the feature, and the examples'
    class after it), and the site refused its own template ("given more
    than once"). Its class column is the training file's own."""
    frame = clashing_table().rename(columns={"kind": "attack_cat"})
    frame = frame.drop(columns=[CLASHING[-1]])  # a formula: see below
    detector = train(tmp_path, frame, "attack_cat")
    assert "label" in detector.feature_names
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    signup(client)
    template = client.get("/upload/template.csv")
    header = next(csv.reader(io.StringIO(template.text)))
    assert header.count("label") == 1 and header[-1] == "attack_cat"
    response = client.post("/upload", data={
        "csrf_token": csrf_token(client.get("/upload")),
        "file": (io.BytesIO(template.data), "connections.csv")})  # fmt: skip
    assert response.status_code == 302, response.text
    rows = sum(len(rows) for rows in detector.examples.values())
    assert f"of {rows} labelled" in client.get(response.headers["Location"]).text


def test_the_sites_own_csv_files_read_back_as_they_were(tmp_path, config):
    """The site writes text that a spreadsheet would run with a leading
    ``'`` (OWASP's CSV-injection rule), and before read it back with it: a
    column named ``=HYPERLINK(...)``, TON_IoT's category ``-`` (its "none")
    and a class ``=cmd`` came back as ``'=HYPERLINK(...)`` (an unknown
    column), ``'-`` (an unknown category) and ``'=cmd`` (no class), and the
    site refused its own template. Text that starts with ``'`` itself keeps
    it."""
    rng = np.random.default_rng(0)
    kind = rng.choice(["=cmd|' /C calc'!A0", "-", "'=quoted"], 150)
    frame = pd.DataFrame({
        '=HYPERLINK("http://x")': np.where(kind == "-", "-", "@x"),
        "dns_query": np.where(kind == "-", "-", np.where(kind == "'=quoted",
                                                         "'-", "+1")),
        "bytes": np.where(kind == "-", -5, 5) + rng.integers(0, 3, 150),
        "type": kind,
    })  # fmt: skip
    detector = train(tmp_path, frame, "type")
    assert detector.features[1].categories == ["'-", "+1", "-"]
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    signup(client)
    template = client.get("/upload/template.csv")
    assert template.text.startswith('"\'=HYPERLINK(""http://x"")",dns_query')
    assert ",''-," in template.text and ",'-," in template.text  # safe to open
    response = client.post("/upload", data={
        "csrf_token": csrf_token(client.get("/upload")),
        "file": (io.BytesIO(template.data), "connections.csv")})  # fmt: skip
    assert response.status_code == 302, response.text
    rows = sum(len(rows) for rows in detector.examples.values())
    page = client.get(response.headers["Location"]).text
    assert f"of {rows} labelled" in page and 'accuracy">100.0%' in page
    assert stored_predictions(app) == rows


@pytest.mark.parametrize("sep", ["|", ";", "\t"])
def test_the_training_file_uploads_whatever_its_separator(tmp_path, config, sep):
    """A training table may be separated by ``|`` (``train`` reads it);
    before, an upload's separator was sniffed among ``,``, ``;`` and tab
    only, and the training file itself was refused ("no header of the
    model's column names"). A category holding commas stays one cell."""
    rng = np.random.default_rng(1)
    kind = rng.choice(["a", "b"], 100)
    frame = pd.DataFrame({"proto": np.where(kind == "a", "tcp,udp", "icmp"),
                          "bytes": rng.integers(0, 9, 100), "cls": kind})  # fmt: skip
    detector = train(tmp_path, frame, "cls", sep=sep)
    assert detector.layout["separator"] == sep
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    signup(client)
    data = (tmp_path / "table.csv").read_bytes()
    response = client.post("/upload", data={
        "csrf_token": csrf_token(client.get("/upload")),
        "file": (io.BytesIO(data), "table.csv")})  # fmt: skip
    assert response.status_code == 302, response.text
    assert "of 100 labelled" in client.get(response.headers["Location"]).text
    assert stored_predictions(app) == 100


def test_classes_that_differ_by_case_alone_are_told_apart(tmp_path, config):
    """A table with the classes ``DoS`` and ``dos`` (two captures' spellings,
    or two classes): before, a label was matched in lower case, so every
    ``DoS`` row of a labelled upload was counted as ``dos`` (129 ``dos``
    from 64 + 65) and the entry's scores were wrong. A label in a third
    case names neither."""
    rng = np.random.default_rng(2)
    kind = rng.choice(["DoS", "dos", "normal"], 150)
    codes = {"DoS": 0, "dos": 50, "normal": 100}
    frame = pd.DataFrame({"bytes": [codes[k] for k in kind] + rng.integers(0, 9, 150),
                          "attack_cat": kind})  # fmt: skip
    detector = train(tmp_path, frame, "attack_cat")
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    signup(client)
    frame.loc[0, "attack_cat"] = "DOS"
    response = client.post("/upload", data={
        "csrf_token": csrf_token(client.get("/upload")),
        "file": (io.BytesIO(frame.to_csv(index=False).encode()), "t.csv")})  # fmt: skip
    assert response.status_code == 302, response.text
    with app.app_context():
        actual = db.session.scalars(select(Prediction.actual)
                                    .order_by(Prediction.id)).all()  # fmt: skip
    assert actual == ["DOS", *frame["attack_cat"][1:]]
    page = client.get(response.headers["Location"]).text
    assert "of 149 labelled" in page and 'accuracy">100.0%' in page
    response = client.post("/predict", data={
        "csrf_token": csrf_token(client.get("/predict")), "line": "3,DoS"})  # fmt: skip
    assert 'id="actual-class">DoS<' in client.get(response.headers["Location"]).text


def test_a_model_of_many_classes_is_no_heavy_page_for_any_visitor(tmp_path, config):
    """The public model page drew the confusion matrix of every class, and
    summed a row per cell: for a table of 40 classes (NSL-KDD's attacks as
    the label) 0.5 MB and a quarter of a second per visit, for 300 classes
    25 MB and 4 s, for anyone, without a limit. A matrix of more than 30
    classes is a table of its largest confusions, on the model page and on
    a labelled upload's entry."""
    rng = np.random.default_rng(3)
    kind = np.repeat([f"attack{i:02d}" for i in range(40)], 8)
    frame = pd.DataFrame({"code": np.char.replace(kind, "attack", "c"),
                          "bytes": rng.integers(0, 9, 320), "label": kind})  # fmt: skip
    detector = train(tmp_path, frame, "label", "--test-size", "0.5")
    assert len(detector.classes) == 40
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    page = client.get("/model")
    assert page.status_code == 200 and len(page.data) < 100_000
    assert 'class="cell"' not in page.text
    assert "40 classes, too many to draw their matrix" in page.text
    scores = page.text.split('id="class-scores"')[1].split("</table>")[0]
    assert scores.count("<tr><td>attack") == 40  # each class's scores
    signup(client)
    frame["code"] = np.roll(frame["code"], 8)  # each class like another
    response = client.post("/upload", data={
        "csrf_token": csrf_token(client.get("/upload")),
        "file": (io.BytesIO(frame.to_csv(index=False).encode()), "t.csv")})  # fmt: skip
    entry = client.get(response.headers["Location"])
    assert entry.status_code == 200 and 'class="cell"' not in entry.text
    assert 'id="confusion-matrix-largest"' in entry.text
