"""Fixtures of the web application's tests: a small detector made in a moment,
a fresh app and database per test (made by the migrations, as `imblearn-vae
db upgrade` makes it), and helpers that go through the forms as a browser
does (CSRF token included).

Only the end-to-end tests use a model trained on NSL-KDD (``nsl_detector``).
"""

import re
import shutil

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("flask", reason="the web extra is not installed")

from imblearn.pipeline import Pipeline
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder
from sklearn.tree import DecisionTreeClassifier

from imblearn_vae import __version__
from imblearn_vae.detector import Detector, feature_schema, save_detector
from imblearn_vae.web import create_app
from imblearn_vae.web.database import upgrade_database
from imblearn_vae.web.models import Prediction, db

PASSWORD = "correct horse battery"

CLASSES = ["normal", "DoS", "Probe", "R2L", "U2R"]
CATEGORIES = {
    "protocol_type": ["icmp", "tcp", "udp"],
    "service": ["ftp", "http", "private", "smtp"],
    "flag": ["REJ", "S0", "SF"],
}
INTEGERS = ["duration", "src_bytes", "dst_bytes", "count", "num_root"]
RATES = ["serror_rate"]


def small_table(rows_per_class: int = 40, seed: int = 0):
    """A table with some of NSL-KDD's columns, each class its own values."""
    rng = np.random.default_rng(seed)
    parts = []
    for k, label in enumerate(CLASSES):
        n = rows_per_class
        part = {
            name: pd.Categorical(
                rng.choice(values[: 1 + (k % len(values))], n), categories=values
            )
            for name, values in CATEGORIES.items()
        }
        for j, name in enumerate(INTEGERS):
            part[name] = rng.integers(0, 10 ** (2 + (k + j) % 5), n).astype(np.int64)
        part["serror_rate"] = rng.uniform(0.2 * k / 5, 0.2 * (k + 1) / 5 + 0.1, n)
        frame = pd.DataFrame(part)
        frame["label"] = label
        parts.append(frame)
    table = pd.concat(parts, ignore_index=True)
    return table.drop(columns="label"), table["label"].to_numpy()


def small_detector(classifier=None) -> Detector:
    """A decision tree (or ``classifier``) on :func:`small_table`: milliseconds."""
    X, y = small_table()
    preprocess = ColumnTransformer(
        [
            ("categories", OneHotEncoder(handle_unknown="ignore",
                                         sparse_output=False), list(CATEGORIES)),
            ("numbers", MinMaxScaler(), INTEGERS + RATES),
        ]
    )  # fmt: skip
    model = DecisionTreeClassifier(random_state=0) if classifier is None else classifier
    pipeline = Pipeline([("preprocess", preprocess), ("classify", model)])
    pipeline.fit(X, y)
    examples = {
        label: [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for _, row in X[y == label].head(5).iterrows()
        ]
        for label in CLASSES
    }
    return Detector(
        pipeline=pipeline,
        features=feature_schema(X),
        classes=CLASSES,
        target="category",
        version=__version__,
        command="tests (small detector)",
        scores={"accuracy": 1.0, "f1_weighted": 1.0, "f1_macro": 1.0,
                "recall": dict.fromkeys(CLASSES, 1.0), "test_rows": len(y)},
        examples=examples,
        created="2026-01-01T00:00:00+00:00",
        settings={"sampler": "none", "classifier": "dt"},
    )  # fmt: skip


@pytest.fixture(scope="session")
def detector():
    return small_detector()


@pytest.fixture(scope="session")
def detector_file(detector, tmp_path_factory):
    return save_detector(detector, tmp_path_factory.mktemp("model") / "small.model")


@pytest.fixture(scope="session")
def nsl_detector(nsl_kdd_home):
    """A decision tree on KDDTrain+_20Percent, no balancing: seconds to train."""
    from imblearn_vae.detector import train_detector

    return train_detector(
        sampler="none", subset="KDDTrain+_20Percent", data_home=nsl_kdd_home,
        command="tests",
    )  # fmt: skip


@pytest.fixture(scope="session")
def nsl_detector_file(nsl_detector, tmp_path_factory):
    return save_detector(nsl_detector, tmp_path_factory.mktemp("nsl") / "nsl.model")


@pytest.fixture
def config(detector, migrated_database, tmp_path):
    return {
        "MIGRATED_DATABASE": migrated_database,
        "SECRET_KEY": "test-" + "k" * 40,
        "DATA_DIR": str(tmp_path),
        "DETECTOR": detector,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "TESTING": True,
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """An SQLite file made by the migrations once; each test gets a copy
    (upgrading a fresh file per test costs half a second)."""
    folder = tmp_path_factory.mktemp("database")
    path = folder / "migrated.sqlite3"
    app = create_app(
        {"SECRET_KEY": "x" * 40, "DATABASE_URL": f"sqlite:///{path}"},
        with_model=False,
    )
    upgrade_database(app)
    with app.app_context():
        # closing the connections writes the log (WAL) into the file
        db.engine.dispose()
    return path


def make_app(config, **overrides):
    """The app on a fresh copy of the migrated database."""
    config = {**config, **overrides}
    template = config.pop("MIGRATED_DATABASE")
    shutil.copy(template, config["DATABASE_URL"].removeprefix("sqlite:///"))
    return create_app(config)


@pytest.fixture
def app(config):
    return make_app(config)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text)
    assert match, "no CSRF token in the page"
    return match.group(1)


def signup(client, username="alice", password=PASSWORD):
    token = csrf_token(client.get("/signup"))
    return client.post(
        "/signup",
        data={"csrf_token": token, "username": username, "password": password,
              "confirm": password},
    )  # fmt: skip


def login(client, username="alice", password=PASSWORD, url="/login", **kwargs):
    token = csrf_token(client.get("/login"))
    return client.post(
        url,
        data={"csrf_token": token, "username": username, "password": password},
        **kwargs,
    )


def logout(client):
    token = csrf_token(client.get("/predict"))
    return client.post("/logout", data={"csrf_token": token})


def example_row(detector, label="DoS") -> dict:
    """A connection of the class from the model's examples, as form text."""
    return {name: str(value) for name, value in detector.examples[label][0].items()}


def form_fields(row: dict) -> dict:
    """A row as the prediction form posts it: each feature's field named
    with the form's prefix."""
    from imblearn_vae.web.pages import field_name

    return {field_name(name): value for name, value in row.items()}


def post_form(client, row: dict):
    token = csrf_token(client.get("/predict"))
    return client.post("/predict", data={"csrf_token": token, **form_fields(row)})


def stored_predictions(app) -> int:
    with app.app_context():
        return db.session.query(Prediction).count()
