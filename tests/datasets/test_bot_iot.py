import pytest

from imblearn_vae.datasets import load_bot_iot
from imblearn_vae.datasets._bot_iot import COLUMNS, IDENTIFIER_COLUMNS


def test_the_fragment_loads_with_identifiers_left_out(bot_iot_file):
    bunch = load_bot_iot(bot_iot_file)
    assert bunch.data.shape == (999, 10)
    assert bunch.feature_names == [
        "proto", "stddev", "N_IN_Conn_P_SrcIP", "min", "state_number", "mean",
        "N_IN_Conn_P_DstIP", "drate", "srate", "max",
    ]  # fmt: skip
    assert set(bunch.dropped) == {"pkSeqID", "saddr", "daddr", "sport", "dport", "seq"}
    assert all(bunch.dropped.values())  # each with its reason
    assert bunch.data["proto"].dtype.name == "category"
    assert bunch.target.value_counts().to_dict() == {
        "DDoS": 522, "DoS": 450, "Reconnaissance": 27,
    }  # fmt: skip
    subcategory = load_bot_iot(bot_iot_file, target="subcategory").target
    assert subcategory.value_counts()["Service_Scan"] == 20
    assert set(bunch.labels.columns) == {"attack", "category", "subcategory"}


def test_the_comma_separated_release_reads_the_same(bot_iot_file, tmp_path):
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(bot_iot_file, sep="\t", dtype={"sport": str, "dport": str})
    frame.loc[0, "sport"] = "0x0303"  # hex ports occur in the full release
    path = tmp_path / "UNSW_2018_IoT_Botnet_Final_10_best_Training.csv"
    frame.to_csv(path, index=False, quoting=1)  # quoted fields, like the release
    bunch = load_bot_iot(path)
    assert bunch.data.shape == (999, 10)
    assert bunch.data["srate"].dtype.kind == "f"


def test_bad_files_are_named(tmp_path, bot_iot_file):
    with pytest.raises(FileNotFoundError, match="UNSW_2018_IoT_Botnet"):
        load_bot_iot(tmp_path / "absent.csv")
    lines = bot_iot_file.read_text().splitlines()
    short = tmp_path / "short.tsv"
    short.write_text("\n".join(line.rsplit("\t", 1)[0] for line in lines[:5]))
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['subcategory'\]"):
        load_bot_iot(short)
    bad = tmp_path / "bad.tsv"
    cells = lines[1].split("\t")
    cells[COLUMNS.index("mean")] = "n/a"
    bad.write_text("\n".join([lines[0], "\t".join(cells), *lines[2:5]]))
    with pytest.raises(ValueError, match="column 'mean' should hold numbers; row 2"):
        load_bot_iot(bad)
    with pytest.raises(ValueError, match="target must be one of"):
        load_bot_iot(bot_iot_file, target="label")
    assert "seq" in IDENTIFIER_COLUMNS
