"""Public names of a package imported on first use (PEP 562).

A package whose modules need an extra (pandas for ``compare`` and
``predict``) still imports with the core install: its names load when first
asked for, and a missing extra fails there, naming it, not at ``import``.
"""

import importlib
import sys
from collections.abc import Callable


def lazy_names(
    package: str, module_of: dict[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    module_of : dict
        Each public name and the submodule (relative, without the dot) it
        lives in.
    """

    def __getattr__(name: str):
        if name not in module_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f".{module_of[name]}", package)
        value = getattr(module, name)
        setattr(sys.modules[package], name, value)  # the next lookup is plain
        return value

    def __dir__() -> list[str]:
        return sorted([*vars(sys.modules[package]), *module_of])

    return __getattr__, __dir__
