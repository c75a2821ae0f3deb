"""``imblearn-vae train``: any labelled table read as ``compare`` reads it
(the same named errors, before any training), a comparison's best entry in
one step, and NSL-KDD as one case of it (issue 32, items 1 and 2)."""

import csv
import json

import numpy as np
import pandas as pd
import pytest

from imblearn_vae.cli import main
from imblearn_vae.detector import load_detector

from ..tables import QUICK_VAE


def blobs(sizes=(60, 60, 60), seed=0) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    return pd.concat(
        [pd.DataFrame(rng.normal(loc=2 * k, size=(n, 2)), columns=["x0", "x1"])
         .assign(label=k) for k, n in enumerate(sizes)],
        ignore_index=True,
    )  # fmt: skip


def refused(capsys, command: str, *arguments) -> str:
    """The error a command gives for arguments it must refuse up front."""
    with pytest.raises(SystemExit) as stop:
        main([command, *arguments])
    assert stop.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


def bad_tables(tmp_path) -> dict:
    """Tables a user may give by mistake: each file and its options."""
    frame = blobs()
    found = {}

    def write(name, table, text=None):
        path = tmp_path / f"{name}.csv"
        path.write_text(text) if text else table.to_csv(path, index=False)
        return path

    found["no such label"] = ([write("a", frame)], ["--label", "kind"])
    found["one class"] = ([write("b", frame.assign(label=1))], ["--label", "label"])
    found["text not categorical"] = (
        [write("c", frame.assign(proto="tcp"))],
        ["--label", "label", "--categorical", "x0"],
    )
    missing = frame.copy()
    missing.loc[[3, 70], "x1"] = np.nan
    found["missing values"] = ([write("d", missing)], ["--label", "label"])
    found["a column twice"] = (
        [write("e", None, "rate,rate,label\n1,2,a\n3,4,b\n5,6,a\n")],
        ["--label", "label"],
    )
    found["text labels in the test file"] = (
        [write("f", frame)],
        ["--label", "label", "--test", str(write("g", frame.assign(label="x")))],
    )
    found["no such file"] = ([tmp_path / "absent.csv"], ["--label", "label"])
    return found


@pytest.mark.parametrize(
    "case",
    ["no such label", "one class", "text not categorical", "missing values",
     "a column twice", "text labels in the test file", "no such file"],
)  # fmt: skip
def test_a_bad_table_gets_compares_error_before_any_training(tmp_path, capsys, case):
    (table,), options = bad_tables(tmp_path)[case]
    model = tmp_path / "m.model"
    compared = refused(capsys, "compare", str(table), *options,
                       "--out", str(tmp_path / "out"), "--quiet")  # fmt: skip
    trained = refused(capsys, "train", str(table), *options, "--out", str(model))
    assert trained.replace("imblearn-vae train:", "") == compared.replace(
        "imblearn-vae compare:", ""
    )
    assert "error:" in trained and not model.exists()
    assert not (tmp_path / "out" / "runs.csv").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["t.csv", "--from-compare", "d"], "leave out TABLE"),
        (["--from-compare", "d", "--method", "smote"], "leave out --method"),
        (["t.csv"], "a table needs --label"),
        (["t.csv", "--label", "y", "--target", "binary"], "--target and --data-home"),
        (["t.csv", "--label", "y", "--method", "smoth"], "Unknown method 'smoth'"),
        (["t.csv", "--label", "y", "--classifier", "xgboost"],
         "a model file does not keep"),
    ],
)  # fmt: skip
def test_options_that_do_not_go_together_are_named(tmp_path, capsys, arguments,
                                                   message):  # fmt: skip
    pytest.importorskip("xgboost") if "xgboost" in arguments else None
    model = tmp_path / "m.model"
    assert message in refused(capsys, "train", *arguments, "--out", str(model))
    assert not model.exists()


def test_a_method_that_cannot_run_says_why_in_a_line(tmp_path, capsys):
    """SMOTE on a class with one training row: compare's hint, no traceback,
    no file."""
    path = tmp_path / "t.csv"
    blobs(sizes=(60, 60, 3)).to_csv(path, index=False)
    model = tmp_path / "m.model"
    status = main(["train", str(path), "--label", "label", "--method", "smote",
                   "--out", str(model), "--quiet", "--test-size", "0.5"])  # fmt: skip
    assert status == 2
    error = capsys.readouterr().err
    assert error.startswith("imblearn-vae train: error: smote then dt could not")
    assert "the smallest class, 2, has 1 training row" in error
    assert "Traceback" not in error and not model.exists()


