"""The README's Python code runs as written."""

import re

import numpy as np
import pytest
import torch

from .conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def test_the_quickstart_runs():
    text = (REPO_ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "no Python block in the README"
    namespace = {}
    with torch.random.fork_rng():
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["more"].shape == (10, 20)
    counts = np.bincount(namespace["y_res"])
    assert (counts == counts.max()).all()  # every class up to the majority count
