"""The detector's model file: written and read without running code from it.

A file is a header line of JSON (version, classes, scores, the payload's
SHA-256) after a magic line, then a zip archive:

- ``detector.json``: the input schema, classes, examples, provenance and
  what it learned from (:class:`~imblearn_vae.detector.Detector`'s fields);
- ``pipeline.skops``: the fitted scikit-learn pipeline in skops' format,
  which rebuilds objects from an explicit list of trusted types
  (:data:`TRUSTED_TYPES`) instead of running the file's own code as a pickle
  does;
- for a CNN classifier, ``network.json`` (the skorch net's settings, its
  classes named from :data:`NET_CALLABLES`) and ``network.pt`` (the weights,
  a state dict read with ``torch.load(weights_only=True)``: tensors only).

The balancing step is not stored: a sampler acts only while the pipeline is
fitted, and predicting skips it, so the file keeps only what predicts.

The SHA-256 is checked before anything in the payload is parsed, so a
damaged or altered payload is refused with a message rather than half read.
It detects damage, not a forger who rewrites the header too; skops' trusted
types are what keeps a hostile file from running code.
"""

import copy
import dataclasses
import hashlib
import importlib
import io
import json
import os
import zipfile
from pathlib import Path

from .._version import __version__

#: First line of every detector file.
MAGIC = b"imblearn-vae detector\n"

#: The layout described above. Files without a format are the old pickles.
FORMAT = 2

#: Types the pipeline may hold beyond those skops trusts by default (numpy,
#: scikit-learn's own estimators). Anything else in a file is refused.
TRUSTED_TYPES = [
    "imblearn.pipeline.Pipeline",
    "imblearn_vae.classifiers.CNNClassifier",
    "imblearn_vae.classifiers.CNNLSTMClassifier",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.preprocessing._data.MinMaxScaler",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.preprocessing._data.QuantileTransformer",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.tree._classes.DecisionTreeClassifier",
    # histogram gradient boosting's trees (``--classifier hgb``): arrays only
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.tree._tree.Tree",
    "sklearn.utils._bunch.Bunch",
    "builtins.slice",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "numpy.dtypes.Float64DType",
    "numpy.dtypes.Int64DType",
    "numpy.dtypes.ObjectDType",
    "numpy.dtypes.StrDType",
]

#: The classes and functions a stored skorch net may name, by import path.
NET_CALLABLES = {
    "imblearn_vae.nn.cnn.FeatureCNN",
    "imblearn_vae._runtime.torch_adam",
    "torch.nn.modules.loss.CrossEntropyLoss",
    "torch.utils.data.dataloader.DataLoader",
    "skorch.dataset.Dataset",
}


class DetectorFileError(ValueError):
    """A detector file that cannot be used: missing, damaged or of another version."""


