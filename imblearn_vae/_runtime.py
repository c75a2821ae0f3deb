"""Where and how the networks run: the device, the torch threads and the
optimiser."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import torch


def resolve_device(device: str | torch.device) -> torch.device:
    """The torch device for an estimator's ``device`` parameter, checked here.

    Called at fit time, never in ``__init__``: a fitted estimator's
    parameters still say ``"auto"``, and a clone decides again where it runs.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"`` (CUDA when this machine has it, else the CPU) or any torch
        device name (``"cpu"``, ``"cuda"``, ``"cuda:1"``).

    Returns
    -------
    torch.device

    Raises
    ------
    ValueError
        If ``device`` is not a torch device name, or names CUDA on a machine
        without it; the message says what to pass instead.

    Examples
    --------
    >>> from imblearn_vae._runtime import resolve_device
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError, ValueError) as exc:
        raise ValueError(
            f"device={device!r} is not a torch device name ({exc})."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was asked for, but CUDA is not available on this "
            "machine; use device='auto' or 'cpu'."
        )
    return resolved


def make_adam(parameters, lr: float, **kwargs) -> torch.optim.Optimizer:
    """Adam with the fused kernel where this torch has it for the device.

    The fused update is one kernel for all parameters instead of about a dozen
    per tensor; at batch 128 the unfused update took a fifth of a CPU training
    step. Torch before 2.4 has no fused CPU Adam: the usual one is used there.
    """
    parameters = list(parameters)
    try:
        return torch.optim.Adam(parameters, lr=lr, fused=True, **kwargs)
    except (RuntimeError, TypeError):
        return torch.optim.Adam(parameters, lr=lr, **kwargs)


@contextmanager
def torch_threads(n_threads: int | None) -> Iterator[None]:
    """Set torch's intra-op thread count for the duration of the block.

    ``None``: torch's own count, but no more than the cores the machine has
    idle (:func:`idle_cores`). Torch's threads wait for each other at every
    operation; on cores that other work keeps busy, each wait lasts until
    the scheduler gets back to a thread, and two threads on two busy cores
    trained several times slower than one.
    """
    previous = torch.get_num_threads()
    wanted = min(previous, idle_cores()) if n_threads is None else n_threads
    if wanted == previous:
        yield
        return
    torch.set_num_threads(wanted)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def idle_cores() -> int:
    """Cores not taken by other work: the cores minus the 1-minute load, >= 1.

    Where the load average is not known (Windows), all the cores.
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores
    return max(1, min(cores, int(cores - load + 0.5)))
