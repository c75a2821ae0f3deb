"""``imblearn-vae predict``: scores as the detector gives them, rejects with
their line and reason, partial lines held, followed files through rotations."""

import csv
import io
import os
import signal
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imblearn_vae.cli import main
from imblearn_vae.detector import (
    Feature,
    check_columns,
    check_value,
    save_detector,
    train_detector,
)
from imblearn_vae.detector.rows import select_rows, to_frame
from imblearn_vae.predict import InputError, score_input
from imblearn_vae.predict._csv import CsvReader
from imblearn_vae.predict._lines import LineSplitter
from imblearn_vae.predict._output import ScoreWriter, _distinct_rows
from tests.conftest import REPO_ROOT

pytest.importorskip("skops", reason="model files need the web extra")


@pytest.fixture(scope="session")
def detector(nsl_kdd_home):
    """A decision tree on KDDTrain+_20Percent, no balancing: seconds to train."""
    return train_detector(
        sampler="none", subset="KDDTrain+_20Percent", data_home=nsl_kdd_home,
        command="tests",
    )  # fmt: skip


@pytest.fixture(scope="session")
def model(detector, tmp_path_factory):
    return save_detector(detector, tmp_path_factory.mktemp("model") / "test.model")


@pytest.fixture(scope="session")
def rows(detector, nsl_kdd_home):
    """60 KDDTest+ connections as text, of categories the model knows."""
    from imblearn_vae.datasets import fetch_nsl_kdd

    test = fetch_nsl_kdd(subset="KDDTest+", data_home=nsl_kdd_home, as_frame=True)
    known = np.ones(len(test.data), dtype=bool)
    for feature in detector.features:
        if feature.kind == "categorical":
            known &= test.data[feature.name].astype(str).isin(feature.categories)
    text = test.data[known].head(60).to_csv(index=False, lineterminator="\n")
    return text.splitlines()


def check_frame(features, rows):
    """What ``predict`` does with a batch: the valid rows as a frame, which
    rows are valid, and the problems."""
    values = {f.name: rows.frame[f.name] for f in features}
    columns, ok, problems = check_columns(
        features, values, cell=rows.cell, doubtful=rows.doubtful
    )
    return to_frame(features, select_rows(columns, ok)), ok, problems


def schema_only(features):
    """A detector's input side alone: its features, no other columns."""
    return SimpleNamespace(features=features, ignored_columns=[], layout={})


def read_csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def expected_scores(detector, lines: list[str]) -> tuple[list[str], list[dict]]:
    """What the detector's own checks and predict give for header + lines."""
    records = read_csv_rows("\n".join(lines))
    frame, errors = detector.check_rows(records)
    assert not errors
    return detector.predict(frame)


def score_text(detector, text: str, tmp_path, **options):
    """Scores and rejects of a CSV text, through score_input."""
    path = tmp_path / "in.csv"
    path.write_text(text)
    out, rejects = io.BytesIO(), io.StringIO()
    counts = score_input(detector, path, out, rejects, **options)
    return (
        read_csv_rows(out.getvalue().decode()),
        read_csv_rows(rejects.getvalue()),
        counts,
    )


def test_scores_each_row_as_the_detector_does(detector, model, rows, tmp_path, capsys):
    path = tmp_path / "connections.csv"
    path.write_text("\n".join(rows) + "\n")
    assert main(["predict", str(model), str(path)]) == 0
    captured = capsys.readouterr()
    scored = read_csv_rows(captured.out)
    labels, probabilities = expected_scores(detector, rows)
    assert [int(r["line"]) for r in scored] == list(range(2, len(rows) + 1))
    assert [r["label"] for r in scored] == labels
    for row, expected in zip(scored, probabilities, strict=True):
        got = {c: float(row[f"p_{c}"]) for c in detector.classes}
        assert got == pytest.approx(expected, rel=1e-5, abs=1e-6)
    # Nothing rejected: standard error holds the summary only.
    assert (
        captured.err
        == f"imblearn-vae predict: scored {len(rows) - 1} rows, rejected 0\n"
    )


