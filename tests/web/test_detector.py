"""The detector's model file: what it holds, and the files it refuses - none
of which runs code when it is read (issue 22, observation 13)."""

import hashlib
import io
import json
import pickle
import zipfile

import numpy as np
import pytest

from imblearn_vae import __version__
from imblearn_vae.detector import (
    MAGIC,
    DetectorFileError,
    load_detector,
    read_header,
    save_detector,
)

from .conftest import small_detector


def test_the_file_holds_the_pipeline_schema_classes_and_provenance(
    nsl_detector_file,
):
    """End to end with the real model: trained on NSL-KDD, saved, read back."""
    detector = load_detector(nsl_detector_file)
    header = read_header(nsl_detector_file)
    assert header["version"] == detector.version == __version__
    assert detector.classes == ["normal", "DoS", "Probe", "R2L", "U2R"]
    assert header["command"] == "tests"
    assert 0.6 < detector.scores["accuracy"] < 1
    assert set(detector.scores["recall"]) == set(detector.classes)
    assert len(detector.features) == 41
    kinds = {f.name: f for f in detector.features}
    assert kinds["protocol_type"].categories == ["icmp", "tcp", "udp"]
    assert kinds["serror_rate"].upper_bound == 1 and kinds["duration"].kind == "integer"
    frame, errors = detector.check_rows(detector.examples["normal"])
    assert not errors and len(detector.predict(frame)[0]) == len(frame)


def test_a_detector_reads_back_predicting_the_same(detector, tmp_path):
    path = save_detector(detector, tmp_path / "d.model")
    again = load_detector(path)
    rows = [row for label in detector.classes for row in detector.examples[label]]
    frame, _ = detector.check_rows(rows)
    assert again.predict(frame) == detector.predict(frame)
    assert again.features == detector.features and again.examples == detector.examples
    with zipfile.ZipFile(io.BytesIO(_payload(path.read_bytes()))) as archive:
        assert sorted(archive.namelist()) == ["detector.json", "pipeline.skops"]


def test_a_forest_detector_reads_back(tmp_path):
    """The default model's kind (extra trees), and a random forest."""
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier

    for model in (ExtraTreesClassifier(n_estimators=3, random_state=0),
                  RandomForestClassifier(n_estimators=3, random_state=0)):  # fmt: skip
        detector = small_detector(model)
        again = load_detector(save_detector(detector, tmp_path / "forest.model"))
        rows = [row for label in detector.classes for row in detector.examples[label]]
        frame, _ = detector.check_rows(rows)
        assert again.predict(frame) == detector.predict(frame)


def test_a_cnn_detector_keeps_its_weights_as_tensors(tmp_path):
    torch = pytest.importorskip("torch")
    from imblearn_vae.classifiers import CNNClassifier

    detector = small_detector(CNNClassifier(epochs=1, filters=4, dense_width=8))
    path = save_detector(detector, tmp_path / "cnn.model")
    with zipfile.ZipFile(io.BytesIO(_payload(path.read_bytes()))) as archive:
        weights = archive.read("network.pt")
    # tensors only: what torch's safe loader accepts
    state = torch.load(io.BytesIO(weights), weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in state.values())
    again = load_detector(path)
    rows = [detector.examples[label][0] for label in detector.classes]
    frame, _ = detector.check_rows(rows)
    expected = detector.pipeline.predict_proba(frame)
    np.testing.assert_allclose(again.pipeline.predict_proba(frame), expected, rtol=1e-6)


