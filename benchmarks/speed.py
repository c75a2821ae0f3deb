"""Speed of the generative samplers on preprocessed NSL-KDD, against this
machine's matmul ceiling, SMOTE and random oversampling.

Reports (and writes as Markdown to ``<out>/speed.md``): the dense float32
matmul throughput measured in the same run (the ceiling, measured again
around each sampler's timings); for each generative sampler with the paper's
settings, seconds per epoch, training rows per second and achieved training
FLOP/s (FLOPs per step counted by torch, times steps, over time) as a share
of the ceiling; generation rows per second and its share; SMOTE's and
RandomOverSampler's ``fit_resample`` seconds; the peak resident memory of one
``fit_resample`` (in a child process); and how ``fit_resample`` time grows
with the number of rows (fitted exponent).
``--batch-size`` adds sampler rows for other training batch sizes (the
paper's is 128; the memory and scaling figures always use 128).

    python benchmarks/speed.py                 # KDDTrain+, 2 epochs per fit
    python benchmarks/speed.py --quick         # seconds: a smoke test
    python benchmarks/speed.py --device cuda   # the same on a GPU
    python benchmarks/speed.py --batch-size 128 512 2048  # larger batches too

On a GPU the ceiling is float32 ``torch.mm`` on that GPU (TF32 left off, as
torch's default is), and the peak memory line adds the GPU's peak allocation.
"""

import argparse
import datetime
import multiprocessing
import os
import platform
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
from _common import REPO_ROOT, default_data_home, markdown
from imblearn.over_sampling import SMOTE, RandomOverSampler
from torch.utils.flop_counter import FlopCounterMode

from imblearn_vae import (
    PAPER_TABLE_1,
    CGANSampler,
    CVAESampler,
    DCBNVAESampler,
    _training,
)
from imblearn_vae._runtime import resolve_device
from imblearn_vae.datasets import fetch_nsl_kdd, make_nsl_kdd_preprocessor

SAMPLERS = {"dcbn-vae": DCBNVAESampler, "cvae": CVAESampler, "cgan": CGANSampler}

