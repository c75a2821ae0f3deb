import gzip
import http.server
import shutil
import threading
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from imblearn_vae.datasets import (
    ATTACK_CATEGORIES,
    CATEGORY_NAMES,
    DATA_HOME_ENV,
    FEATURE_NAMES,
    fetch_nsl_kdd,
    get_data_home,
    make_nsl_kdd_preprocessor,
)

SMALLEST = "KDDTest-21"


def load(home, **kwargs):
    return fetch_nsl_kdd(data_home=home, download_if_missing=False, **kwargs)


@pytest.fixture(scope="module")
def train(nsl_kdd_home):
    return load(nsl_kdd_home, subset="KDDTrain+")


@pytest.fixture(scope="module")
def test(nsl_kdd_home):
    return load(nsl_kdd_home, subset="KDDTest+")


@pytest.mark.slow
def test_train_has_the_documented_shape_and_class_counts(train):
    assert train.data.shape == (125_973, 41)
    assert train.feature_names == list(FEATURE_NAMES)
    assert train.target_names == list(CATEGORY_NAMES)
    assert Counter(train.target) == {
        "normal": 67_343,
        "DoS": 45_927,
        "Probe": 11_656,
        "R2L": 995,
        "U2R": 52,
    }
    assert train.difficulty.min() >= 0 and train.difficulty.max() <= 21


def test_test_set_has_the_usual_five_class_split(test):
    assert Counter(test.target) == {
        "normal": 9_711,
        "DoS": 7_458,
        "Probe": 2_421,
        "R2L": 2_754,
        "U2R": 200,
    }


@pytest.mark.slow
def test_every_attack_of_train_and_test_is_mapped(train, test):
    names = set(train.attack) | set(test.attack)
    assert len(names - {"normal"}) == 39
    assert len(ATTACK_CATEGORIES) == 40
    assert names == set(ATTACK_CATEGORIES)


@pytest.mark.parametrize(
    ("subset", "rows"), [("KDDTrain+_20Percent", 25_192), ("KDDTest-21", 11_850)]
)
def test_other_subsets(nsl_kdd_home, subset, rows):
    X, y = load(nsl_kdd_home, subset=subset, return_X_y=True)
    assert X.shape == (rows, 41)
    assert y.shape == (rows,)


def test_binary_and_attack_targets(nsl_kdd_home):
    binary = load(nsl_kdd_home, subset=SMALLEST, target="binary")
    attack = load(nsl_kdd_home, subset=SMALLEST, target="attack")
    assert binary.target_names == ["normal", "attack"]
    np.testing.assert_array_equal(binary.target == "normal", attack.target == "normal")
    assert attack.target_names == sorted(set(attack.target))


def test_as_frame_types_columns(nsl_kdd_home):
    bunch = load(nsl_kdd_home, subset=SMALLEST, as_frame=True)
    assert isinstance(bunch.data, pd.DataFrame)
    assert list(bunch.data.columns) == list(FEATURE_NAMES)
    assert isinstance(bunch.data["service"].dtype, pd.CategoricalDtype)
    assert bunch.data["src_bytes"].dtype == np.int64
    assert bunch.data["serror_rate"].dtype == np.float64
    assert list(bunch.frame.columns) == [*FEATURE_NAMES, "target"]
    array = load(nsl_kdd_home, subset=SMALLEST)
    np.testing.assert_array_equal(bunch.target.to_numpy(), array.target)
    assert array.data.dtype == object
    assert array.frame is None


def test_plain_text_and_gzip_read_the_same(nsl_kdd_home, tmp_path):
    (tmp_path / "nsl-kdd").mkdir()
    with gzip.open(nsl_kdd_home / "nsl-kdd" / f"{SMALLEST}.txt.gz") as source:
        with open(tmp_path / "nsl-kdd" / f"{SMALLEST}.txt", "wb") as copy:
            shutil.copyfileobj(source, copy)
    plain = load(tmp_path, subset=SMALLEST)
    packed = load(nsl_kdd_home, subset=SMALLEST)
    np.testing.assert_array_equal(plain.data, packed.data)
    np.testing.assert_array_equal(plain.target, packed.target)


def test_data_home_comes_from_the_environment(nsl_kdd_home, monkeypatch):
    monkeypatch.setenv(DATA_HOME_ENV, str(nsl_kdd_home))
    assert get_data_home() == nsl_kdd_home
    X, _ = fetch_nsl_kdd(subset=SMALLEST, download_if_missing=False, return_X_y=True)
    assert X.shape[0] == 11_850


def test_default_data_home_is_in_the_user_home(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_HOME_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert get_data_home() == tmp_path / "imblearn_vae_data"


def test_missing_file_without_download_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"KDDTest-21\.txt"):
        load(tmp_path, subset=SMALLEST)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"subset": "KDDTrain"}, "subset must be one of"),
        ({"target": "labels"}, "target must be one of"),
    ],
)
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        load(tmp_path, **kwargs)


def _write_rows(home, rows):
    (home / "nsl-kdd").mkdir(exist_ok=True)
    (home / "nsl-kdd" / f"{SMALLEST}.txt").write_text("\n".join(rows) + "\n")