BAD_CELLS = [
    ("src_bytes", "-5", "must not be negative"),
    ("service", "no_such_service", "unknown category 'no_such_service'"),
    ("dst_bytes", "12kB", "not a number ('12kB')"),
    ("duration", "", "missing"),
    ("count", "2.5", "must be a whole number (got 2.5)"),
    ("serror_rate", "1.5", "must be at most 1"),
    ("srv_count", "inf", "not a finite number"),
    # read by Python's int() but by no CSV reader: the site refuses it too
    ("dst_host_count", "1_000", "not a number ('1_000'): write it with the digits"),
]


def test_bad_rows_are_rejected_with_line_and_reason_and_the_rest_scored(
    detector, rows, tmp_path
):
    header = rows[0].split(",")
    lines = [rows[0]]
    bad_lines = {}
    for i, (field, value, _) in enumerate(BAD_CELLS):
        cells = rows[1 + i].split(",")
        cells[header.index(field)] = value
        lines += [rows[20 + i], ",".join(cells)]
        bad_lines[len(lines)] = field
    lines += ["1,2,3", "", rows[40]]
    scored, rejects, counts = score_text(detector, "\n".join(lines) + "\n", tmp_path)

    expected = {line: (field, reason) for line, (field, _, reason) in
                zip(bad_lines, BAD_CELLS, strict=True)}  # fmt: skip
    got = {int(r["line"]): (r["field"], r["reason"]) for r in rejects}
    assert set(got) == {*expected, len(lines) - 2}
    for line, (field, reason) in expected.items():
        assert got[line][0] == field and got[line][1].startswith(reason)
        assert (
            rejects[[int(r["line"]) for r in rejects].index(line)]["text"]
            == (lines[line - 1])
        )
    assert got[len(lines) - 2] == ("", "3 fields; the header has 41 fields")
    good = [n for n in range(2, len(lines) + 1) if n not in got and lines[n - 1]]
    assert [int(r["line"]) for r in scored] == good
    labels, _ = expected_scores(detector, [rows[0]] + [lines[n - 1] for n in good])
    assert [r["label"] for r in scored] == labels
    assert (counts.scored, counts.rejected) == (len(good), len(got))


ODD = [
    "-0",
    "+5",
    " 7 ",
    "1_000",
    "1e3",
    "5.0",
    "nan",
    "NaN",
    "-inf",
    "True",
    "0x1A",
    "1e500",
    "5.",
    ".",
    "\u0661\u0662",
    " tcp",
    "TCP",
    "",
    " ",
    "9223372036854775808",
    "123456789012345678",
    "0.1000000000000000055511151231257827",
    "1.00000000000000011102230246251566",
    "0.99999999999999999999",
    "1e-400",
    "-1e-400",
]


@pytest.mark.parametrize("field", ["protocol_type", "src_bytes", "serror_rate"])
@pytest.mark.parametrize("value", ODD)
def test_the_batch_check_says_what_the_detector_says_of_each_cell(
    detector, rows, field, value
):
    """An odd cell, read as the reader reads it (beside ordinary rows, so that
    pandas reads the column as numbers where it can), is valid or refused as
    the detector's own check says, with its message and its value."""
    header = rows[0].split(",")
    cells = rows[1].split(",")
    cells[header.index(field)] = value
    text = "\n".join([rows[0], ",".join(cells), *rows[2:5]]) + "\n"
    reader = CsvReader(detector, "t")
    (batch,) = reader.feed(text.encode())
    valid, _, problems = check_frame(detector.features, batch)
    frame, errors = detector.check_rows(read_csv_rows(text)[:1])
    assert [(f, m) for p, f, m in problems] == [(e.field, e.message) for e in errors]
    if frame is not None:
        pd.testing.assert_frame_equal(valid.head(1), frame)


