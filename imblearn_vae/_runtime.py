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


def make_adam(parameters, lr: float, betas=(0.9, 0.999)):
    """Adam as one fused kernel per step where this torch has it for the device.

    The fused update is one kernel for all parameters instead of about a
    dozen per tensor (a fifth of a CPU training step at batch 128 unfused).
    Where the kernel is missing (torch before 2.4 on a CPU) the usual
    ``torch.optim.Adam`` is used.
    """
    parameters = [p for p in parameters if p.requires_grad]
    try:
        return FusedAdam(parameters, lr=lr, betas=betas)
    except (AttributeError, NotImplementedError, RuntimeError):
        return torch.optim.Adam(parameters, lr=lr, betas=betas)


def torch_adam(parameters, lr: float, **kwargs) -> torch.optim.Optimizer:
    """``torch.optim.Adam``, fused where this torch has it for the device.

    For skorch's networks, which need a full torch optimiser (closures, state
    dicts, parameter groups).
    """
    parameters = list(parameters)
    try:
        return torch.optim.Adam(parameters, lr=lr, fused=True, **kwargs)
    except (RuntimeError, TypeError):
        return torch.optim.Adam(parameters, lr=lr, **kwargs)


class FusedAdam:
    """Adam by the kernel ``torch.optim.Adam(fused=True)`` calls, called directly.

    torch.optim's optimisers import the torch compiler (``torch._dynamo``) on
    their first use, to keep it out of their own code: one to three seconds,
    the whole fit of a table of a few thousand rows. The steps are the same
    as ``torch.optim.Adam(fused=True)``'s to the bit: the same kernel, the
    same arguments. Holds ``param_groups[0]["lr"]`` as torch.optim does, so a
    schedule sets the rate there.

    Raises NotImplementedError or RuntimeError (from a first trial on a
    scalar) where the kernel does not exist for the parameters' device.
    """

    def __init__(self, parameters, lr: float, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(parameters)
        self.param_groups = [{"lr": lr, "betas": betas, "eps": eps}]
        self.exp_avgs = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sqs = [torch.zeros_like(p) for p in self.params]
        self.steps = [torch.zeros((), device=p.device) for p in self.params]
        device = self.params[0].device if self.params else torch.device("cpu")
        self._adam([torch.zeros(1, device=device)], [torch.zeros(1, device=device)],
                   [torch.zeros(1, device=device)], [torch.zeros(1, device=device)],
                   [torch.zeros((), device=device)])  # fmt: skip

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        chosen = [i for i, p in enumerate(self.params) if p.grad is not None]
        self._adam(*(
            [values[i] for i in chosen]
            for values in (self.params, [p.grad for p in self.params],
                           self.exp_avgs, self.exp_avg_sqs, self.steps)
        ))  # fmt: skip

    def _adam(self, params, grads, exp_avgs, exp_avg_sqs, steps) -> None:
        group = self.param_groups[0]
        torch._foreach_add_(steps, 1)
        torch._fused_adam_(
            params, grads, exp_avgs, exp_avg_sqs, [], steps,
            lr=group["lr"], beta1=group["betas"][0], beta2=group["betas"][1],
            weight_decay=0.0, eps=group["eps"], amsgrad=False, maximize=False,
            grad_scale=None, found_inf=None,
        )  # fmt: skip


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
