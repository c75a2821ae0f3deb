"""Where and how the networks run: the device, the torch threads and the
optimiser."""

import os
import time
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
    except (AttributeError, NotImplementedError, RuntimeError, TypeError):
        # FusedAdam calls a private kernel: where this torch lacks it, calls it
        # otherwise or steps otherwise, the public optimiser (its first use
        # imports the torch compiler: one to three seconds more per process).
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

    ``torch._fused_adam_`` is private: a torch release may drop it for a
    device, rename its keywords, or count the steps itself (torch.optim adds
    one to ``state_steps`` before the call; a kernel that also did would
    bias-correct step 1 as step 2). So the constructor first takes one step
    of a known case (:func:`_check_kernel`), and raises where the kernel is
    missing (NotImplementedError, RuntimeError), called otherwise
    (TypeError) or steps otherwise (RuntimeError); :func:`make_adam` then
    uses ``torch.optim.Adam``. ``tests/test_runtime.py`` holds the kernel to
    ``torch.optim.Adam(fused=True)`` bit for bit on the pinned torch.
    """

    def __init__(self, parameters, lr: float, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(parameters)
        self.param_groups = [{"lr": lr, "betas": betas, "eps": eps}]
        self.exp_avgs = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sqs = [torch.zeros_like(p) for p in self.params]
        self.steps = [torch.zeros((), device=p.device) for p in self.params]
        _check_kernel(self.params[0].device if self.params else torch.device("cpu"))

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
        _fused_adam_step(params, grads, exp_avgs, exp_avg_sqs, steps,
                         group["lr"], group["betas"], group["eps"])  # fmt: skip


def _fused_adam_step(params, grads, exp_avgs, exp_avg_sqs, steps, lr, betas, eps):
    """One Adam step as torch.optim's ``_fused_adam`` takes it (torch 2.13)."""
    torch._foreach_add_(steps, 1)
    torch._fused_adam_(
        params, grads, exp_avgs, exp_avg_sqs, [], steps,
        lr=lr, beta1=betas[0], beta2=betas[1], weight_decay=0.0, eps=eps,
        amsgrad=False, maximize=False, grad_scale=None, found_inf=None,
    )  # fmt: skip


def _check_kernel(device: torch.device) -> None:
    """Raise unless the fused kernel takes Adam's first step on ``device``.

    Parameter 1, gradient 0.5, rate 0.1: the bias-corrected moments are 0.5
    and 0.25, so Adam moves the parameter by 0.1 * 0.5 / 0.5 to 0.9.
    """
    param, grad = torch.ones(1, device=device), torch.full((1,), 0.5, device=device)
    moments = [torch.zeros(1, device=device)], [torch.zeros(1, device=device)]
    step = [torch.zeros((), device=device)]
    _fused_adam_step([param], [grad], *moments, step, 0.1, (0.9, 0.999), 1e-8)
    if abs(param.item() - 0.9) > 1e-6:
        raise RuntimeError(
            f"torch._fused_adam_ moved 1 to {param.item()} where Adam's first step "
            "gives 0.9: this torch's kernel steps otherwise."
        )


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
    if n_threads is not None:
        wanted = n_threads
    else:  # one thread needs no look at the machine (idle_cores waits 0.1 s)
        wanted = previous if previous == 1 else min(previous, idle_cores())
    if wanted == previous:
        yield
        return
    torch.set_num_threads(wanted)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


#: How long :func:`busy_cores` watches the machine, and how long its answer holds.
BUSY_SAMPLE_SECONDS = 0.1
BUSY_REUSE_SECONDS = 2.0
_last_busy: tuple[float, float] | None = None  # (time.monotonic(), busy cores)


def idle_cores() -> int:
    """Cores not taken by other work: the cores minus :func:`busy_cores`, >= 1.

    Where neither measure is known (Windows), all the cores.
    """
    cores = os.cpu_count() or 1
    busy = busy_cores()
    if busy is None:
        return cores
    return max(1, min(cores, int(cores - busy + 0.5)))


def busy_cores() -> float | None:
    """How many cores other processes keep busy now.

    On Linux, the CPU time the whole machine spent outside idle over
    :data:`BUSY_SAMPLE_SECONDS`, less this process's own (``/proc/stat``,
    ``/proc/self/stat``), reused for :data:`BUSY_REUSE_SECONDS` so that many
    small fits do not each wait. The 1-minute load average trails by a minute
    or more: right after other work ends (this process's own SMOTE, a
    finished job) it still reads about 1, and a sampler on a machine gone
    quiet took one thread and trained a third slower. Elsewhere the 1-minute
    load average; None where neither is known.
    """
    global _last_busy
    now = time.monotonic()
    if _last_busy is not None and now - _last_busy[0] < BUSY_REUSE_SECONDS:
        return _last_busy[1]
    try:
        before = _cpu_ticks()
        time.sleep(BUSY_SAMPLE_SECONDS)
        after = _cpu_ticks()
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0]
        except (AttributeError, OSError):
            return None
    total, busy, own = (a - b for a, b in zip(after, before, strict=True))
    cores = os.cpu_count() or 1
    value = max(0.0, (busy - own) / total * cores) if total > 0 else 0.0
    _last_busy = (now, value)
    return value


def _cpu_ticks() -> tuple[int, int, int]:
    """All CPUs' ticks, their busy ticks, and this process's (user + system)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:9]]
    # user nice system idle iowait irq softirq steal
    total, idle = sum(fields), fields[3] + fields[4]
    with open("/proc/self/stat") as stat:
        # the command name may hold spaces: count fields after its ")"
        own = stat.read().rpartition(")")[2].split()
    return total, total - idle, int(own[11]) + int(own[12])


@contextmanager
def timed(seconds: dict, stage: str) -> Iterator[None]:
    """Add the block's wall seconds to ``seconds[stage]``."""
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - start
