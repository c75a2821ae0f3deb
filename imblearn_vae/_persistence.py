"""Pickling the generative samplers: off the GPU, and from earlier versions.

A pickle must load on a machine without the GPU it was fitted on (skorch's
rule), and a sampler pickled by an earlier version of the package must load
or say why not. Version 0.1.0.dev0 (before 2026-12-06) kept the data path's
layout in private attributes of its ``TableEncoder`` and the categorical
blocks outside the network; :func:`_upgrade_encoder` rebuilds the column specs
the encoder keeps now, and the network gets its blocks. Parameters added since
take their defaults (:func:`_default_missing_parameters`).
"""

import copy
import inspect
import warnings

import numpy as np
import torch


class PicklingMixin:
    """``__getstate__`` / ``__setstate__`` of the generative samplers."""

    def __getstate__(self):
        state = super().__getstate__()
        module = state.get("module_")
        if module is not None and state["device_"].type != "cpu":
            # A pickle must load on a machine without the GPU it was fitted on.
            state["module_"] = copy.deepcopy(module).cpu()
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        _default_missing_parameters(self)
        encoder = getattr(self, "table_encoder_", None)
        if encoder is not None and not hasattr(encoder, "specs_"):
            _upgrade_encoder(encoder, type(self).__name__)
            self.module_.blocks = encoder.blocks_
        codes = getattr(self, "_latent_codes", None)
        if codes and len(codes[0]) == 2:  # before entropy_weight: no pick weights
            self._latent_codes = [(mean, std, None) for mean, std in codes]
        device = getattr(self, "device_", None)
        if device is not None and device.type != "cpu":
            if device.type == "cuda" and torch.cuda.is_available():
                self.module_.to(device)
            else:
                warnings.warn(
                    f"{type(self).__name__} was fitted on {device}, which is not "
                    "available here; its network was loaded on the CPU.",
                    UserWarning,
                    stacklevel=2,
                )
                self.device_ = torch.device("cpu")


def _default_missing_parameters(estimator) -> None:
    """Give ``estimator`` each constructor parameter its pickle lacks.

    A parameter added after the pickle was written (``overlap_class``,
    ``entropy_weight``, ``callbacks``) is not in its state, and ``repr``,
    ``get_params`` and ``clone`` read every parameter. Each was added with a
    default that keeps the behaviour from before it, so the default says
    what the pickled sampler did.
    """
    signature = inspect.signature(type(estimator).__init__)
    for name in estimator._get_param_names():
        if name not in vars(estimator):
            setattr(estimator, name, signature.parameters[name].default)


def _upgrade_encoder(encoder, owner: str) -> None:
    """Give a ``TableEncoder`` pickled by version 0.1.0.dev0 its column specs."""
    from ._table import ColumnSpec

    state = vars(encoder)
    try:
        integer = state.pop("_integer")
        frame_dtypes = state["_frame_dtypes"]
        blocks = state["blocks_"]
    except KeyError as error:
        raise TypeError(
            f"This {owner} was pickled by a version of imblearn-vae whose data "
            f"path this version cannot read (no {error.args[0]!r}); fit it again "
            "with this version."
        ) from None

    def name(index):
        return frame_dtypes.index[index] if frame_dtypes is not None else int(index)

    specs = [
        ColumnSpec(int(column), name(column), "numeric", j, j + 1, bool(integer[j]))
        for j, column in enumerate(encoder.numeric_features_)
    ]
    bounds = blocks.bounds if blocks is not None else []
    for column, (start, stop) in zip(encoder.categorical_features_, bounds,
                                     strict=True):  # fmt: skip
        specs.append(ColumnSpec(int(column), name(column), "categorical", start, stop))
    encoder.specs_ = specs
    encoder._sparse_format = None  # only stack() needs it, which fit calls
    state.setdefault("_output_dtype", np.dtype(np.float64))