def save_detector(detector, path: str | os.PathLike) -> Path:
    """Write the detector: a header line, then the archive described above.

    Written to a temporary file first and renamed, so a reader never sees
    half a file.

    Parameters
    ----------
    detector : Detector
        What :func:`~imblearn_vae.detector.train_detector` made.
    path : str or path-like
        The model file; its folder is created.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = _archive(detector)
    header = {
        "format": FORMAT,
        "version": detector.version,
        "classes": detector.classes,
        "target": detector.target,
        "command": detector.command,
        "created": detector.created,
        "scores": detector.scores,
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "payload_bytes": len(payload),
    }
    temporary = path.with_name(f".{path.name}.part")
    with open(temporary, "wb") as stream:
        stream.write(MAGIC)
        stream.write(json.dumps(header).encode() + b"\n")
        stream.write(payload)
    os.replace(temporary, path)
    return path


def read_header(path: str | os.PathLike) -> dict:
    """The header of a detector file, without reading its payload."""
    path = Path(path)
    if not path.is_file():
        raise DetectorFileError(
            f"No detector file at {path}; make one with `imblearn-vae train --out "
            f"{path}`."
        )
    with open(path, "rb") as stream:
        magic = stream.readline()
        line = stream.readline(1_000_000)
    if magic != MAGIC:
        raise DetectorFileError(f"{path} is not an imblearn-vae detector file.")
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise DetectorFileError(f"{path} is damaged: its header is unreadable.")
    return header


def load_detector(path: str | os.PathLike):
    """Read a detector written by :func:`save_detector` with this package version.

    Nothing in the file is run: the payload's hash is checked first, the
    pipeline is rebuilt by skops from :data:`TRUSTED_TYPES` only, and network
    weights are read as tensors.

    Parameters
    ----------
    path : str or path-like
        The model file.

    Returns
    -------
    Detector

    Raises
    ------
    DetectorFileError
        If the file is missing, is not a detector file, is in the old pickle
        format, is damaged (its payload does not match its hash), holds
        types outside the trusted list, or was written by another version of
        imblearn-vae.
    """
    path = Path(path)
    payload = _checked_payload(path, read_header(path))
    try:
        return _unarchive(payload)
    except DetectorFileError as error:
        raise DetectorFileError(f"{path}: {error}") from None
    except Exception as error:  # a well-hashed but malformed archive
        raise DetectorFileError(
            f"{path} is damaged and cannot be read ({type(error).__name__}); train "
            "it again."
        ) from None


def _checked_payload(path: Path, header: dict) -> bytes:
    """The payload, once the format, the version and the hash are right."""
    if header.get("format") != FORMAT:
        raise DetectorFileError(
            f"{path} is in an old format (a pickle, which runs code when it is "
            "read); this version does not load it. Train it again with "
            "`imblearn-vae train`."
        )
    if header.get("version") != __version__:
        raise DetectorFileError(
            f"{path} was made by imblearn-vae {header.get('version')}; this is "
            f"{__version__}. Train it again with this version (`imblearn-vae "
            "train`)."
        )
    data = path.read_bytes()
    start = len(MAGIC) + data[len(MAGIC) :].index(b"\n") + 1
    payload = data[start:]
    if hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
        raise DetectorFileError(
            f"{path} is damaged: its content does not match the hash in its "
            "header. Train it again or copy it anew."
        )
    return payload


def _archive(detector) -> bytes:
    import skops.io

    from .model_schema import check_fields

    fields = {
        f.name: getattr(detector, f.name)
        for f in dataclasses.fields(detector)
        if f.name != "pipeline"
    }
    fields["features"] = [dataclasses.asdict(f) for f in detector.features]
    description = json.dumps(fields)
    try:  # a file that this version would refuse is not written at all
        check_fields(json.loads(description))
    except ValueError as error:
        raise DetectorFileError(
            f"the detector cannot be written as this version reads it ({error})"
        ) from None
    pipeline, network = _for_storage(detector.pipeline)
    pipeline_bytes = skops.io.dumps(pipeline)
    # A file that this version would refuse to read is not written at all.
    _refuse_untrusted(pipeline_bytes)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("detector.json", description)
        archive.writestr("pipeline.skops", pipeline_bytes)
        if network is not None:
            settings, weights = network
            archive.writestr("network.json", json.dumps(settings))
            archive.writestr("network.pt", weights)
    return stream.getvalue()


def _for_storage(pipeline):
    """The pipeline without its sampler, and a CNN's net as settings + weights."""
    steps = [
        (name, "passthrough" if _is_sampler(step) else step)
        for name, step in pipeline.steps
    ]
    name, classifier = steps[-1]
    network = None
    if hasattr(classifier, "net_"):
        network = _net_to_storage(classifier.net_)
        classifier = copy.copy(classifier)
        del classifier.net_
        steps[-1] = (name, classifier)
    stored = copy.copy(pipeline)
    stored.steps = steps
    return stored, network


def _is_sampler(step) -> bool:
    return hasattr(step, "fit_resample")


def _net_to_storage(net) -> tuple[dict, bytes]:
    import torch

    settings = {}
    for key, value in net.get_params(deep=False).items():
        if key.startswith("_") or key == "device":
            continue
        if callable(value):
            value = {"callable": f"{value.__module__}.{value.__qualname__}"}
            if value["callable"] not in NET_CALLABLES:
                raise ValueError(f"cannot store a net whose {key} is {value}")
        settings[key] = value
    weights = io.BytesIO()
    state = {k: v.detach().cpu() for k, v in net.module_.state_dict().items()}
    torch.save(state, weights)
    return settings, weights.getvalue()


