"""The detector's model file: what it holds, and the files it refuses."""

import pickle

import pytest

from imblearn_vae import __version__
from imblearn_vae.detector import (
    MAGIC,
    DetectorFileError,
    load_detector,
    read_header,
    save_detector,
)


def test_the_file_holds_the_pipeline_schema_classes_and_provenance(detector_file):
    detector = load_detector(detector_file)
    header = read_header(detector_file)
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


def test_missing_corrupt_foreign_and_other_version_files_are_refused(
    detector, tmp_path
):
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
    old = good.replace(f'"version": "{__version__}"'.encode(), b'"version": "0.0.1"')
    (tmp_path / "old.model").write_bytes(old)
    with pytest.raises(DetectorFileError, match=r"made by imblearn-vae 0\.0\.1"):
        load_detector(tmp_path / "old.model")
    # a header that is right over a pickle of something else
    start = good.index(b"\n", len(MAGIC)) + 1
    (tmp_path / "other.model").write_bytes(good[:start] + pickle.dumps({"a": 1}))
    with pytest.raises(DetectorFileError, match="does not hold a detector"):
        load_detector(tmp_path / "other.model")


def test_the_app_refuses_to_start_on_a_bad_model(config, tmp_path):
    from imblearn_vae.web import create_app

    with pytest.raises(DetectorFileError, match="No detector file"):
        create_app({**config, "MODEL": str(tmp_path / "absent.model")})
