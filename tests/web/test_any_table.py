"""The site and ``imblearn-vae predict`` with a detector of any table (issue
32, item 4): the five tables' detectors (a TON_IoT device, satimage,
kr-vs-k, ecoli, the BoT-IoT fragment) served and scored. The form's fields,
the pasted line (a line of the training file, in its own layout), the
upload (the training file itself), the API and its OpenAPI document, the
model and data pages all come from the model's schema and classes."""

import csv
import io
import re

import numpy as np
import pytest

from imblearn_vae.cli import main
from imblearn_vae.detector import load_detector
from imblearn_vae.web.pages import field_name

from ..tables import training_lines
from .conftest import csrf_token, form_fields, make_app, signup, stored_predictions
from .test_api import create_token

pytestmark = pytest.mark.slow

TABLES = ["ton-iot", "satimage", "kr-vs-k", "ecoli", "bot-iot"]


@pytest.fixture(params=TABLES)
def served(request, trained_tables, config):
    """(TableCase, detector, app, a logged-in client) for each table."""
    case, path = trained_tables[request.param]
    detector = load_detector(path)
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    assert signup(client).status_code == 302
    return case, detector, app, client


def field(page: str, name: str) -> str:
    found = re.search(rf'id="{name}">([^<]+)<', page)
    assert found, f"no #{name} in the page"
    return found.group(1)


def test_the_pages_come_from_the_model(served):
    case, detector, _, client = served
    form = client.get("/predict").text
    for feature in detector.features:  # a field per feature, of its kind
        tag = "select" if feature.kind == "categorical" else "input"
        name = re.escape(field_name(feature.name))
        assert re.search(rf'<{tag}[^>]*name="{name}"', form)
    assert case.path.name in form and "NSL-KDD" not in form
    model = client.get("/model").text
    assert case.path.name in model
    assert model.count('<rect class="cell"') == len(detector.classes) ** 2
    data = client.get("/data").text
    assert data.count('<rect class="before"') == len(detector.classes)
    assert data.count('<rect class="after"') == len(detector.classes)
    assert data.count('<section class="feature"') == len(detector.features)
    numbers = [f for f in detector.features if f.kind != "categorical"]
    assert data.count('class="box-plot"') == len(numbers)
    upload = client.get("/upload").text
    assert detector.features[0].name in upload and "NSL-KDD" not in upload


def test_a_form_row_and_a_line_of_the_training_file(served):
    case, detector, app, client = served
    label = detector.classes[0]
    row = {k: str(v) for k, v in detector.examples[label][0].items()}
    response = client.post("/predict", data={"csrf_token": csrf_token(
        client.get("/predict")), **form_fields(row)})  # fmt: skip
    assert response.status_code == 302
    expected = detector.predict(detector.check_rows([row])[0])[0][0]
    assert field(client.get(response.headers["Location"]).text,
                 "predicted-class") == expected  # fmt: skip
    # a line as the training file has it: its own columns and separator,
    # identifiers and labels included; the label is kept
    header, line = training_lines(case, 1)
    names = next(csv.reader([header], delimiter=case.separator))
    actual = next(csv.reader([line], delimiter=case.separator))
    actual = actual[names.index(case.label)].strip()
    response = client.post("/predict", data={"csrf_token": csrf_token(
        client.get("/predict")), "line": line})  # fmt: skip
    assert response.status_code == 302, response.text
    assert field(client.get(response.headers["Location"]).text,
                 "actual-class") == actual  # fmt: skip
    assert stored_predictions(app) == 2


def test_the_training_file_uploads_with_its_labels(served):
    case, detector, app, client = served
    lines = training_lines(case, 200)
    body = ("\n".join(lines) + "\n").encode()
    response = client.post(
        "/upload", content_type="multipart/form-data",
        data={"csrf_token": csrf_token(client.get("/upload")),
              "file": (io.BytesIO(body), case.path.name)},
    )  # fmt: skip
    assert response.status_code == 302, re.findall(r"<li>([^<]+)</li>", response.text)
    page = client.get(response.headers["Location"]).text
    accuracy = float(field(page, "labelled-accuracy").rstrip("%"))
    assert 20 <= accuracy <= 100  # scored against the file's own class column
    assert stored_predictions(app) == 200
    # one bad value: refused whole, with its line and column, nothing stored
    names = next(csv.reader([lines[0]], delimiter=case.separator))
    feature = detector.features[-1]
    cells = next(csv.reader([lines[5]], delimiter=case.separator))
    cells[names.index(feature.name)] = "not-a-value"
    bad = [*lines[:5], case.separator.join(cells), *lines[6:]]
    response = client.post(
        "/upload", content_type="multipart/form-data",
        data={"csrf_token": csrf_token(client.get("/upload")),
              "file": (io.BytesIO("\n".join(bad).encode()), "bad.csv")},
    )  # fmt: skip
    assert response.status_code == 400
    assert f"line 6, column {feature.name}:" in response.text
    assert stored_predictions(app) == 200


def test_the_api_and_its_description(served):
    case, detector, app, client = served
    secret = create_token(client)
    rows = [row for rows in detector.examples.values() for row in rows]
    response = client.post("/api/v1/predict", json={"connections": rows},
                           headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
    assert response.status_code == 200, response.json
    got = [p["class"] for p in response.json["predictions"]]
    assert got == detector.predict(detector.check_rows(rows)[0])[0]
    document = client.get("/api/v1/openapi.json").json
    connection = document["components"]["schemas"]["Connection"]
    assert connection["required"] == detector.feature_names
    for name in detector.ignored_columns:  # the training file's other columns
        assert name in connection["properties"]
    assert case.path.name in document["info"]["description"]
    # a field the model does not know is named, nothing stored
    stored = stored_predictions(app)
    response = client.post("/api/v1/predict", json=rows[0] | {"src_ip": "10.0.0.1"},
                           headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "src_ip"
    assert stored_predictions(app) == stored


@pytest.mark.parametrize("name", TABLES)
def test_predict_scores_the_training_file(trained_tables, name, tmp_path, capsys):
    case, path = trained_tables[name]
    detector = load_detector(path)
    lines = training_lines(case, 300)
    source = tmp_path / "rows.csv"
    source.write_text("\n".join(lines) + "\n")
    assert main(["predict", str(path), str(source), "--out",
                 str(tmp_path / "scores.csv")]) == 0  # fmt: skip
    scored = list(csv.DictReader(open(tmp_path / "scores.csv")))
    records = list(csv.DictReader(io.StringIO("\n".join(lines)),
                                  delimiter=case.separator))  # fmt: skip
    frame, errors = detector.check_rows(records)
    assert not errors
    labels, probabilities = detector.predict(frame)
    assert [r["label"] for r in scored] == labels
    first = np.array([float(scored[0][f"p_{c}"]) for c in detector.classes])
    assert first == pytest.approx([probabilities[0][c] for c in detector.classes],
                                  abs=1e-6)  # fmt: skip
    assert "rejected 0" in capsys.readouterr().err