#: The input DCBN-VAE's defaults were chosen on: "raw" (the table,
#: categorical columns as categories) or "onehot" (the one-hot matrix).
DEFAULT_INPUT = "raw"


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def matmul_ceiling(device, size: int = 2048, seconds: float = 2.0) -> float:
    """Dense float32 ``torch.mm`` throughput in FLOP/s (best of repeated runs)."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(device)
    b = torch.randn(size, size, generator=generator).to(device)
    # A GPU needs several products per timing to hide the launch and the sync.
    repeats = 20 if device.type == "cuda" else 1
    a @ b  # warm-up
    _synchronize(device)
    best, deadline = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        for _ in range(repeats):
            a @ b
        _synchronize(device)
        best = max(best, repeats * 2 * size**3 / (time.perf_counter() - start))
    return best


def training_flops_per_step(sampler, X: np.ndarray, y: np.ndarray) -> float:
    """FLOPs of one optimisation step on a batch, as torch counts them."""
    batch = sampler.batch_size_
    first = X.iloc[:batch] if hasattr(X, "iloc") else X[:batch]
    rows = torch.from_numpy(sampler.table_encoder_.transform(first))
    labels = torch.from_numpy(np.searchsorted(sampler.classes_, y[: len(rows)]))
    rows, labels = rows.to(sampler.device_), labels.to(sampler.device_)
    sampler.module_.train()
    generator = torch.Generator(sampler.device_).manual_seed(0)
    optimizers = sampler._make_optimizers()
    with FlopCounterMode(display=False) as counter:
        sampler._train_step(rows.float(), labels, optimizers, generator)
    sampler.module_.eval()
    return counter.get_total_flops()


def measure_sampler(name, X, y, epochs, batch_size, measure_ceiling, device) -> dict:
    """Time one sampler's training and generation against the matmul ceiling.

    The ceiling is measured again before training, between training and
    generation, and after generation, and each share is taken against the
    mean of the two measurements around it: a shared or throttled machine
    changes its speed within minutes, and a share against a ceiling taken at
    another time would mix that drift into the figure.
    """
    sampler = SAMPLERS[name](
        **{**paper_settings(name), "epochs": epochs, "batch_size": batch_size},
        random_state=0,
        device=device,
    )
    ceilings = [measure_ceiling()]
    start = time.perf_counter()
    sampler.fit_resample(X, y)
    fit_seconds = time.perf_counter() - start
    epoch_seconds = float(np.median([r["duration"] for r in sampler.history_]))
    steps = int(np.ceil(len(y) / sampler.batch_size_))
    train_flops = training_flops_per_step(sampler, X, y) * steps / epoch_seconds
    ceilings.append(measure_ceiling())

    klass, n_rows = sampler.classes_[0], 20_000
    with FlopCounterMode(display=False) as counter:
        sampler.sample(1024, klass)
    flops_per_row = counter.get_total_flops() / 1024
    generation_seconds = np.inf
    for _ in range(3):  # best of three: the first call also warms the allocator
        start = time.perf_counter()
        sampler.sample(n_rows, klass)
        generation_seconds = min(generation_seconds, time.perf_counter() - start)
    ceilings.append(measure_ceiling())
    train_ceiling, generation_ceiling = np.mean(ceilings[:2]), np.mean(ceilings[1:])
    generation_flops = flops_per_row * n_rows / generation_seconds
    return {
        "sampler": name,
        "batch": batch_size,
        "ceiling GFLOP/s": f"{min(ceilings) / 1e9:.0f}-{max(ceilings) / 1e9:.0f}",
        "fit_resample s": fit_seconds,
        "s / epoch": epoch_seconds,
        "train rows/s": len(y) / epoch_seconds,
        "train GFLOP/s": train_flops / 1e9,
        "train % ceiling": 100 * train_flops / train_ceiling,
        "gen rows/s": n_rows / generation_seconds,
        "gen GFLOP/s": generation_flops / 1e9,
        "gen % ceiling": 100 * generation_flops / generation_ceiling,
    }


def _busy(stop) -> None:
    """A CPU-bound job: one thread of float32 matrix products until told."""
    torch.set_num_threads(1)
    a = torch.randn(256, 256)
    while not stop.is_set():
        a = torch.tanh(a @ a)


@contextmanager
def competing_jobs(n_jobs: int) -> Iterator[None]:
    """``n_jobs`` CPU-bound processes running beside the block (a busy machine).

    Users run ``compare --jobs``, grid searches and other work beside a
    sampler; both samplers of the time-to-quality race face the same load.
    """
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    jobs = [context.Process(target=_busy, args=(stop,)) for _ in range(n_jobs)]
    for job in jobs:
        job.start()
    time.sleep(2.0 if jobs else 0.0)  # the load average sees them
    try:
        yield
    finally:
        stop.set()
        for job in jobs:
            job.join()


def race(args, train, X, y, measure_ceiling, device) -> list[dict]:
    """The time-to-quality race once per ``--competing-jobs`` level."""
    quality = []
    for n_jobs in args.competing_jobs:
        with competing_jobs(n_jobs):
            rows = time_to_quality(train, X, y, measure_ceiling, device, threads=None)
        quality += [{"competing jobs": n_jobs, **row} for row in rows]
        print(markdown(quality[-2:]), flush=True)
    return quality


def time_to_quality(train, X, y, measure_ceiling, device, threads) -> list[dict]:
    """``fit_resample`` seconds of DCBN-VAE's defaults against SMOTE's.

    Both balance KDDTrain+ in the same run, each given the input the
    benchmark gives it (SMOTE the one-hot matrix; DCBN-VAE the input its
    defaults were chosen on, :data:`DEFAULT_INPUT`), with the
    same torch threads. Also the default training's rows per second and
    its share of the matmul ceiling: the figure of the configuration people
    really run.
    """
    start = time.perf_counter()
    SMOTE(random_state=0).fit_resample(X, y)
    smote_seconds = time.perf_counter() - start

    sampler = DCBNVAESampler(random_state=0, device=device, n_threads=threads)
    X_in = X
    if DEFAULT_INPUT == "raw":
        X_in = train.data
        sampler.set_params(categorical_features="auto")
    ceilings = [measure_ceiling()]
    start = time.perf_counter()
    sampler.fit_resample(X_in, y)
    seconds = time.perf_counter() - start
    ceilings.append(measure_ceiling())
    epoch_seconds = float(np.median([r["duration"] for r in sampler.history_]))
    # An epoch of epochs="auto" draws at most AUTO_CLASS_ROWS rows of a class.
    cap = _training.AUTO_CLASS_ROWS if sampler.epochs == "auto" else None
    codes = torch.as_tensor(np.unique(y, return_inverse=True)[1])
    epoch_rows = _training.epoch_draws(codes, cap)
    steps = int(np.ceil(epoch_rows / sampler.batch_size_))
    flops = training_flops_per_step(sampler, X_in, y) * steps / epoch_seconds
    return [
        {"method": "SMOTE", "fit_resample s": smote_seconds},
        {
            "method": "DCBN-VAE defaults",
            "fit_resample s": seconds,
            "ratio to SMOTE": seconds / smote_seconds,
            "epochs": sampler.n_epochs_,
            "batch": sampler.batch_size_,
            **{f"{stage} s": t for stage, t in sampler.fit_seconds_.items()},
            "train rows/s": epoch_rows / epoch_seconds,
            "train % ceiling": 100 * flops / np.mean(ceilings),
        },
    ]


def paper_settings(name: str) -> dict:
    """The paper's Table 1 for the VAEs (the CGAN's defaults are its widths)."""
    if name == "cgan":
        return {}
    return {k: v for k, v in PAPER_TABLE_1.items() if k != "epochs"}


def _peak_memory_child(queue, name, X, y, epochs, device):
    SAMPLERS[name](
        **paper_settings(name), epochs=epochs, random_state=0, device=device
    ).fit_resample(X, y)
    gpu = torch.cuda.max_memory_allocated() if device.type == "cuda" else 0
    queue.put((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, gpu))


def peak_memory(name, X, y, epochs, device) -> tuple[float, float]:
    """Peak resident bytes (and GPU bytes) of a fresh process running one fit."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(
        target=_peak_memory_child, args=(queue, name, X, y, epochs, device)
    )
    child.start()
    peak = queue.get()
    child.join()
    return peak


