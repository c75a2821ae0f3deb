"""The NSL-KDD network-intrusion data set: loader, label maps and preprocessing."""

import csv
import gzip
import io
import os
from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
from sklearn.utils import Bunch

from ._download import download, get_data_home

#: SHA-256 of each uncompressed file (two independent copies agreed).
FILES = {
    "KDDTrain+": "1b86d2f957b33082081bba410fe129b475efebcc13c9014c3f447c8271aadf95",
    "KDDTest+": "fa46b0935342616aa83b7c2578db355b6a7aaabbc492248172c7a1e8b7ab8f84",
    "KDDTrain+_20Percent": (
        "7ea86479faab5ca2190b7f18b4982fb058ce5bf2b46e0e1017d0d9ef90f9c16e"
    ),
    "KDDTest-21": "746993ac9e25868827cacf09eab450050a2a1056e1ce48a1ad39f5dc801d531d",
}

#: A public mirror of the files as the Canadian Institute for Cybersecurity
#: published them; ``base_url`` replaces it.
DEFAULT_BASE_URL = "https://raw.githubusercontent.com/defcom17/NSL_KDD/master/"

CATEGORICAL_FEATURES = ("protocol_type", "service", "flag")

#: Fractions in [0, 1]; every other numeric column holds counts or flags.
_RATE_FEATURES = frozenset(
    {
        "serror_rate",
        "srv_serror_rate",
        "rerror_rate",
        "srv_rerror_rate",
        "same_srv_rate",
        "diff_srv_rate",
        "srv_diff_host_rate",
        "dst_host_same_srv_rate",
        "dst_host_diff_srv_rate",
        "dst_host_same_src_port_rate",
        "dst_host_srv_diff_host_rate",
        "dst_host_serror_rate",
        "dst_host_srv_serror_rate",
        "dst_host_rerror_rate",
        "dst_host_srv_rerror_rate",
    }
)

FEATURE_NAMES = (
    "duration", "protocol_type", "service", "flag", "src_bytes", "dst_bytes",
    "land", "wrong_fragment", "urgent", "hot", "num_failed_logins", "logged_in",
    "num_compromised", "root_shell", "su_attempted", "num_root",
    "num_file_creations", "num_shells", "num_access_files", "num_outbound_cmds",
    "is_host_login", "is_guest_login", "count", "srv_count", "serror_rate",
    "srv_serror_rate", "rerror_rate", "srv_rerror_rate", "same_srv_rate",
    "diff_srv_rate", "srv_diff_host_rate", "dst_host_count",
    "dst_host_srv_count", "dst_host_same_srv_rate", "dst_host_diff_srv_rate",
    "dst_host_same_src_port_rate", "dst_host_srv_diff_host_rate",
    "dst_host_serror_rate", "dst_host_srv_serror_rate", "dst_host_rerror_rate",
    "dst_host_srv_rerror_rate",
)  # fmt: skip

CATEGORY_NAMES = ("normal", "DoS", "Probe", "R2L", "U2R")

#: Every label of KDDTrain+ and KDDTest+ (those seen only in testing included)
#: mapped to its category. The test-only httptunnel and worm, which sources file
#: differently, go to U2R and R2L: the choice that gives KDDTest+ the commonly
#: quoted 9,711 / 7,458 / 2,421 / 2,754 / 200 split.
ATTACK_CATEGORIES = {
    "normal": "normal",
    **dict.fromkeys(
        (
            "apache2", "back", "land", "mailbomb", "neptune", "pod",
            "processtable", "smurf", "teardrop", "udpstorm",
        ),
        "DoS",
    ),
    **dict.fromkeys(
        ("ipsweep", "mscan", "nmap", "portsweep", "saint", "satan"), "Probe"
    ),
    **dict.fromkeys(
        (
            "ftp_write", "guess_passwd", "imap", "multihop", "named", "phf",
            "sendmail", "snmpgetattack", "snmpguess", "spy", "warezclient",
            "warezmaster", "worm", "xlock", "xsnoop",
        ),
        "R2L",
    ),
    **dict.fromkeys(
        (
            "buffer_overflow", "httptunnel", "loadmodule", "perl", "ps",
            "rootkit", "sqlattack", "xterm",
        ),
        "U2R",
    ),
}  # fmt: skip

