"""Each install path alone: what the core install and each extra must run.

The real check installs the wheel into a fresh virtual environment per extra
(``make install-matrix``, which ``make test`` runs). These tests hide the
packages of the other extras from one interpreter instead, so they take
seconds and show which import broke.
"""

import json
import subprocess
import sys
import textwrap
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO_ROOT

tomllib = pytest.importorskip("tomllib", reason="reads pyproject.toml: Python 3.11+")

pytestmark = pytest.mark.slow

#: Hides top-level modules as if their distributions were not installed: the
#: path finder does not see them, so ``import`` fails and ``find_spec`` is None.
HIDE = """\
import importlib.machinery, sys

class _PathFinderWithout(importlib.machinery.PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            return None
        return super().find_spec(name, path, target)

sys.meta_path[sys.meta_path.index(importlib.machinery.PathFinder)] = _PathFinderWithout
"""

PYPROJECT = REPO_ROOT / "pyproject.toml"


def installed_by(extra: str | None) -> set[str]:
    """The distributions that ``pip install '.[extra]'`` brings (all of them,
    by the requirements of pyproject.toml and of what is installed here)."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    optional = project["optional-dependencies"]
    todo = [Requirement(text) for text in project["dependencies"]]
    todo += [Requirement(text) for text in optional.get(extra, [])]
    names = {"imblearn-vae"}
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name == "imblearn-vae":  # "imblearn-vae[compare]" in another extra
            todo += [Requirement(t) for e in requirement.extras for t in optional[e]]
            continue
        if name in names:
            continue
        names.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            inner = Requirement(text)
            if inner.marker is None or any(
                inner.marker.evaluate({"extra": e}) for e in ["", *requirement.extras]
            ):
                todo.append(inner)
    return names


def hidden_without(extra: str | None) -> set[str]:
    """The top-level modules that the install of ``extra`` lacks."""
    kept = installed_by(extra)
    return {
        module
        for module, distributions in metadata.packages_distributions().items()
        if not any(canonicalize_name(d) in kept for d in distributions)
    }


def run_without(hidden, code):
    """Run ``code`` in a fresh interpreter where ``hidden`` cannot be imported."""
    program = f"HIDDEN = {sorted(hidden)!r}\n{HIDE}\n{textwrap.dedent(code)}"
    return subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=120,
    )


CORE = hidden_without(None)

#: Runs the command for each argv in one interpreter: exit status and output.
COMMANDS = """
import contextlib, io, json, traceback
from imblearn_vae.cli import main

results = {}
for argv in ARGVS:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as stop:
            status = stop.code
        except Exception:
            status, err = "raised", io.StringIO(traceback.format_exc())
    results[" ".join(argv)] = [status, out.getvalue(), err.getvalue()]
print(json.dumps(results))
"""

HELP = [["--help"], ["compare", "--help"], ["train", "--help"]]
NEEDS_EXTRA = [
    (["compare", "traffic.csv", "--label", "class"], "compare"),
    (["train", "--out", "detector.model"], "web"),
    (["serve"], "web"),
    (["token", "list", "alice"], "web"),
    (["predict", "detector.model", "connections.csv"], "web"),
    (["db", "upgrade"], "web"),
]


@pytest.fixture(scope="module")
def core_commands():
    """What each command does with the core install only."""
    argvs = [*HELP, *(argv for argv, _ in NEEDS_EXTRA)]
    done = run_without(CORE, f"ARGVS = {argvs!r}\n{COMMANDS}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("argv", HELP, ids=" ".join)
def test_core_install_starts_the_command(core_commands, argv):
    status, out, err = core_commands[" ".join(argv)]
    assert status == 0, err
    assert "usage: imblearn-vae" in out


@pytest.mark.parametrize(
    "argv, extra", NEEDS_EXTRA, ids=[" ".join(argv) for argv, _ in NEEDS_EXTRA]
)
def test_a_command_without_its_extra_names_the_extra(core_commands, argv, extra):
    status, _, err = core_commands[" ".join(argv)]
    assert status == 2, err
    assert f"pip install 'imblearn-vae[{extra}]'" in err
    assert f"pip install '.[{extra}]'" in err  # from a checkout


def test_core_install_runs_a_sampler_in_a_pipeline():
    done = run_without(
        CORE,
        """
        from imblearn.pipeline import Pipeline
        from sklearn.datasets import make_classification
        from sklearn.tree import DecisionTreeClassifier

        from imblearn_vae import CGANSampler, CVAESampler, DCBNVAESampler

        X, y = make_classification(n_samples=200, weights=[0.8, 0.2], random_state=0)
        for Sampler in (DCBNVAESampler, CVAESampler):
            sampler = Sampler(epochs=2, hidden_layer_sizes=(8,), latent_dim=2,
                              random_state=0)
            pipe = Pipeline([("balance", sampler), ("tree", DecisionTreeClassifier())])
            pipe.fit(X, y)
        CGANSampler(epochs=2, generator_hidden_layer_sizes=(8,),
                    discriminator_hidden_layer_sizes=(8,), noise_dim=2,
                    random_state=0).fit_resample(X, y)
        print("fitted")
        """,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "fitted"


def test_the_web_extra_alone_imports_what_train_and_serve_need():
    done = run_without(
        hidden_without("web"),
        """
        import imblearn_vae.detector, imblearn_vae.web.app, imblearn_vae.web.server
        from imblearn_vae.detector import build_pipeline

        build_pipeline("none", "dt", seed=0)
        print("imported")
        """,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported"
