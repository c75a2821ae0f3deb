"""The samplers' optimiser and threads (imblearn_vae/_runtime.py)."""

import os
import subprocess
import sys

import pytest
import torch

from imblearn_vae import _runtime
from imblearn_vae._runtime import FusedAdam, make_adam


def _parameters(seed):
    generator = torch.Generator().manual_seed(seed)
    return [torch.nn.Parameter(torch.randn(shape, generator=generator))
            for shape in ((7, 3), (3,), (4, 4))]  # fmt: skip


def test_fused_adam_steps_as_torch_optims_fused_adam_to_the_bit():
    ours, theirs = _parameters(0), _parameters(0)
    mine = FusedAdam(ours, lr=3e-3, betas=(0.5, 0.999))
    reference = torch.optim.Adam(theirs, lr=3e-3, betas=(0.5, 0.999), fused=True)
    for step in range(5):
        for a, b, grad in zip(ours, theirs, _parameters(step + 1), strict=True):
            a.grad, b.grad = grad.detach().clone(), grad.detach().clone()
        ours[1].grad = theirs[1].grad = None if step == 2 else ours[1].grad
        mine.step()
        reference.step()
        mine.zero_grad()
        reference.zero_grad()
        for a, b in zip(ours, theirs, strict=True):
            assert torch.equal(a, b)
    mine.param_groups[0]["lr"] = 0.0  # a schedule sets the rate here
    before = [p.detach().clone() for p in ours]
    for p in ours:
        p.grad = torch.ones_like(p)
    mine.step()
    assert all(torch.equal(a, b) for a, b in zip(ours, before, strict=True))


@pytest.mark.slow
def test_fitting_does_not_import_the_torch_compiler():
    # torch.optim's optimisers import torch._dynamo on first use: seconds.
    code = (
        "import sys, numpy as np; from imblearn_vae import DCBNVAESampler; "
        "X = np.random.RandomState(0).normal(size=(200, 4)); "
        "y = np.repeat([0, 1], [150, 50]); "
        "DCBNVAESampler(epochs=2, device='cpu', random_state=0).fit_resample(X, y); "
        "print('torch._dynamo' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, check=True, timeout=300)  # fmt: skip
    assert result.stdout.strip() == "False"


def test_make_adam_falls_back_to_torch_optim_without_the_kernel(monkeypatch):
    def missing(*args, **kwargs):
        raise NotImplementedError("no fused Adam for this device")

    monkeypatch.setattr(_runtime.torch, "_fused_adam_", missing)
    optimizer = make_adam(_parameters(0), lr=1e-3)
    assert isinstance(optimizer, torch.optim.Adam)


def test_make_adam_takes_the_kernel_on_the_pinned_torch():
    # the fast path is what the pin buys: losing it must fail here, not slow
    # every fit by the torch compiler's import
    assert isinstance(make_adam(_parameters(0), lr=1e-3), FusedAdam)


def _renamed_keyword(*args, grad_scale=None, found_inf=None, **kwargs):
    raise TypeError("_fused_adam_() received an invalid combination of arguments")


def _counts_steps_itself(params, grads, exp_avgs, exp_avg_sqs, maxes, steps, **kw):
    torch._foreach_add_(steps, 1)  # as if the kernel now counted the step
    return REAL_FUSED_ADAM(params, grads, exp_avgs, exp_avg_sqs, maxes, steps, **kw)


REAL_FUSED_ADAM = torch._fused_adam_


@pytest.mark.parametrize("changed", [_renamed_keyword, _counts_steps_itself])
def test_make_adam_falls_back_when_the_private_kernel_changes(monkeypatch, changed):
    """Issue 29, item 7: ``torch._fused_adam_`` is private; a torch release
    that changes its keywords or who counts the steps gets torch.optim's
    Adam, not an error or wrong steps."""
    monkeypatch.setattr(_runtime.torch, "_fused_adam_", changed)
    optimizer = make_adam(_parameters(0), lr=1e-3)
    assert isinstance(optimizer, torch.optim.Adam)


@pytest.mark.parametrize(
    ("load", "cores", "expected"), [(0.0, 2, 2), (1.4, 2, 1), (9.0, 2, 1), (2.0, 8, 6)]
)
def test_idle_cores(monkeypatch, load, cores, expected):
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    monkeypatch.setattr(_runtime, "busy_cores", lambda: load)
    assert _runtime.idle_cores() == expected


def test_busy_cores_leave_out_this_process(monkeypatch):
    # 200 ticks of 2 cores: 200 busy, 100 of them this process's own
    ticks = iter([(1000, 500, 100), (1200, 700, 200)])
    monkeypatch.setattr(_runtime, "_cpu_ticks", lambda: next(ticks))
    monkeypatch.setattr(_runtime, "_last_busy", None)
    monkeypatch.setattr(_runtime, "BUSY_SAMPLE_SECONDS", 0.0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert _runtime.busy_cores() == pytest.approx(1.0)
    assert _runtime.busy_cores() == pytest.approx(1.0)  # reused, not sampled again


def test_busy_cores_fall_back_to_the_load_average(monkeypatch):
    def no_proc():
        raise OSError("no /proc here")

    monkeypatch.setattr(_runtime, "_cpu_ticks", no_proc)
    monkeypatch.setattr(_runtime, "_last_busy", None)
    monkeypatch.setattr("os.getloadavg", lambda: (1.5, 1.0, 0.5))
    assert _runtime.busy_cores() == 1.5


@pytest.mark.skipif(not os.path.exists("/proc/stat"), reason="reads Linux's /proc")
def test_busy_cores_measure_this_machine(monkeypatch):
    monkeypatch.setattr(_runtime, "_last_busy", None)
    busy = _runtime.busy_cores()
    assert 0.0 <= busy <= os.cpu_count()
