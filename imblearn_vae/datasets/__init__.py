"""Data sets: the NSL-KDD and BoT-IoT loaders and NSL-KDD's preprocessing."""

from ._bot_iot import load_bot_iot
from ._download import DATA_HOME_ENV, get_data_home
from ._nsl_kdd import (
    ATTACK_CATEGORIES,
    CATEGORICAL_FEATURES,
    CATEGORY_NAMES,
    FEATURE_NAMES,
    fetch_nsl_kdd,
    load_nsl_kdd,
    make_nsl_kdd_preprocessor,
)

__all__ = [
    "ATTACK_CATEGORIES",
    "CATEGORICAL_FEATURES",
    "CATEGORY_NAMES",
    "DATA_HOME_ENV",
    "FEATURE_NAMES",
    "fetch_nsl_kdd",
    "get_data_home",
    "load_bot_iot",
    "load_nsl_kdd",
    "make_nsl_kdd_preprocessor",
]
