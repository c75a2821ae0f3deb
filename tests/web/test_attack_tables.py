"""The attacker's suite, detectors of any table (issue 32): a table's column
names and class labels are the table's author's, and may be anything,
the site's own names included; the model file that carries them may be
anyone's.

The detectors here are trained by ``imblearn-vae train`` on small tables
written for each test (a decision tree without balancing: about a second).
"""

import copy
import csv
import hashlib
import html
import io
import json
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from imblearn_vae.cli import main
from imblearn_vae.detector import MAGIC, DetectorFileError, load_detector, model_file
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
    return load_detector(train_file(tmp_path, frame, label, *options, sep=sep))


def train_file(tmp_path, frame: pd.DataFrame, label: str, *options: str, sep=","):
    """The model file ``imblearn-vae train`` writes for the frame."""
    table = tmp_path / "table.csv"
    frame.to_csv(table, index=False, sep=sep)
    out = tmp_path / "table.model"
    arguments = [str(table), "--label", label, *options]
    main(["train", *arguments, "--method", "none", "--classifier", "dt",
          "--out", str(out), "--quiet"])  # fmt: skip
    return out


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
def clashing_file(tmp_path_factory):
    return train_file(tmp_path_factory.mktemp("clash"), clashing_table(), "kind")


@pytest.fixture(scope="module")
def clashing(clashing_file):
    return load_detector(clashing_file)


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
    model's column names"), as ``predict`` refused it. A category holding
    commas stays one cell."""
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
    # and ``imblearn-vae predict`` reads it too (it knew no | either)
    scores = tmp_path / "scores.csv"
    assert main(["predict", str(tmp_path / "table.model"), str(tmp_path / "table.csv"),
                 "--out", str(scores)]) == 0  # fmt: skip
    assert len(pd.read_csv(scores)) == 100


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


def test_a_model_of_many_classes_makes_no_heavy_page(tmp_path, config):
    """The public model page drew the confusion matrix of every class, and
    summed a row per cell: for a table of 40 classes (NSL-KDD's attacks as
    the label) 0.5 MB and a quarter of a second per visit, for 300 classes
    25 MB and 4 s, for anyone, without a limit. A matrix of more than 30
    classes is a table of its largest confusions, on the model page and on
    a labelled upload's entry; the data page charts the 30 largest."""
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
    # the data page: a chart per feature of a row per class cost their
    # product (300 classes, 40 features: 6 MB and a second a visit); each
    # chart shows the 30 classes with the most training rows
    data = client.get("/data").text
    assert data.count('<rect class="before"') == 40  # the classes' bars: all
    plot = data.split('class="box-plot"')[1].split("</svg>")[0]
    assert plot.count('<rect class="box"') == 30
    table = data.split('class="results numbers categories"')[1].split("</table>")[0]
    assert table.split("</thead>")[0].count("<th>attack") == 30
    assert "The charts show the 30 classes with the most" in data


# What a visitor who is not logged in sees ------------------------------------


def test_the_training_tables_values_are_for_users_who_are_logged_in(tmp_path, config):
    """The data page and the form (each category training saw, each
    number's range) are for users who are logged in; the API's OpenAPI
    document, which lists the same, was public: a table whose column holds
    host names gave every one of them to any visitor. It is for users with
    a session or a token now; the public pages show the columns' names."""
    rng = np.random.default_rng(4)
    kind = rng.choice(["quiet", "noisy"], 100)
    hosts = [f"db{i}.corp.example" for i in range(5)]
    frame = pd.DataFrame({"host": rng.choice(hosts, 100),
                          "bytes": np.where(kind == "noisy", 4242, 17),
                          "kind": kind})  # fmt: skip
    detector = train(tmp_path, frame, "kind")
    app = make_app(config, DETECTOR=detector)
    visitor = app.test_client()
    for path in ("/", "/model", "/login", "/signup", "/api/v1/openapi.json",
                 "/data", "/predict"):  # fmt: skip
        text = visitor.get(path).text
        assert not any(host in text for host in hosts), path
        assert "4,242" not in text and "4242" not in text, path
    assert visitor.get("/api/v1/openapi.json").status_code == 401
    user = app.test_client()
    signup(user)
    document = user.get("/api/v1/openapi.json").json
    host = document["components"]["schemas"]["Connection"]["properties"]["host"]
    assert sorted(host["enum"]) == hosts
    secret = create_token(user)
    program = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert program.get("/api/v1/openapi.json", headers=headers).json == document