def scaling(name, X, y, epochs, factors, device, seed=0) -> tuple[list, float]:
    """fit_resample seconds at several multiples of the rows; the fitted exponent."""
    rng = np.random.RandomState(seed)
    rows, seconds = [], []
    for factor in factors:
        chosen = rng.randint(len(y), size=int(factor * len(y)))
        sampler = SAMPLERS[name](
            **paper_settings(name), epochs=epochs, random_state=seed, device=device
        )
        start = time.perf_counter()
        sampler.fit_resample(X[chosen], y[chosen])
        rows.append(len(chosen))
        seconds.append(time.perf_counter() - start)
    exponent = np.polyfit(np.log(rows), np.log(seconds), 1)[0]
    return list(zip(rows, seconds, strict=True)), float(exponent)


def goals(args) -> int:
    """Every goal of issue 31 in one run, for each --competing-jobs level."""
    import speed_goals

    args.tables = args.tables or list(speed_goals.TABLES)
    data_home = args.data_home or default_data_home()
    sections, all_goals = [], []
    for n_jobs in args.competing_jobs:
        with competing_jobs(n_jobs):
            large = speed_goals.large_tables(data_home, args.tables)
            small = speed_goals.small_tables(data_home, args.tables)
        all_goals += speed_goals.verdicts(n_jobs, large, small)
        tables = [markdown(rows) for rows in (large, small) if rows]
        sections += [f"### {n_jobs} competing jobs", *tables]
        print("\n\n".join(sections[-1 - len(tables) :]), flush=True)
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"load average {os.getloadavg()[0]:.2f} at the end, {datetime.date.today()}"
    )
    report = "\n\n".join(
        [f"Speed goals: `python benchmarks/speed.py {' '.join(sys.argv[1:])}`; "
         f"{machine}.", markdown(all_goals), *sections]
    )  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "goals.md").write_text(report + "\n")
    print("\n" + report)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, seconds")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--samplers", nargs="+", choices=list(SAMPLERS),
                        default=list(SAMPLERS))  # fmt: skip
    parser.add_argument(
        "--batch-size", type=int, nargs="+", default=[128],
        help="training batch sizes to time (128 is the paper's)",
    )  # fmt: skip
    parser.add_argument("--data-home", default=None)
    parser.add_argument(
        "--competing-jobs", type=int, nargs="+", default=[0],
        help="time to quality with this many CPU-bound jobs beside it (0 1 2)",
    )  # fmt: skip
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, ...")
    parser.add_argument(
        "--race-only", action="store_true",
        help="only the time-to-quality race (DCBN-VAE's defaults against SMOTE)",
    )  # fmt: skip
    parser.add_argument(
        "--goals", action="store_true",
        help="every speed goal of the defaults against SMOTE (speed_goals.py), "
        "at each --competing-jobs level",
    )  # fmt: skip
    parser.add_argument(
        "--tables", nargs="+", default=None,
        help="with --goals: the suite's tables to time (default: every one)",
    )  # fmt: skip
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "benchmarks/results/speed"
    )
    args = parser.parse_args(argv)
    if args.goals:
        return goals(args)
    if args.data_home is None:
        args.data_home = default_data_home()
    args.out.mkdir(parents=True, exist_ok=True)
    device = resolve_device(args.device)

    subset = "KDDTrain+_20Percent" if args.quick else "KDDTrain+"
    train = fetch_nsl_kdd(subset=subset, data_home=args.data_home, as_frame=True)
    X = make_nsl_kdd_preprocessor().fit_transform(train.data).astype(np.float32)
    y = np.asarray(train.target)
    if args.quick:
        X, y, args.epochs, args.samplers = X[:3000], y[:3000], 1, args.samplers[:1]
        train.data = train.data.iloc[:3000]
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), {datetime.date.today()}"
    )
    if device.type == "cuda":
        machine += f", device {torch.cuda.get_device_name(device)}"
    print(f"{machine}; {subset}: {X.shape[0]} rows x {X.shape[1]} features", flush=True)

    size = 8192 if device.type == "cuda" else 2048
    ceiling = matmul_ceiling(device, size, seconds=0.5 if args.quick else 3.0)

    def measure_ceiling() -> float:
        return matmul_ceiling(device, size, seconds=0.25 if args.quick else 1.0)

    print(f"matmul ceiling: {ceiling / 1e9:.1f} GFLOP/s", flush=True)
    if args.race_only:
        race(args, train, X, y, measure_ceiling, device)
        return 0
    results = []
    for name in args.samplers:
        for batch_size in args.batch_size:
            results.append(
                measure_sampler(
                    name, X, y, args.epochs, batch_size, measure_ceiling, device
                )
            )
            print(markdown(results[-1:]), flush=True)

    baselines = []
    for label, sampler in (
        ("SMOTE", SMOTE(random_state=0)),
        ("RandomOverSampler", RandomOverSampler(random_state=0)),
    ):
        start = time.perf_counter()
        sampler.fit_resample(X, y)
        baselines.append(
            {"method": label, "fit_resample s": time.perf_counter() - start}
        )

    quality = race(args, train, X, y, measure_ceiling, device)

    peak, gpu_peak = peak_memory(args.samplers[0], X, y, 1, device)
    factors = (0.25, 0.5, 1.0) if args.quick else (0.25, 0.5, 1.0, 2.0, 4.0)
    points, exponent = scaling(args.samplers[0], X, y, 1, factors, device)

    report = "\n\n".join(
        [
            f"Speed: `python benchmarks/speed.py {' '.join(sys.argv[1:])}`; {machine}; "
            f"{subset}, {X.shape[0]} rows x {X.shape[1]} features, "
            f"{args.epochs} epochs per fit.",
            f"Matmul ceiling (torch.mm on {device.type}, float32): "
            f"{ceiling / 1e9:.1f} GFLOP/s at the start; each sampler row's shares "
            "are of the ceiling measured around that training and generation "
            "(its range in the row).",
            markdown(results),
            markdown(baselines),
            "Time to quality: `fit_resample` of DCBN-VAE's default settings "
            f"(its defaults, on the {DEFAULT_INPUT} input) against SMOTE's, "
            "same run, same threads:",
            markdown(quality),
            f"Peak resident memory of one {args.samplers[0]} fit_resample "
            f"(1 epoch, fresh process): {peak / 2**20:,.0f} MiB"
            + (f", GPU {gpu_peak / 2**20:,.0f} MiB." if device.type == "cuda" else "."),
            f"Scaling of {args.samplers[0]} fit_resample (1 epoch): "
            + ", ".join(f"{n:,} rows {s:.1f} s" for n, s in points)
            + f"; time ~ rows^{exponent:.2f}.",
        ]
    )
    (args.out / "speed.md").write_text(report + "\n")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