#: Cells of one kind per column, so that pandas reads most as numbers.
NUMBER_COLUMNS = st.one_of(
    st.lists(st.text(alphabet="0123456789.-+eE _infaNxX", max_size=8), max_size=20),
    st.lists(st.floats().map(repr), max_size=20),
    st.lists(
        st.floats(0.999, 1.001).map(lambda x: f"{x:.{len(repr(x)) + 3}f}"),
        max_size=20,
    ),
    st.lists(st.integers(-(2**70), 2**70).map(str), max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(NUMBER_COLUMNS)
def test_numbers_are_valid_exactly_when_the_detector_says_so(texts):
    """Random cells, read as the reader reads them: refused with the detector's
    message when its rule refuses them, else the very value it gives."""
    features = [
        Feature("n", "integer", minimum=0, maximum=9, lower_bound=0.0),
        Feature("r", "number", minimum=0, maximum=1, lower_bound=0, upper_bound=1),
    ]
    data = "n,r\n" + "".join(f"{t},{t}\n" for t in texts)
    reader = CsvReader(schema_only(features), "t")
    batches = [*reader.feed(data.encode()), *reader.finish(complete=True)]
    for rows in batches:
        valid, ok, problems = check_frame(features, rows)
        expected = []
        for position, line in enumerate(rows.lines.tolist()):
            text = texts[line - 2]
            rule = {f.name: check_value(f, text) for f in features}
            refused = {name: p for name, (_, p) in rule.items() if p}
            assert {f: m for p, f, m in problems if p == position} == refused, text
            assert ok[position] == (not refused), text
            if not refused:
                expected.append([rule["n"][0], rule["r"][0]])
        assert valid.to_numpy(dtype=object).tolist() == expected


def test_a_file_ending_without_newline_has_its_last_row_scored(
    detector, rows, tmp_path
):
    scored, rejects, _ = score_text(detector, "\n".join(rows[:4]), tmp_path)
    assert [int(r["line"]) for r in scored] == [2, 3, 4] and not rejects


def test_crlf_quotes_and_label_columns_are_read(detector, rows, tmp_path):
    header = rows[0].split(",")
    quoted = []
    for line in rows[1:4]:
        cells = line.split(",")
        cells[1] = f'"{cells[1]}"'
        quoted.append(",".join([*cells, '"normal, maybe"']))
    open_quote = '"' + rows[4] + ",x"
    lines = [",".join([*header, "label"]), *quoted, open_quote]
    scored, rejects, _ = score_text(detector, "\r\n".join(lines) + "\r\n", tmp_path)
    assert [int(r["line"]) for r in scored] == [2, 3, 4]
    assert [r["label"] for r in scored] == expected_scores(detector, rows[:4])[0]
    assert [(r["line"], r["reason"]) for r in rejects] == [
        ("5", "not readable as CSV (a quote left open)")
    ]


def test_a_header_missing_a_column_is_refused_naming_it(model, rows, tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("\n".join(line.split(",", 1)[1] for line in rows[:3]) + "\n")
    out = tmp_path / "scores.csv"
    assert main(["predict", str(model), str(path), "--out", str(out)]) == 2
    assert f"{path} line 1: missing column(s) duration" in capsys.readouterr().err
    path.write_text(rows[0] + ",src_ip\n" + rows[1] + ",10.0.0.1\n")
    assert main(["predict", str(model), str(path)]) == 2
    assert "unknown column(s) 'src_ip'" in capsys.readouterr().err


def test_an_empty_input_or_a_folder_is_refused(detector, tmp_path):
    with pytest.raises(InputError, match="is empty: no header line"):
        score_text(detector, "", tmp_path)
    with pytest.raises(InputError, match="is a folder"):
        score_input(detector, tmp_path, io.BytesIO(), io.StringIO())


def test_a_missing_or_damaged_model_file_is_named(model, rows, tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("\n".join(rows[:3]) + "\n")
    missing = tmp_path / "none.model"
    assert main(["predict", str(missing), str(path)]) == 2
    assert f"No detector file at {missing}" in capsys.readouterr().err
    damaged = tmp_path / "damaged.model"
    damaged.write_bytes(model.read_bytes()[: model.stat().st_size // 2])
    assert main(["predict", str(damaged), str(path)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and str(damaged) in err and "Traceback" not in err


def test_the_input_and_the_model_are_never_written_over(model, rows, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("\n".join(rows[:3]) + "\n")
    before = path.read_bytes(), model.read_bytes()
    for option in ("--out", "--rejects"):
        for target in (path, model):
            with pytest.raises(SystemExit):
                main(["predict", str(model), str(path), option, str(target)])
    assert (path.read_bytes(), model.read_bytes()) == before


def test_scores_and_rejects_go_to_two_files(model, rows, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("\n".join(rows[:3]) + "\n")
    same = str(tmp_path / "out.csv")
    with pytest.raises(SystemExit):
        main(["predict", str(model), str(path), "--out", same, "--rejects", same])
    assert not (tmp_path / "out.csv").exists()


class ClosedPipe:
    """Standard output whose reader has gone (``imblearn-vae predict | head``)."""

    class buffer:
        @staticmethod
        def write(data):
            raise BrokenPipeError(32, "Broken pipe")

        @staticmethod
        def flush():
            raise BrokenPipeError(32, "Broken pipe")

    def fileno(self):
        raise ValueError("no file")


def test_a_reader_that_goes_away_ends_it_quietly(
    model, rows, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "in.csv"
    path.write_text("\n".join(rows[:3]) + "\n")
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["predict", str(model), str(path)]) == 128 + signal.SIGPIPE
    assert capsys.readouterr().err == ""


def test_parquet_rows_are_scored_and_nulls_rejected_as_missing(
    detector, rows, tmp_path, capsys
):
    pytest.importorskip("pyarrow")
    frame = pd.read_csv(io.StringIO("\n".join(rows[:6])))
    frame["duration"] = frame["duration"].astype("Int64")
    frame.loc[2, "duration"] = pd.NA
    frame.loc[4, "flag"] = "??"
    path = tmp_path / "in.parquet"
    frame.to_parquet(path)
    out, rejects = io.BytesIO(), io.StringIO()
    score_input(detector, path, out, rejects)
    scored = read_csv_rows(out.getvalue().decode())
    assert [int(r["line"]) for r in scored] == [1, 2, 4]
    assert [r["label"] for r in scored] == expected_scores(
        detector, [rows[0], rows[1], rows[2], rows[4]]
    )[0]
    got = [
        (r["line"], r["field"], r["reason"][:18])
        for r in read_csv_rows(rejects.getvalue())
    ]
    assert got == [("3", "duration", "missing"), ("5", "flag", "unknown category '")]
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        score_input(detector, tmp_path / "bad.parquet", io.BytesIO(), io.StringIO())


def test_standard_input_is_scored(model, detector, rows):
    """The real command on a pipe, as ``exporter | imblearn-vae predict``."""
    result = subprocess.run(
        [sys.executable, "-m", "imblearn_vae", "predict", str(model), "-"],
        input="\n".join(rows[:30]) + "\n",
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    scored = read_csv_rows(result.stdout)
    assert [r["label"] for r in scored] == expected_scores(detector, rows[:30])[0]


class Follower:
    """score_input following a file in a thread; its output read as it comes."""

    def __init__(self, detector, path, tmp_path):
        self.path = path
        self.out_path = tmp_path / "scores.csv"
        self.rejects = io.StringIO()
        self.stop = threading.Event()
        self.notices = []
        self.counts = None

        def run():
            with open(self.out_path, "wb") as out:
                self.counts = score_input(
                    detector, path, out, self.rejects, follow=True, stop=self.stop,
                    poll=0.005, notice=self.notices.append,
                )  # fmt: skip

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def scored(self) -> list[dict]:
        text = self.out_path.read_text() if self.out_path.exists() else ""
        return read_csv_rows(text[: text.rfind("\n") + 1])

    def wait_for(self, count: int, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.scored()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.scored()

    def finish(self):
        self.stop.set()
        self.thread.join(timeout=20)
        assert not self.thread.is_alive()
        return self.scored(), read_csv_rows(self.rejects.getvalue())


def append(path, text: str) -> None:
    with open(path, "a") as stream:
        stream.write(text)


def test_follow_scores_rows_as_they_are_appended_and_holds_a_partial_line(
    detector, rows, tmp_path
):
    path = tmp_path / "flows.csv"
    path.write_text("\n".join(rows[:3]) + "\n")
    follower = Follower(detector, path, tmp_path)
    assert len(follower.wait_for(2)) == 2
    for text in ("\n", "1,2,3\n"):  # batches of nothing to score: a blank line,
        append(path, text)  # then a bad one
        time.sleep(0.1)
    half = len(rows[3]) // 2
    append(path, rows[3][:half])
    time.sleep(0.2)  # many polls: the half line is held, not scored
    assert len(follower.scored()) == 2
    append(path, rows[3][half:] + "\n" + rows[4] + "\n" + rows[5][:10])
    assert [int(r["line"]) for r in follower.wait_for(4)] == [2, 3, 6, 7]
    scored, rejects = follower.finish()
    assert [r["label"] for r in scored] == expected_scores(detector, rows[:5])[0]
    assert [(r["line"], r["reason"], r["text"]) for r in rejects] == [
        ("5", "3 fields; the header has 41 fields", "1,2,3"),
        (
            "8",
            "incomplete line (no newline when reading stopped); not scored",
            rows[5][:10],
        ),
    ]
    assert (follower.counts.scored, follower.counts.rejected) == (4, 2)


def test_follow_reads_on_after_the_file_is_replaced_or_truncated(
    detector, rows, tmp_path
):
    path = tmp_path / "flows.csv"
    path.write_text("\n".join(rows[:3]) + "\n")
    follower = Follower(detector, path, tmp_path)
    assert len(follower.wait_for(2)) == 2
    # Rotation by rename: the last rows written to the old file, its partial
    # line, then a new file under the same name.
    append(path, rows[3] + "\n" + rows[4][:7])
    os.replace(path, tmp_path / "flows.csv.1")
    path.write_text("\n".join([rows[0], rows[10], rows[11]]) + "\n")
    follower.wait_for(5)
    # Truncation in place (copytruncate), then new rows.
    with open(path, "r+") as stream:
        stream.truncate(0)
    time.sleep(0.2)
    append(path, "\n".join([rows[0], rows[20]]) + "\n")
    follower.wait_for(6)  # stopping does not wait for rows still unread
    scored, rejects = follower.finish()
    assert [int(r["line"]) for r in scored] == [2, 3, 4, 2, 3, 2]
    labels = expected_scores(
        detector, [rows[0], *rows[1:4], rows[10], rows[11], rows[20]]
    )
    assert [r["label"] for r in scored] == labels[0]
    assert [(r["line"], r["reason"], r["text"]) for r in rejects] == [
        (
            "5",
            "incomplete line (no newline when the file was replaced); not scored",
            rows[4][:7],
        )
    ]
    assert follower.notices == [
        f"{path} was replaced; reading it again from its header",
        f"{path} was truncated; reading it again from its header",
    ]


def test_follow_stops_while_rows_are_still_coming(detector, rows, tmp_path):
    """Stopping does not wait for the end of a file that keeps the reader busy."""
    path = tmp_path / "flows.csv"
    body = "\n".join(rows[1:]) + "\n"
    with open(path, "w") as stream:
        stream.write(rows[0] + "\n")
        for _ in range(40 * 1024 * 1024 // len(body)):  # about ten batches
            stream.write(body)
    total = sum(1 for _ in open(path)) - 1
    follower = Follower(detector, path, tmp_path)
    assert follower.wait_for(1)
    scored, _ = follower.finish()
    assert 0 < len(scored) < total


@pytest.mark.slow
def test_follow_stops_cleanly_on_sigterm(model, rows, tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text("\n".join(rows[:3]) + "\n")
    out = tmp_path / "scores.csv"
    command = [sys.executable, "-m", "imblearn_vae", "predict", str(model), str(path),
               "--follow", "--out", str(out)]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    with subprocess.Popen(command, cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE,
                          text=True) as process:  # fmt: skip
        deadline = time.monotonic() + 120
        while (not out.exists() or out.read_text().count("\n") < 3) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.05)
        append(path, rows[3] + "\n" + rows[4][:5])
        time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert [int(r["line"]) for r in read_csv_rows(out.read_text())] == [2, 3, 4]
    assert "incomplete line (no newline when reading stopped)" in err
    assert "scored 3 rows, rejected 1" in err


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 400), min_size=1, max_size=30))
def test_rows_do_not_depend_on_where_the_input_is_cut(detector, rows, cuts):
    """Fed in pieces of any size, the same rows come out with the same lines."""
    data = ("\n".join(rows[:12]) + "\n").encode()
    whole = [r for batch in CsvReader(detector, "x").feed(data) for r in batch.lines]
    reader, pieces, start = CsvReader(detector, "x"), [], 0
    for size in cuts:
        pieces.append(data[start : start + size])
        start += size
    pieces.append(data[start:])
    lines, frames = [], []
    for piece in pieces:
        for batch in reader.feed(piece):
            lines += batch.lines.tolist()
            frames.append(batch.frame)
    assert lines == list(whole) == list(range(2, 13))
    assert (
        pd.concat(frames).to_numpy().tolist()
        == pd.read_csv(
            io.BytesIO(data), dtype={"protocol_type": str, "service": str, "flag": str}
        )
        .to_numpy()
        .tolist()
    )


def test_a_line_too_long_is_dropped_and_reported():
    splitter = LineSplitter(max_line=10)
    assert splitter.feed(b"a,b\n0123456789ABC")[1] == b"a,b\n"
    first, block, errors = splitter.feed(b"DEF\nx,y\n")
    assert (first, block) == (3, b"x,y\n")
    assert [(e.row, e.message) for e in errors] == [
        (2, "line longer than 10 bytes; not read")
    ]
    assert splitter.pending == b"" and splitter.line == 4


def test_scores_are_formatted_once_per_distinct_row_and_right_for_every_row(detector):
    rng = np.random.default_rng(0)
    leaves = rng.dirichlet(np.ones(5), size=4)
    for probabilities in (
        leaves[rng.integers(0, 4, 500)],
        rng.dirichlet(np.ones(5), 300),
    ):
        first, inverse = _distinct_rows(probabilities)
        assert np.array_equal(probabilities[first][inverse], probabilities)
        scorer = ScoreWriter(detector)
        lines = np.arange(7, 7 + len(probabilities))
        text = scorer.format(lines, probabilities).decode()
        got = read_csv_rows(scorer.header + text)
        model = [str(c) for c in detector.pipeline.classes_]
        for row, line, p in zip(got, lines, probabilities, strict=True):
            assert int(row["line"]) == line
            assert row["label"] == model[p.argmax()]
            assert [float(row[f"p_{c}"]) for c in model] == pytest.approx(p, rel=1e-5)
    assert len(_distinct_rows(leaves[rng.integers(0, 4, 500)])[0]) == 4


def test_scores_and_rejects_are_safe_to_open_in_a_spreadsheet(tmp_path):
    """OWASP's CSV-injection rule, as the site's downloads apply it: a class
    named like a formula, a negative number or with a comma, and a rejected
    line's text, are text cells that a spreadsheet shows and does not run."""
    from imblearn.pipeline import Pipeline
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder
    from sklearn.tree import DecisionTreeClassifier

    from imblearn_vae import __version__
    from imblearn_vae.detector import Detector, feature_schema

    classes = ["=HYPERLINK(1)", "-1", "ok, maybe"]
    X = pd.DataFrame({"x": np.arange(30.0), "proto": ["tcp", "udp", "icmp"] * 10})
    X["proto"] = pd.Categorical(X["proto"])
    y = np.repeat(classes, 10)
    pipeline = Pipeline([
        ("preprocess", ColumnTransformer([
            ("categories", OneHotEncoder(handle_unknown="ignore",
                                         sparse_output=False), ["proto"]),
            ("numbers", MinMaxScaler(), ["x"])])),
        ("classify", DecisionTreeClassifier(random_state=0)),
    ]).fit(X, y)  # fmt: skip
    detector = Detector(
        pipeline=pipeline, features=feature_schema(X), classes=classes,
        target="label", version=__version__, command="tests", scores={},
        examples={}, created="2026-01-01",
    )  # fmt: skip
    text = "x,proto\n1,tcp\n15,udp\n25,icmp\n=1+1,tcp\n"
    scored, rejects, _ = score_text(detector, text, tmp_path)
    assert [r["label"] for r in scored] == ["'=HYPERLINK(1)", "'-1", "ok, maybe"]
    (reject,) = rejects
    assert reject["text"] == "'=1+1,tcp" and reject["field"] == "x"
    header = ScoreWriter(detector).header
    assert header == 'line,label,p_=HYPERLINK(1),p_-1,"p_ok, maybe"\n'
    assert [float(scored[0][f"p_{c}"]) for c in classes] == [1, 0, 0]