def _unarchive(payload: bytes):
    import skops.io

    from .model import Detector
    from .model_schema import check_fields
    from .schema import Feature

    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = _checked_members(archive)
        fields = json.loads(archive.read("detector.json"))
        try:
            check_fields(fields)
        except ValueError as error:
            raise DetectorFileError(
                f"its description is not one this version writes ({error})"
            ) from None
        pipeline_bytes = archive.read("pipeline.skops")
        network = None
        if "network.json" in names:
            network = (
                json.loads(archive.read("network.json")),
                archive.read("network.pt"),
            )
    untrusted = skops.io.get_untrusted_types(data=pipeline_bytes)
    refused = _refused_types(pipeline_bytes, untrusted)
    if refused:
        raise DetectorFileError(
            "it holds types this version does not load: " + ", ".join(refused[:5])
        )
    pipeline = skops.io.loads(pipeline_bytes, trusted=untrusted)
    if network is not None:
        pipeline.steps[-1][1].net_ = _net_from_storage(*network)
    if not {str(c) for c in pipeline.classes_} <= set(fields["classes"]):
        raise DetectorFileError("its pipeline predicts classes it does not list")
    fields["features"] = [Feature(**f) for f in fields["features"]]
    return Detector(pipeline=pipeline, **fields)


#: The archive's members, and the most bytes each of the descriptions
#: (JSON, read whole and parsed) may hold once inflated: a few kilobytes
#: compressed may inflate to gigabytes.
MEMBERS = {"detector.json", "pipeline.skops", "network.json", "network.pt"}
MAX_DESCRIPTION_BYTES = 64 * 2**20


def _checked_members(archive: zipfile.ZipFile) -> set[str]:
    """The archive's member names, once none is unknown or too large."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(names) != len(infos) or not names <= MEMBERS:
        raise DetectorFileError("its archive holds files this version does not write")
    if not {"detector.json", "pipeline.skops"} <= names:
        raise DetectorFileError("its archive lacks the detector's description")
    for info in infos:
        if info.filename.endswith(".json") and info.file_size > MAX_DESCRIPTION_BYTES:
            raise DetectorFileError(
                f"its {info.filename} inflates to {info.file_size:,} bytes, over "
                f"{MAX_DESCRIPTION_BYTES:,}"
            )
    return names


def check_storable(estimator) -> None:
    """Refuse, before any training, an estimator whose type a model file
    does not load (the boosting libraries' classifiers, say).

    Raises
    ------
    DetectorFileError
        Naming the types.
    """
    import skops.io

    _refuse_untrusted(skops.io.dumps(estimator))


def _refuse_untrusted(pipeline_bytes: bytes) -> None:
    refused = _refused_types(pipeline_bytes)
    if refused:
        raise DetectorFileError(
            "a model file does not keep " + ", ".join(refused[:5]) + " (only "
            "trusted types load without running code); choose another classifier "
            "(dt, rf, hgb, cnn, cnn-lstm, or a scikit-learn one)"
        )


def _refused_types(pipeline_bytes: bytes, untrusted=None) -> list[str]:
    """The types of a stored pipeline outside :data:`TRUSTED_TYPES`."""
    import skops.io

    if untrusted is None:
        untrusted = skops.io.get_untrusted_types(data=pipeline_bytes)
    return sorted(set(untrusted) - set(TRUSTED_TYPES))


def _net_from_storage(settings: dict, weights: bytes):
    import torch
    from skorch import NeuralNetClassifier

    params = {}
    for key, value in settings.items():
        if isinstance(value, dict) and "callable" in value:
            value = _trusted_callable(value["callable"])
        params[key] = value
    net = NeuralNetClassifier(**params, device="cpu").initialize()
    state = torch.load(io.BytesIO(weights), weights_only=True, map_location="cpu")
    net.module_.load_state_dict(state)
    return net


def _trusted_callable(name: str):
    if name not in NET_CALLABLES:
        raise DetectorFileError(f"its network names {name!r}, which is not trusted")
    module, _, attribute = name.rpartition(".")
    found = getattr(importlib.import_module(module), attribute, None)
    if found is None:
        # a file made by an older version names a function that has moved
        raise DetectorFileError(
            f"its network names {name!r}, which this version does not have; "
            "train the model again"
        )
    return found
