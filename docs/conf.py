"""Sphinx configuration of the imblearn-vae documentation."""

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
    r"\.fit$",
    r"\.fit_resample$",
}
intersphinx_mapping = {}  # the docs build offline; links are written out
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
nitpicky = False