_TARGETS = ("category", "binary", "attack")

DESCR = """\
NSL-KDD network-intrusion data set
----------------------------------

The refined KDD Cup '99 data of Tavallaee et al. (2009), published by the
Canadian Institute for Cybersecurity. Each row is one connection described by
41 features (3 categorical: protocol_type, service, flag) and labelled with
the attack it belongs to, or ``normal``.

Files: KDDTrain+ (125,973 rows), KDDTest+ (22,544), KDDTrain+_20Percent
(25,192) and KDDTest-21 (11,850; the test rows that 21 reference classifiers
found hardest). KDDTest+ holds 17 attacks that never occur in training.

Targets: ``"category"`` maps each attack to normal / DoS / Probe / R2L / U2R
(KDDTrain+: 67,343 / 45,927 / 11,656 / 995 / 52), ``"binary"`` to
normal / attack, ``"attack"`` keeps the raw label.

Reference: M. Tavallaee, E. Bagheri, W. Lu and A. A. Ghorbani, "A detailed
analysis of the KDD CUP 99 data set", IEEE CISDA 2009.
"""


def fetch_nsl_kdd(
    *,
    subset: str = "KDDTrain+",
    target: str = "category",
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    base_url: str = DEFAULT_BASE_URL,
    as_frame: bool = False,
    return_X_y: bool = False,
):
    """Load one file of the NSL-KDD network-intrusion data set.

    The file ``<subset>.txt`` or ``<subset>.txt.gz`` is looked for in
    ``<data_home>/nsl-kdd/``. A missing file is downloaded from
    ``base_url`` when allowed, its SHA-256 checked, and kept there.

    Parameters
    ----------
    subset : {"KDDTrain+", "KDDTest+", "KDDTrain+_20Percent", "KDDTest-21"}, \
            default="KDDTrain+"
        Which file to load.

    target : {"category", "binary", "attack"}, default="category"
        ``"category"``: the five classes normal, DoS, Probe, R2L, U2R.
        ``"binary"``: normal or attack. ``"attack"``: the raw attack name.

    data_home : str or path-like, default=None
        Folder holding ``nsl-kdd/``. None means the ``IMBLEARN_VAE_DATA``
        environment variable, else ``~/imblearn_vae_data``; see
        :func:`get_data_home`.

    download_if_missing : bool, default=True
        Download a file that is not on disk; if False, a missing file raises
        :class:`FileNotFoundError`.

    base_url : str, default=DEFAULT_BASE_URL
        Where downloads come from: ``base_url + subset + ".txt"``.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame (categorical columns as pandas
        categoricals, counts as integers) and ``target`` a Series; pandas is
        then required. If False, ``data`` is an object ndarray, like
        :func:`sklearn.datasets.fetch_kddcup99`.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        With ``data``, ``target``, ``frame`` (data and target together when
        ``as_frame``, else None), ``feature_names``, ``categorical_features``
        (the names of the categorical columns), ``target_names`` (the classes
        in their usual order, or the sorted names for ``"attack"``),
        ``attack`` (the raw labels), ``difficulty`` (the level each row was
        given, 0-21; not a feature) and ``DESCR``.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        When the file is missing and ``download_if_missing`` is False.
    OSError
        When a download fails or its checksum does not match.
    ValueError
        For an unknown ``subset`` or ``target``, a row without 43 fields, or
        an attack name with no known category.

    Examples
    --------
    >>> from imblearn_vae.datasets import fetch_nsl_kdd
    >>> X, y = fetch_nsl_kdd(
    ...     subset="KDDTest-21", return_X_y=True, download_if_missing=False
    ... )  # doctest: +SKIP
    >>> X.shape  # doctest: +SKIP
    (11850, 41)
    """
    if subset not in FILES:
        raise ValueError(f"subset must be one of {sorted(FILES)}, got {subset!r}.")
    if target not in _TARGETS:
        raise ValueError(f"target must be one of {list(_TARGETS)}, got {target!r}.")

    path = _locate(subset, data_home, download_if_missing, base_url)
    columns, attack, difficulty = _read_columns(path)
    y, target_names = _make_target(attack, target)

    if as_frame:
        data, y, frame = _as_frame(columns, y)
    else:
        data = np.empty((len(attack), len(FEATURE_NAMES)), dtype=object)
        for index, name in enumerate(FEATURE_NAMES):
            data[:, index] = columns[name]
        frame = None
    if return_X_y:
        return data, y
    return Bunch(
        data=data,
        target=y,
        frame=frame,
        feature_names=list(FEATURE_NAMES),
        categorical_features=list(CATEGORICAL_FEATURES),
        target_names=target_names,
        attack=attack,
        difficulty=difficulty,
        DESCR=DESCR,
    )


