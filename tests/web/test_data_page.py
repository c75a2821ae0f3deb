"""The data page (issue 32, item 5): what the served model learned from,
drawn from its model file."""

import re

import numpy as np
import pandas as pd
import pytest

from imblearn_vae.detector import train_on_tables
from imblearn_vae.tables import TableOptions, load_tables

from .conftest import make_app, signup


@pytest.fixture
def table_detector(tmp_path):
    """Random oversampling, then a tree, on a small mixed table: a moment."""
    rng = np.random.RandomState(0)
    sizes = {"normal": 120, "scan": 30, "flood": 12}
    frame = pd.concat([
        pd.DataFrame({"bytes": rng.lognormal(3 + 3 * k, 1.0, n).round(),
                      "rate": rng.uniform(0, 50, n),
                      "proto": rng.choice(["tcp", "udp", "icmp"][: k + 1], n),
                      "kind": label})
        for k, (label, n) in enumerate(sizes.items())
    ], ignore_index=True)  # fmt: skip
    path = tmp_path / "traffic.csv"
    frame.to_csv(path, index=False)
    tables = load_tables(TableOptions(path, "kind"))
    return train_on_tables(tables, method="random", classifier="dt")


def test_the_data_page_draws_what_the_model_file_keeps(config, table_detector):
    detector = table_detector
    client = make_app(config, DETECTOR=detector).test_client()
    assert client.get("/data").status_code == 302  # log in first
    signup(client)
    page = client.get("/data").text
    assert "traffic.csv" in page and "<code>kind</code>" in page
    before, after = detector.counts["training"], detector.counts["balanced"]
    for name in detector.classes:  # each class's bars, with its counts
        assert f"{name}: {before[name]:,} training rows" in page
        assert f"{name}: {after[name]:,} rows after balancing" in page
    rows = re.findall(r"<tr><td>(\w+)</td><td>([\d,]+)</td><td>([\d,]+)</td>", page)
    assert {r[0]: int(r[2]) for r in rows} == detector.balancing["generated"]
    # bytes spans orders of magnitude: a log scale; rate does not
    assert "bytes per class: minimum, quartiles and maximum (log scale)" in page
    assert "rate per class: minimum, quartiles and maximum</title>" in page
    assert page.count('<rect class="box"') == 2 * len(detector.classes)
    assert "<td>icmp</td>" in page  # proto's counts per class


def test_the_generated_rows_of_random_oversampling_are_copies(table_detector):
    """Random oversampling repeats real rows: its generated rows lie at
    distance 0 from real ones, every one a copy."""
    distance = table_detector.balancing["distance"]
    assert set(distance) == {"scan", "flood"}
    for found in distance.values():
        assert found["generated_to_real"] == 0 and found["copies"] == 1