@pytest.mark.parametrize("network", [False, True], ids=["tree", "cnn"])
def test_the_file_names_no_class_of_the_detector_package(network, tmp_path):
    """Detector and Feature are rebuilt from plain JSON, never by import path,
    so files saved when they lived in ``imblearn_vae/detector.py`` load now
    that it is a package (issue 25)."""
    import skops.io

    from imblearn_vae.classifiers import CNNClassifier

    classifier = CNNClassifier(epochs=1, filters=4, dense_width=8) if network else None
    path = save_detector(small_detector(classifier), tmp_path / "d.model")
    with zipfile.ZipFile(io.BytesIO(_payload(path.read_bytes()))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    types = skops.io.get_untrusted_types(data=members.pop("pipeline.skops"))
    assert not [t for t in types if t.startswith("imblearn_vae.detector")]
    members.pop("network.pt", None)  # tensors only
    for name, content in members.items():
        assert b"imblearn_vae.detector" not in content, name


def _payload(data: bytes) -> bytes:
    return data[data.index(b"\n", len(MAGIC)) + 1 :]


def _rewrite(path, data: bytes, payload: bytes, **header_changes) -> None:
    """A file with another payload and a header whose hash matches it."""
    start = data.index(b"\n", len(MAGIC)) + 1
    header = json.loads(data[len(MAGIC) : start])
    header.update(payload_sha256=hashlib.sha256(payload).hexdigest(), **header_changes)
    path.write_bytes(MAGIC + json.dumps(header).encode() + b"\n" + payload)


def _with_member(payload: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(payload))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for member in source.namelist():
            if member != name:
                archive.writestr(member, source.read(member))
        archive.writestr(name, content)
    return stream.getvalue()


class RunsCode:
    """Unpickling this creates a file: the proof that a load ran code."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_an_old_pickle_file_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "ran"
    header = {"version": __version__, "classes": ["a"], "scores": {}}
    path = tmp_path / "old.model"
    path.write_bytes(
        MAGIC + json.dumps(header).encode() + b"\n" + pickle.dumps(RunsCode(marker))
    )
    with pytest.raises(DetectorFileError, match=r"old format .*Train it again"):
        load_detector(path)
    assert not marker.exists()


def test_flipped_bytes_are_caught_by_the_hash(detector, tmp_path):
    data = bytearray(save_detector(detector, tmp_path / "good.model").read_bytes())
    start = data.index(b"\n", len(MAGIC)) + 1
    rng = np.random.default_rng(0)
    for offset in rng.choice(len(data) - start, size=400, replace=False):
        data[start + offset] ^= 0xFF
    (tmp_path / "flipped.model").write_bytes(bytes(data))
    with pytest.raises(DetectorFileError, match="does not match the hash"):
        load_detector(tmp_path / "flipped.model")
    # one byte is enough
    data = bytearray((tmp_path / "good.model").read_bytes())
    data[-100] ^= 1
    (tmp_path / "one.model").write_bytes(bytes(data))
    with pytest.raises(DetectorFileError, match="does not match the hash"):
        load_detector(tmp_path / "one.model")


def test_a_pipeline_with_untrusted_types_is_refused_without_running_it(
    detector, tmp_path
):
    import skops.io
    from sklearn.preprocessing import FunctionTransformer

    marker = tmp_path / "ran"
    hostile = FunctionTransformer(func=open, kw_args={"file": str(marker)})
    data = save_detector(detector, tmp_path / "good.model").read_bytes()
    payload = _with_member(_payload(data), "pipeline.skops", skops.io.dumps(hostile))
    _rewrite(tmp_path / "hostile.model", data, payload)
    with pytest.raises(DetectorFileError, match="types this version does not load"):
        load_detector(tmp_path / "hostile.model")
    assert not marker.exists()


def test_a_network_naming_an_untrusted_callable_is_refused(tmp_path):
    pytest.importorskip("torch")
    from imblearn_vae.classifiers import CNNClassifier

    detector = small_detector(CNNClassifier(epochs=1, filters=4, dense_width=8))
    data = save_detector(detector, tmp_path / "cnn.model").read_bytes()
    payload = _payload(data)
    settings = json.loads(zipfile.ZipFile(io.BytesIO(payload)).read("network.json"))
    settings["module"] = {"callable": "os.system"}
    payload = _with_member(payload, "network.json", json.dumps(settings).encode())
    _rewrite(tmp_path / "hostile.model", data, payload)
    with pytest.raises(DetectorFileError, match=r"'os\.system', which is not trusted"):
        load_detector(tmp_path / "hostile.model")


def test_missing_foreign_and_other_version_files_are_refused(detector, tmp_path):
    with pytest.raises(DetectorFileError, match="No detector file"):
        load_detector(tmp_path / "absent.model")
    (tmp_path / "text.model").write_text("hello\n")
    with pytest.raises(DetectorFileError, match="not an imblearn-vae detector file"):
        load_detector(tmp_path / "text.model")
    good = save_detector(detector, tmp_path / "good.model").read_bytes()
    (tmp_path / "cut.model").write_bytes(good[: len(good) // 2])
    with pytest.raises(DetectorFileError, match="damaged"):
        load_detector(tmp_path / "cut.model")
    (tmp_path / "header.model").write_bytes(MAGIC + b"{not json\n")
    with pytest.raises(DetectorFileError, match="header is unreadable"):
        load_detector(tmp_path / "header.model")
    _rewrite(tmp_path / "old.model", good, _payload(good), version="0.0.1")
    with pytest.raises(DetectorFileError, match=r"made by imblearn-vae 0\.0\.1"):
        load_detector(tmp_path / "old.model")
    # a right hash over something that is not an archive
    _rewrite(tmp_path / "junk.model", good, b"not a zip file")
    with pytest.raises(DetectorFileError, match="damaged and cannot be read"):
        load_detector(tmp_path / "junk.model")


def test_the_app_refuses_to_start_on_a_bad_model(config, tmp_path):
    from imblearn_vae.web import create_app

    absent = {**config, "DETECTOR": None, "MODEL": str(tmp_path / "absent.model")}
    with pytest.raises(DetectorFileError, match="No detector file"):
        create_app(absent)


def test_the_held_out_half_is_the_benchmarks(monkeypatch):
    """The model page's held-out half is the one ``benchmarks/nsl_kdd.py``
    and ``benchmarks/default_detector.py`` never chose on."""
    import importlib

    from imblearn_vae.detector import kddtest_halves
    from tests.conftest import REPO_ROOT

    monkeypatch.syspath_prepend(str(REPO_ROOT / "benchmarks"))
    nsl_kdd = importlib.import_module("nsl_kdd")
    y = np.random.default_rng(0).choice(["normal", "DoS", "Probe", "R2L"], 1000)
    validation, held_out = kddtest_halves(y)
    halves = nsl_kdd.test_halves(y)
    assert np.array_equal(validation, halves["validation"])
    assert np.array_equal(held_out, halves["held-out"])


def test_feature_kinds_follow_the_package_rule_for_categories():
    import pandas as pd

    from imblearn_vae._columns import inferred_categorical
    from imblearn_vae.detector import feature_schema

    X = pd.DataFrame(
        {
            "flag": pd.Categorical(["SF", "S0", "SF"]),
            "protocol": ["tcp", "udp", "tcp"],
            "urgent": [True, False, True],
            "count": [1, 2, 3],
            "rate": [0.0, 0.5, 1.0],
        }
    )
    kinds = {f.name: f.kind for f in feature_schema(X)}
    assert kinds == {"flag": "categorical", "protocol": "categorical",
                     "urgent": "categorical", "count": "integer",
                     "rate": "number"}  # fmt: skip
    assert [n for n, k in kinds.items() if k == "categorical"] == (
        inferred_categorical(X)
    )


def test_a_file_made_before_detectors_for_any_table_loads_and_is_served(
    detector, config, tmp_path
):
    """A model file of this version made before it kept the table's layout,
    class counts, summaries and balancing (its detector.json without them)
    loads; the pages say what it does not keep, and take a line as before."""
    from .conftest import csrf_token, make_app, signup

    data = save_detector(detector, tmp_path / "new.model").read_bytes()
    payload = _payload(data)
    fields = json.loads(zipfile.ZipFile(io.BytesIO(payload)).read("detector.json"))
    newer = ["source", "layout", "counts", "profile", "balancing", "entry"]
    older = {k: v for k, v in fields.items() if k not in newer}
    payload = _with_member(payload, "detector.json", json.dumps(older).encode())
    _rewrite(tmp_path / "older.model", data, payload)
    loaded = load_detector(tmp_path / "older.model")
    assert all(getattr(loaded, name) == {} for name in newer)
    assert loaded.is_nsl_kdd and loaded.ignored_columns == []
    app = make_app(config, DETECTOR=loaded)
    client = app.test_client()
    signup(client)
    assert "keeps no summary of its training table" in client.get("/data").text
    assert client.get("/model").status_code == 200
    row = {k: str(v) for k, v in detector.examples["DoS"][0].items()}
    line = ",".join(row[n] for n in detector.feature_names) + ",neptune,21"
    response = client.post("/predict", data={"csrf_token": csrf_token(
        client.get("/predict")), "line": line})  # fmt: skip
    assert response.status_code == 302


def test_a_file_with_fields_this_version_does_not_know_is_refused(detector, tmp_path):
    data = save_detector(detector, tmp_path / "d.model").read_bytes()
    payload = _payload(data)
    fields = json.loads(zipfile.ZipFile(io.BytesIO(payload)).read("detector.json"))
    fields["from_the_future"] = 1
    payload = _with_member(payload, "detector.json", json.dumps(fields).encode())
    _rewrite(tmp_path / "future.model", data, payload)
    with pytest.raises(DetectorFileError, match="damaged and cannot be read"):
        load_detector(tmp_path / "future.model")