def load_nsl_kdd(path: str | os.PathLike, *, target: str = "category") -> Bunch:
    """Read one NSL-KDD file from anywhere: 41 features, the attack, its difficulty.

    The files have no header row; :func:`fetch_nsl_kdd` finds them by name
    in a data folder, this reads the file it is given (as ``imblearn-vae
    compare --loader nsl-kdd`` does).

    Parameters
    ----------
    path : str or path-like
        A ``KDDTrain+.txt``-style file, gzip allowed.
    target : {"category", "binary", "attack"}, default="category"
        As in :func:`fetch_nsl_kdd`.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        ``data`` (a DataFrame, categorical columns as pandas categoricals),
        ``target`` (a Series named ``target``), ``dropped`` (the difficulty
        column, with why it is not a feature).
    """
    if target not in _TARGETS:
        raise ValueError(f"target must be one of {list(_TARGETS)}, got {target!r}.")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such file: {path}.")
    columns, attack, _ = _read_columns(path)
    y, _ = _make_target(attack, target)
    data, target_series, _ = _as_frame(columns, y)
    return Bunch(
        data=data,
        target=target_series,
        dropped={
            "difficulty": "how many of 21 learners misclassified the row: a "
            "property of the benchmark, not of the connection"
        },
    )


def make_nsl_kdd_preprocessor(scaler: str = "minmax") -> ColumnTransformer:
    """The usual model input for NSL-KDD: one-hot categories, scaled numbers.

    protocol_type, service and flag are one-hot encoded (categories unseen in
    training, such as services that occur only in KDDTest+, give all-zero
    blocks instead of an error); the 38 numeric columns are scaled. Columns are
    selected by position, so the transformer takes the ``data`` of
    :func:`fetch_nsl_kdd` as an ndarray or as a DataFrame. On KDDTrain+ the
    output has 122 columns (3 + 70 + 11 one-hot, 38 numeric).

    Parameters
    ----------
    scaler : {"minmax", "standard"}, default="minmax"
        The scaler of the numeric columns.

    Returns
    -------
    preprocessor : sklearn.compose.ColumnTransformer
        Unfitted; use it as the first step of a pipeline.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_vae.datasets import FEATURE_NAMES, make_nsl_kdd_preprocessor
    >>> row = ["tcp" if n == "protocol_type" else "http" if n == "service"
    ...        else "SF" if n == "flag" else 0 for n in FEATURE_NAMES]
    >>> make_nsl_kdd_preprocessor().fit_transform(np.array([row], dtype=object)).shape
    (1, 41)
    """
    scalers = {"minmax": MinMaxScaler, "standard": StandardScaler}
    if scaler not in scalers:
        raise ValueError(f"scaler must be one of {sorted(scalers)}, got {scaler!r}.")
    categorical = [FEATURE_NAMES.index(name) for name in CATEGORICAL_FEATURES]
    numeric = [i for i in range(len(FEATURE_NAMES)) if i not in categorical]
    return ColumnTransformer(
        [
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                categorical,
            ),
            ("numbers", scalers[scaler](), numeric),
        ]
    )


