"""The balancing methods by name: :mod:`imblearn_vae.registry.methods`,
named here too for the code that imports them from the comparison."""

from ..registry.methods import (  # noqa: F401
    DEFAULT_METHODS,
    METHODS,
    PAPER_COUNTED_WIDTHS,
    Method,
    MethodInfo,
    parse_method,
)
