"""Fixtures of the web application's tests: a small real model, a fresh app
and database per test, and helpers that go through the forms as a browser does
(CSRF token included)."""

import re

import pytest

pytest.importorskip("flask", reason="the web extra is not installed")

from imblearn_vae.detector import save_detector, train_detector
from imblearn_vae.web import create_app
from imblearn_vae.web.models import Prediction, db

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def detector(nsl_kdd_home):
    """A decision tree on KDDTrain+_20Percent, no balancing: seconds to train."""
    return train_detector(
        sampler="none", subset="KDDTrain+_20Percent", data_home=nsl_kdd_home,
        command="tests",
    )  # fmt: skip


@pytest.fixture(scope="session")
def detector_file(detector, tmp_path_factory):
    return save_detector(detector, tmp_path_factory.mktemp("model") / "test.model")


@pytest.fixture
def config(detector_file, tmp_path):
    return {
        "SECRET_KEY": "test-" + "k" * 40,
        "DATA_DIR": str(tmp_path),
        "MODEL": str(detector_file),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "TESTING": True,
    }


@pytest.fixture
def app(config):
    return create_app(config)


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


def login(client, username="alice", password=PASSWORD):
    token = csrf_token(client.get("/login"))
    return client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": password},
    )


def logout(client):
    token = csrf_token(client.get("/predict"))
    return client.post("/logout", data={"csrf_token": token})


def example_row(detector, label="DoS") -> dict:
    """A real KDDTest+ connection of the class, as the form's text values."""
    return {name: str(value) for name, value in detector.examples[label][0].items()}


def post_form(client, row: dict):
    token = csrf_token(client.get("/predict"))
    return client.post("/predict", data={"csrf_token": token, **row})


def stored_predictions(app) -> int:
    with app.app_context():
        return db.session.query(Prediction).count()
