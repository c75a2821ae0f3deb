"""BoT-IoT, the "10 best features" release (Koroniotis et al., 2019)."""

import os
from pathlib import Path

from sklearn.utils import Bunch

#: The release's 19 columns, in its order.
COLUMNS = (
    "pkSeqID", "proto", "saddr", "sport", "daddr", "dport", "seq", "stddev",
    "N_IN_Conn_P_SrcIP", "min", "state_number", "mean", "N_IN_Conn_P_DstIP",
    "drate", "srate", "max", "attack", "category", "subcategory",
)  # fmt: skip

LABEL_COLUMNS = ("attack", "category", "subcategory")

#: Columns that identify a connection rather than describe it, and why each
#: is left out of the features.
IDENTIFIER_COLUMNS = {
    "pkSeqID": "row identifier of the capture",
    "saddr": "source IP address: identifies the testbed's hosts, not the behaviour",
    "daddr": "destination IP address: identifies the testbed's hosts",
    "sport": "source port: an identifier (hex strings in part of the release)",
    "dport": "destination port: an identifier (hex strings in part of the release)",
    "seq": "Argus sequence number: the capture's order, leaks when a row was recorded",
}

CATEGORICAL_FEATURES = ("proto",)


def load_bot_iot(path: str | os.PathLike, *, target: str = "category") -> Bunch:
    """Load a file of BoT-IoT's "10 best features" release.

    The official ``UNSW_2018_IoT_Botnet_Final_10_best_*.csv`` files (comma
    separated, quoted fields) and tab-separated fragments of them are read
    alike. The identifier columns (:data:`IDENTIFIER_COLUMNS`: the row id,
    addresses, ports and sequence number) are not features and are left out,
    each with its reason in ``dropped``; the three label columns are returned
    apart.

    Parameters
    ----------
    path : str or path-like
        The file.
    target : {"category", "subcategory", "attack"}, default="category"
        Which label is ``target``: the attack category (Normal, DDoS, DoS,
        Reconnaissance, Theft), the subcategory (UDP, TCP, HTTP,
        Service_Scan, ...), or ``attack`` (1 attack, 0 normal).

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        ``data`` (a DataFrame of ``proto`` as a pandas categorical and nine
        numeric features), ``target`` (a Series), ``frame`` (both),
        ``labels`` (the three label columns), ``feature_names``,
        ``categorical_features``, ``dropped`` (column -> reason).

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the header lacks a column of the release, a row has the wrong
        number of fields, a feature is not a number, or ``target`` is unknown.
    """
    import pandas as pd

    if target not in LABEL_COLUMNS:
        raise ValueError(
            f"target must be one of {list(LABEL_COLUMNS)}; got {target!r}."
        )
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No BoT-IoT file at {path}. The full release "
            "(UNSW_2018_IoT_Botnet_Final_10_best_Training.csv / _Testing.csv) is "
            "published by UNSW Canberra; point the path at your copy."
        )
    with open(path, newline="") as stream:
        header = stream.readline()
    separator = "\t" if header.count("\t") > header.count(",") else ","
    # No value is read as missing: a cell that is not a number (empty, "n/a")
    # leaves its column as text, and the check below names it.
    frame = pd.read_csv(
        path,
        sep=separator,
        quotechar='"',
        keep_default_na=False,
        dtype={"sport": str, "dport": str},
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path.name} lacks the column(s) {missing} of BoT-IoT's 10-best-features "
            f"release; its columns are {list(frame.columns)}."
        )
    features = [
        c for c in COLUMNS if c not in IDENTIFIER_COLUMNS and c not in LABEL_COLUMNS
    ]
    data = frame[features].copy()
    for name in features:
        if name in CATEGORICAL_FEATURES:
            data[name] = pd.Categorical(data[name].astype(str))
        elif not pd.api.types.is_numeric_dtype(data[name]):
            bad = data[name][pd.to_numeric(data[name], errors="coerce").isna()]
            raise ValueError(
                f"{path.name}: column {name!r} should hold numbers; row "
                f"{int(bad.index[0]) + 2} holds {bad.iloc[0]!r}."
            )
    labels = frame[list(LABEL_COLUMNS)].copy()
    y = labels[target].rename("target")
    return Bunch(
        data=data,
        target=y,
        frame=data.assign(target=y),
        labels=labels,
        feature_names=features,
        categorical_features=list(CATEGORICAL_FEATURES),
        dropped=dict(IDENTIFIER_COLUMNS),
    )
