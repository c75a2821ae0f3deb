import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def traffic_frame():
    """A small labelled table: two numeric columns, one categorical, 3 classes."""
    rng = np.random.RandomState(0)
    sizes = {"normal": 160, "scan": 50, "flood": 30}
    parts = []
    for offset, (label, n) in enumerate(sizes.items()):
        parts.append(
            pd.DataFrame(
                {
                    "bytes": rng.lognormal(3 + offset, 1.0, n).round(),
                    "rate": rng.uniform(0.3 * offset, 0.3 * offset + 0.4, n),
                    "proto": rng.choice(["tcp", "udp"] if offset else ["tcp"], n),
                    "class": label,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


@pytest.fixture
def traffic_csv(tmp_path, traffic_frame):
    path = tmp_path / "traffic.csv"
    traffic_frame.to_csv(path, index=False)
    return path