# A model file that is anyone's ------------------------------------------------


def forged(source, target, change=None, members=None):
    """A copy of a model file whose description ``change`` alters (and
    ``members`` are added to its archive), with the hash a forger writes."""
    data = source.read_bytes()
    start = len(MAGIC) + data[len(MAGIC) :].index(b"\n") + 1
    header = json.loads(data[len(MAGIC) : start])
    stream = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(data[start:])) as old,
          zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as new):  # fmt: skip
        for name in old.namelist():
            content = old.read(name)
            if name == "detector.json" and change is not None:
                fields = json.loads(content)
                change(fields)
                content = json.dumps(fields).encode()
            new.writestr(name, content)
        for name, content in (members or {}).items():
            new.writestr(name, content)
    payload = stream.getvalue()
    header["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    target.write_bytes(MAGIC + json.dumps(header).encode() + b"\n" + payload)
    return target


def _set(*path_and_value):
    *path, key, value = path_and_value

    def change(fields):
        for step in path:
            fields = fields[step]
        fields[key] = value

    return change


#: Descriptions that are not what ``train`` writes, and what the refusal
#: names. Before, each was a 500 on a page that read it (the public home and
#: model pages among them) or a traceback when the site started, but the
#: matrix of the wrong size, which the model page left out.
FORGED = {
    "a feature's name that is no text": (
        _set("features", 0, "name", 7), "features/0/name"),
    "a number's range missing": (
        _set("features", 0, "minimum", None), "features/0/minimum"),
    "a separator of two characters": (
        _set("layout", "separator", "ab"), "layout/separator"),
    "a layout without the features": (
        _set("layout", "columns", ["kind"]), "layout/columns"),
    "class names that are numbers": (
        _set("classes", [1, 2]), "classes/0"),
    "scores without a macro F1": (
        lambda fields: fields["scores"].pop("f1_macro"), "scores"),
    "a matrix of the wrong size": (
        _set("scores", "confusion", [[1]]), "scores/confusion"),
    "a summary without its quartiles": (
        lambda fields: next(iter(fields["profile"].values()))["classes"].clear()
        or next(iter(fields["profile"].values())).pop("classes"), "profile/"),
    "a comparison entry without its figures": (
        _set("entry", {"entries": 3}), "entry"),
    "an example row without every feature": (
        _set("examples", "noisy", [{}]), "examples/noisy"),
    "a class named with a NUL character": (
        _set("classes", 0, "noi\x00sy"), "'classes/0': holds a NUL character"),
    "a category given twice": (
        _set("features", 1, "categories", ["soft", "soft"]), "features/1/categories"),
}  # fmt: skip


@pytest.mark.parametrize("forgery", FORGED, ids=lambda name: name.replace(" ", "-"))
def test_a_forged_description_is_refused_naming_the_field(
    clashing_file, tmp_path, forgery
):
    """A model file travels, and a forger can rewrite its description and
    its hash (the hash finds damage only). Before, such files were served,
    and the pages that read the forged field were 500s; now the file is
    refused when it is loaded, naming the field."""
    change, where = FORGED[forgery]
    path = forged(clashing_file, tmp_path / "forged.model", change)
    with pytest.raises(DetectorFileError, match="not one this version writes") as found:
        load_detector(path)
    assert where in str(found.value)


def test_a_forged_archive_is_refused_before_it_is_read(
    clashing_file, tmp_path, monkeypatch
):
    """A member this version does not write, a description that inflates
    past the limit (a few kilobytes in the file, gigabytes read), a
    pipeline that predicts classes the description does not list."""
    path = forged(clashing_file, tmp_path / "a.model", members={"x.py": b"1"})
    with pytest.raises(DetectorFileError, match="files this version does not"):
        load_detector(path)
    monkeypatch.setattr(model_file, "MAX_DESCRIPTION_BYTES", 1000)
    path = forged(clashing_file, tmp_path / "b.model",
                  _set("command", " " * 2000))  # fmt: skip
    with pytest.raises(DetectorFileError, match=r"detector\.json inflates to"):
        load_detector(path)
    monkeypatch.undo()
    path = forged(clashing_file, tmp_path / "c.model",
                  _set("classes", ["quiet", "loud"]))  # fmt: skip
    with pytest.raises(DetectorFileError, match="predicts classes it does not list"):
        load_detector(path)
    assert load_detector(forged(clashing_file, tmp_path / "d.model")).classes


def test_a_line_of_a_wide_table_is_pasted_and_a_broken_one_named(tmp_path, config):
    """A line of a table of 1,500 columns is longer than 16 KiB: before, it
    was refused as "paste one line of a file, not several" (the length
    limit's message), and a line with an unclosed quote as the wrong count
    of values. The limit is ``predict``'s (1 MiB) and each says what it is."""
    rng = np.random.default_rng(5)
    kind = np.repeat(["quiet", "noisy"], 30)
    frame = pd.DataFrame(rng.random((60, 1500)).round(9) + (kind == "noisy")[:, None],
                         columns=[f"pixel{i}" for i in range(1500)])  # fmt: skip
    frame["kind"] = kind
    detector = train(tmp_path, frame, "kind")
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    signup(client)
    line = (tmp_path / "table.csv").read_text().splitlines()[-1]
    assert len(line) > 16384
    token = csrf_token(client.get("/predict"))
    response = client.post("/predict", data={"csrf_token": token, "line": line})
    assert predicted(client, response) == "noisy"

    def line_error(text: str) -> str:
        response = client.post("/predict", data={"csrf_token": token, "line": text})
        assert response.status_code == 400
        error = re.search(r'</textarea>\s*<span class="error" role="alert">([^<]+)<',
                          response.text)  # fmt: skip
        return html.unescape(error.group(1))

    assert line_error('"' + line) == "not a CSV line (unexpected end of data)"
    assert line_error("1," * 600_000).endswith("; a line has at most 1,048,576")
    assert stored_predictions(app) == 1


def test_train_writes_no_file_the_site_would_refuse(tmp_path, capsys):
    """A Parquet table may hold a NUL character in a class or a category
    (CSV readers stop at one); the site's database may be PostgreSQL, whose
    text refuses it: each prediction of the class was a 500 there. ``train``
    refuses to write the file, naming where the character is."""
    kind = np.repeat(["p\x00q", "r"], 50)
    frame = pd.DataFrame({"bytes": np.where(kind == "r", 9, 0), "kind": kind})
    table = tmp_path / "table.parquet"
    frame.to_parquet(table)
    out = tmp_path / "table.model"
    with pytest.raises(SystemExit) as stopped:
        main(["train", str(table), "--label", "kind", "--method", "none",
              "--out", str(out), "--quiet"])  # fmt: skip
    assert stopped.value.code == 2 and not out.exists()
    error = capsys.readouterr().err.splitlines()[-1]
    assert "holds a NUL character" in error and "classes/0" in error


class Scanned(list):
    """A list of categories that counts the times it is searched."""

    searches = 0

    def __contains__(self, item):
        Scanned.searches += 1
        return super().__contains__(item)

    def index(self, *arguments):
        Scanned.searches += 1
        return super().index(*arguments)


def test_a_value_is_looked_up_not_compared_with_every_category(
    config, clashing, monkeypatch
):
    """A table's column of host names has thousands of categories; each
    value the bulk check could not take (an unknown one, a number) was
    compared with every category: with 13,000 of them, a 10,000-row API
    request of unknown values took 2.4 s of a worker (0.08 s now). A value
    is looked up in a mapping made once."""
    detector = copy.deepcopy(clashing)
    feature = next(f for f in detector.features if f.kind == "categorical")
    feature.categories = Scanned([*feature.categories,
                                  *(f"host{i}" for i in range(13_000))])  # fmt: skip
    app = make_app(config, DETECTOR=detector)
    client = app.test_client()
    signup(client)
    secret = create_token(client)
    Scanned.searches = 0
    row = detector.examples["noisy"][0]
    rows = [row | {feature.name: "unknown"}, row | {feature.name: 7}] * 5_000
    response = predict(client, {"connections": rows}, secret)
    assert response.status_code == 400
    assert response.json["errors"][0]["message"].startswith("unknown category")
    assert predict(client, row | {feature.name: "host12999"}, secret).status_code == 200
    assert Scanned.searches == 0