def _row(label="normal"):
    values = ["tcp" if n == "protocol_type" else "http" if n == "service" else "SF"
              if n == "flag" else "0" for n in FEATURE_NAMES]  # fmt: skip
    return ",".join([*values, label, "21"])


def test_unknown_attack_name_is_an_error(tmp_path):
    _write_rows(tmp_path, [_row(), _row("zeroday")])
    with pytest.raises(ValueError, match=r"\['zeroday'\] have no known category"):
        load(tmp_path, subset=SMALLEST)


def test_short_row_is_an_error(tmp_path):
    _write_rows(tmp_path, [_row(), "tcp,http,SF,normal"])
    with pytest.raises(ValueError, match="line 2: expected 43"):
        load(tmp_path, subset=SMALLEST)


# --- downloads, served from 127.0.0.1 -------------------------------------------


@pytest.fixture
def server(nsl_kdd_home):
    """An HTTP server on 127.0.0.1 serving the uncompressed shared files.

    ``server.corrupt`` flips one byte of every response; ``server.requests``
    counts them.
    """
    with gzip.open(nsl_kdd_home / "nsl-kdd" / f"{SMALLEST}.txt.gz") as stream:
        payload = stream.read()
    state = {"corrupt": False, "requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["requests"] += 1
            if self.path != f"/nsl/{SMALLEST}.txt":
                self.send_error(404)
                return
            body = bytearray(payload)
            if state["corrupt"]:
                body[1000] ^= 1
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/nsl/"
    httpd.state = state
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_download_is_checked_and_cached(server, nsl_kdd_home, tmp_path):
    bunch = fetch_nsl_kdd(subset=SMALLEST, data_home=tmp_path, base_url=server.base_url)
    assert server.state["requests"] == 1
    assert sorted(p.name for p in (tmp_path / "nsl-kdd").iterdir()) == [
        f"{SMALLEST}.txt"
    ]
    np.testing.assert_array_equal(bunch.data, load(nsl_kdd_home, subset=SMALLEST).data)
    fetch_nsl_kdd(subset=SMALLEST, data_home=tmp_path, base_url=server.base_url)
    assert server.state["requests"] == 1


def test_corrupted_download_leaves_nothing_behind(server, tmp_path):
    server.state["corrupt"] = True
    with pytest.raises(OSError, match="SHA-256"):
        fetch_nsl_kdd(subset=SMALLEST, data_home=tmp_path, base_url=server.base_url)
    assert list((tmp_path / "nsl-kdd").iterdir()) == []


def test_failed_download_leaves_nothing_behind(server, tmp_path):
    with pytest.raises(OSError, match="404"):
        fetch_nsl_kdd(
            subset=SMALLEST, data_home=tmp_path, base_url=server.base_url + "x/"
        )
    assert list((tmp_path / "nsl-kdd").iterdir()) == []


# --- preprocessing --------------------------------------------------------------


@pytest.mark.slow
def test_preprocessor_gives_122_columns_and_ignores_unseen_services(train, test):
    preprocessor = make_nsl_kdd_preprocessor().fit(train.data)
    X_train = preprocessor.transform(train.data)
    X_test = preprocessor.transform(test.data)
    assert X_train.shape == (125_973, 122)
    assert X_test.shape == (22_544, 122)
    assert np.isfinite(X_test).all()
    assert X_train.min() == 0 and X_train.max() == 1
    one_hot_blocks = slice(0, 84)
    np.testing.assert_array_equal(X_test[:, one_hot_blocks].sum(axis=1), 3)
    # a service never seen in training gives an all-zero block, not an error
    unseen = test.data[:5].copy()
    unseen[:, FEATURE_NAMES.index("service")] = "no_such_service"
    np.testing.assert_array_equal(
        preprocessor.transform(unseen)[:, one_hot_blocks].sum(axis=1), 2
    )


def test_preprocessor_takes_frames_and_arrays_alike(nsl_kdd_home):
    frame = load(nsl_kdd_home, subset=SMALLEST, as_frame=True).data
    array = load(nsl_kdd_home, subset=SMALLEST).data
    np.testing.assert_array_equal(
        make_nsl_kdd_preprocessor("standard").fit_transform(frame),
        make_nsl_kdd_preprocessor("standard").fit_transform(array),
    )


def test_preprocessor_rejects_unknown_scaler():
    with pytest.raises(ValueError, match="scaler must be one of"):
        make_nsl_kdd_preprocessor("robust")


def test_no_network_names_the_missing_file_and_the_way_on(tmp_path):
    # Port 1 on the loopback refuses the connection, as a machine offline does.
    with pytest.raises(OSError) as error:
        fetch_nsl_kdd(
            subset=SMALLEST, data_home=tmp_path, base_url="http://127.0.0.1:1/"
        )
    message = str(error.value)
    assert f"{SMALLEST}.txt is not in {tmp_path / 'nsl-kdd'}" in message
    assert "IMBLEARN_VAE_DATA" in message and f"Put {SMALLEST}.txt" in message