def _locate(subset, data_home, download_if_missing, base_url) -> Path:
    folder = get_data_home(data_home) / "nsl-kdd"
    for candidate in (folder / f"{subset}.txt", folder / f"{subset}.txt.gz"):
        if candidate.is_file():
            return candidate
    if not download_if_missing:
        raise FileNotFoundError(
            f"{subset}.txt(.gz) is not in {folder} and download_if_missing=False. "
            f"Put the file there, point data_home or the IMBLEARN_VAE_DATA "
            "environment variable at the folder that holds nsl-kdd/, or allow "
            "the download."
        )
    url = base_url + f"{subset}.txt"
    try:
        return download(url, folder / f"{subset}.txt", FILES[subset])
    except OSError as error:  # URLError too: no network, no such host
        raise OSError(
            f"NSL-KDD's {subset}.txt is not in {folder} and downloading it from "
            f"{url} failed ({error}). Put {subset}.txt or {subset}.txt.gz into "
            f"{folder}, or set the IMBLEARN_VAE_DATA environment variable (or "
            "data_home) to a folder whose nsl-kdd/ holds it."
        ) from error


def _read_columns(path: Path):
    """Parse the CSV into typed feature columns, attack labels and difficulty."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        rows = list(csv.reader(io.TextIOWrapper(raw, encoding="ascii", newline="")))
    n_fields = len(FEATURE_NAMES) + 2
    for line, row in enumerate(rows, start=1):
        if len(row) != n_fields:
            raise ValueError(
                f"{path}, line {line}: expected {n_fields} comma-separated "
                f"fields, found {len(row)}."
            )
    fields = list(zip(*rows, strict=True)) if rows else [()] * n_fields
    columns = {}
    for name, values in zip(FEATURE_NAMES, fields, strict=False):
        if name in CATEGORICAL_FEATURES:
            columns[name] = np.asarray(values, dtype=object)
        elif name in _RATE_FEATURES:
            columns[name] = np.asarray(values, dtype=np.float64)
        else:
            columns[name] = np.asarray(values, dtype=np.int64)
    attack = np.asarray(fields[-2], dtype=object)
    difficulty = np.asarray(fields[-1], dtype=np.int64)
    return columns, attack, difficulty


def _make_target(attack: np.ndarray, target: str):
    unknown = sorted(set(attack) - ATTACK_CATEGORIES.keys())
    if unknown:
        raise ValueError(
            f"Attack label(s) {unknown} have no known category; known labels "
            f"are {sorted(ATTACK_CATEGORIES)}."
        )
    if target == "attack":
        return attack.copy(), sorted(set(attack))
    category = np.array([ATTACK_CATEGORIES[name] for name in attack], dtype=object)
    if target == "category":
        return category, list(CATEGORY_NAMES)
    binary = np.where(category == "normal", "normal", "attack").astype(object)
    return binary, ["normal", "attack"]


def _as_frame(columns, y):
    try:
        import pandas as pd
    except ImportError as error:  # pragma: no cover - pandas is a test dependency
        raise ImportError("fetch_nsl_kdd(as_frame=True) requires pandas.") from error
    data = pd.DataFrame(
        {
            name: pd.Categorical(values) if name in CATEGORICAL_FEATURES else values
            for name, values in columns.items()
        }
    )
    target = pd.Series(y, name="target")
    frame = data.assign(target=target)
    return data, target, frame
