"""Sphinx configuration of the imblearn-vae documentation."""

import csv
from pathlib import Path

from imblearn_vae import __version__

project = "imblearn-vae"
author = "The imblearn-vae developers"
copyright = "2026, The imblearn-vae developers"
release = __version__
version = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
]

autosummary_generate = True
templates_path = ["_templates"]
numpydoc_show_class_members = False
numpydoc_validation_checks = {"PR01", "PR02", "GL08"}  # every parameter documented
# The torch modules' methods (forward, encode, ...) follow torch's convention:
# their inputs are described in the class docstring.
# fit and fit_resample are imbalanced-learn's, with its docstrings.
numpydoc_validation_exclude = {
    r"^imblearn_vae\.nn\.\w+\.\w+$",
    # The callbacks' hooks are Callback's, documented there (skorch's way).
    r"^imblearn_vae\.callbacks\.(EarlyStopping|OneCycle|ProgressBar)\.on_\w+$",
    r"\.fit$",
    r"\.fit_resample$",
}
intersphinx_mapping = {}  # the docs build offline; links are written out
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
nitpicky = False

# Figures that more than one page states are written once, in figures.csv
# (with what each is and the command that made it); every page names them:
# |tune-extra50-macro-f1|, or |tune-extra50-macro-f1-best| in bold for the
# best cell of a table (reST cannot embolden a substitution).
with open(Path(__file__).with_name("figures.csv"), newline="") as stream:
    FIGURES = {row["name"]: row["value"] for row in csv.DictReader(stream)}
rst_prolog = "".join(
    f".. |{name}| replace:: {value}\n.. |{name}-best| replace:: **{value}**\n"
    for name, value in FIGURES.items()
)