def test_a_table_trains_and_says_so(tmp_path, capsys):
    path = tmp_path / "t.csv"
    blobs().assign(proto=["tcp", "udp"] * 90).to_csv(path, index=False)
    model = tmp_path / "m.model"
    assert main(["train", str(path), "--label", "label", "--method", "random",
                 "--out", str(model)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "t.csv: 126 training rows, 54 test rows" in printed
    assert "step 3 of 3, classify (DecisionTreeClassifier)" in printed
    assert f"wrote {model}: on a stratified 30% of t.csv held out" in printed
    detector = load_detector(model)
    assert detector.feature_names == ["x0", "x1", "proto"]
    assert detector.settings == {"method": "random", "classifier": "dt", "seed": 0}
    assert detector.command == (
        "imblearn-vae train .../t.csv --label label --method random --out .../m.model"
    )


@pytest.mark.slow
def test_compare_then_train_from_compare_then_predict(tmp_path, capsys):
    """The road from a table to scores: compare names its best entry and the
    command that trains it; that command trains it on the comparison's
    training rows (its scores there are the comparison's run of that seed);
    predict scores the table with it."""
    path = tmp_path / "traffic.csv"
    table = blobs(sizes=(150, 40, 12)).assign(proto=(["tcp"] * 3 + ["udp"]) * 50 +
                                                   ["tcp", "udp"])  # fmt: skip
    table.to_csv(path, index=False)
    out = tmp_path / "results"
    assert main(["compare", str(path), "--label", "label", "--methods", "none",
                 "random", QUICK_VAE, "--seeds", "0", "1", "--threads", "1",
                 "--out", str(out), "--quiet"]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    command = f"imblearn-vae train --from-compare {out} --out detector.model"
    assert command in printed and "## The best entry" in printed
    best = json.loads((out / "best.json").read_text())
    runs = list(csv.DictReader(open(out / "runs.csv")))
    means = {
        m: np.mean([float(r["test:f1_macro"]) for r in runs if r["method"] == m])
        for m in {r["method"] for r in runs}
    }
    assert best["f1_macro"][0] == pytest.approx(max(means.values()))
    assert means[best["method"]] == max(means.values())

    model = tmp_path / "detector.model"
    argv = command.split()[1:]
    argv[argv.index("detector.model")] = str(model)
    assert main(argv) == 0
    detector = load_detector(model)
    assert (detector.settings["method"], detector.settings["classifier"]) == (
        best["method"],
        best["classifier"],
    )
    assert detector.entry["rule"] == best["rule"]
    assert detector.entry["f1_macro"] == best["f1_macro"]
    seed_0 = next(r for r in runs if r["method"] == best["method"]
                  and r["seed"] == "0")  # fmt: skip
    assert detector.scores["f1_macro"] == pytest.approx(float(seed_0["test:f1_macro"]))
    assert str(tmp_path) not in detector.command

    assert main(["predict", str(model), str(path), "--out",
                 str(tmp_path / "scores.csv")]) == 0  # fmt: skip
    scored = list(csv.DictReader(open(tmp_path / "scores.csv")))
    assert len(scored) == len(table)
    records = list(csv.DictReader(open(path)))
    frame, errors = detector.check_rows(records)
    assert not errors
    assert [r["label"] for r in scored] == detector.predict(frame)[0]


@pytest.mark.parametrize(
    ("method", "classifier", "message"),
    [
        ("random", "xgboost", "a model file does not keep"),
        ("smoth", "dt", "Unknown method 'smoth'"),
        ("random", "gbm", "Unknown classifier 'gbm'"),
    ],
)
def test_from_compare_checks_the_entrys_method_and_classifier(
    tmp_path, capsys, method, classifier, message
):
    """The comparison's entry is checked before any training, not the
    defaults (dcbn-vae, dt) that --from-compare does not use: an entry a
    model file does not keep is refused with the way out, no file written."""
    if classifier == "xgboost":
        pytest.importorskip("xgboost")
    from imblearn_vae.compare.choice import write_choice
    from imblearn_vae.tables.options import TableOptions

    path = tmp_path / "t.csv"
    blobs().to_csv(path, index=False)
    out = tmp_path / "results"
    out.mkdir()
    best = {"method": method, "classifier": classifier, "seeds": [0]}
    write_choice(out, best, TableOptions(table=path, label="label").to_json(), 10)
    model = tmp_path / "m.model"
    with pytest.raises(SystemExit) as stop:
        main(["train", "--from-compare", str(out), "--out", str(model)])
    printed = capsys.readouterr()
    assert stop.value.code == 2
    error = printed.err.strip().splitlines()[-1]
    assert f"the comparison in {out} chose {method} then {classifier}" in error
    assert message in error and "--method and --classifier instead" in error
    assert "step 1 of 3" not in printed.out and not model.exists()


@pytest.mark.parametrize(
    ("best", "message"),
    [
        ({"classifier": "dt", "seeds": [0]}, "has no 'method'"),
        ({"method": "random", "classifier": 3, "seeds": [0]}, "has no 'classifier'"),
        ({"method": "random", "classifier": "dt"}, "'seeds' must be a list"),
        ({"method": "random", "classifier": "dt", "seeds": ["0"]}, "'seeds' must"),
        ([1, 2], "not a comparison's choice"),
        ("{not json", "is not JSON"),
    ],
)
def test_a_hand_edited_choice_names_its_field(tmp_path, capsys, best, message):
    """best.json edited by hand: the missing or bad field is named, not a
    bare KeyError from the middle of train."""
    from imblearn_vae.compare.choice import BEST_FILE, write_choice
    from imblearn_vae.tables.options import TableOptions

    path = tmp_path / "t.csv"
    blobs().to_csv(path, index=False)
    out = tmp_path / "results"
    out.mkdir()
    write_choice(out, None, TableOptions(table=path, label="label").to_json(), 10)
    text = best if isinstance(best, str) else json.dumps(best)
    (out / BEST_FILE).write_text(text)
    error = refused(capsys, "train", "--from-compare", str(out),
                    "--out", str(tmp_path / "m.model"))  # fmt: skip
    assert message in error
    assert not (tmp_path / "m.model").exists()


def test_from_compare_needs_a_comparisons_folder(tmp_path, capsys):
    error = refused(capsys, "train", "--from-compare", str(tmp_path),
                    "--out", str(tmp_path / "m.model"))  # fmt: skip
    assert "holds no comparison's choice (best.json and table.json)" in error


@pytest.mark.slow
def test_nsl_kdd_is_one_case_and_the_earlier_options_still_work(nsl_kdd_home, tmp_path):
    """No table: KDDTrain+ and KDDTest+ from the data folder, as before
    (--sampler is --method's earlier name)."""
    model = tmp_path / "nsl.model"
    assert main(["train", "--out", str(model), "--sampler", "none", "--data-home",
                 str(nsl_kdd_home), "--quiet"]) == 0  # fmt: skip
    detector = load_detector(model)
    assert detector.classes == ["normal", "DoS", "Probe", "R2L", "U2R"]
    assert len(detector.features) == 41 and detector.is_nsl_kdd
    assert detector.scores["test_rows"] == 22_544
    assert detector.scores["held_out"]["rows"] == 11_272
    assert detector.settings["method"] == "none"
    assert detector.layout["columns"][-2:] == ["attack", "difficulty"]
    assert str(nsl_kdd_home) not in detector.command


def test_the_readmes_road_from_a_table_to_a_served_detector_parses():
    """Each command of the README's section parses as written."""
    import re
    import shlex

    from imblearn_vae.cli import build_parser
    from tests.conftest import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## From your table to a served detector")[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [
        line.split("#")[0].split(">")[0].strip()
        for line in block.splitlines()
        if line.startswith("imblearn-vae")
    ]
    assert [c.split()[1] for c in commands] == ["compare", "train", "predict",
                                                "serve"]  # fmt: skip
    parser = build_parser()[0]
    for command in commands:
        parser.parse_args(shlex.split(command)[1:])
    assert "--from-compare compare-results/flows" in commands[1]  # compare's out
